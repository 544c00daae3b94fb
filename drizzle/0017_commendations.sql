CREATE TABLE "commendations" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"period" text NOT NULL,
	"date" date NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"number" text,
	"signed_on" date NOT NULL,
	"signer_name" text,
	"items" jsonb NOT NULL,
	"weights" jsonb NOT NULL,
	"created_by" integer,
	"approved_by" integer,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commendations_status_ck" CHECK ("commendations"."status" in ('draft','approved')),
	CONSTRAINT "commendations_approved_ck" CHECK (("commendations"."status" = 'approved') = ("commendations"."approved_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commendations_commune_idx" ON "commendations" USING btree ("commune_id","period");