CREATE TABLE "import_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"kind" text NOT NULL,
	"phase" text NOT NULL,
	"upload_id" text NOT NULL,
	"file_name" text NOT NULL,
	"state" text NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"total_rows" integer,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"bytes_total" bigint DEFAULT 0 NOT NULL,
	"skip_invalid" boolean DEFAULT false NOT NULL,
	"result" jsonb,
	"preview" jsonb,
	"error" jsonb,
	"owner" text NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "import_jobs_state_ck" CHECK ("import_jobs"."state" in ('running','done','failed')),
	CONSTRAINT "import_jobs_phase_ck" CHECK ("import_jobs"."phase" in ('check','commit'))
);
--> statement-breakpoint
CREATE TABLE "import_upload_parts" (
	"upload_id" text NOT NULL,
	"commune_id" integer NOT NULL,
	"part" text NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "import_upload_parts_upload_id_part_seq_pk" PRIMARY KEY("upload_id","part","seq"),
	CONSTRAINT "import_upload_parts_part_ck" CHECK ("import_upload_parts"."part" in ('source','errors','rejects'))
);
--> statement-breakpoint
CREATE TABLE "import_uploads" (
	"id" text PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"ext" text NOT NULL,
	"sheet" text,
	"kept_at" timestamp with time zone NOT NULL,
	"source_gone" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_upload_parts" ADD CONSTRAINT "import_upload_parts_upload_id_import_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."import_uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_upload_parts" ADD CONSTRAINT "import_upload_parts_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_uploads" ADD CONSTRAINT "import_uploads_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_uploads" ADD CONSTRAINT "import_uploads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "import_jobs_one_running_uq" ON "import_jobs" USING btree ("commune_id","user_id") WHERE "import_jobs"."state" = 'running';--> statement-breakpoint
CREATE INDEX "import_jobs_commune_upload_idx" ON "import_jobs" USING btree ("commune_id","upload_id");--> statement-breakpoint
CREATE INDEX "import_jobs_running_lease_idx" ON "import_jobs" USING btree ("lease_until") WHERE "import_jobs"."state" = 'running';--> statement-breakpoint
CREATE INDEX "import_uploads_commune_kept_idx" ON "import_uploads" USING btree ("commune_id","kept_at");