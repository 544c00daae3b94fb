CREATE TABLE "certifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"resident_id" integer NOT NULL,
	"kind" text NOT NULL,
	"date" date NOT NULL,
	"source" text NOT NULL,
	"reference" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certifications_kind_ck" CHECK ("certifications"."kind" in ('basic','vneid')),
	CONSTRAINT "certifications_source_ck" CHECK ("certifications"."source" in ('vneid','platform','school','course'))
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"village_id" integer NOT NULL,
	"code" text NOT NULL,
	"head_name" text,
	"address" text,
	"poor" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "residents" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"village_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"full_name" text NOT NULL,
	"name_search" text NOT NULL,
	"birth_date" date NOT NULL,
	"birth_year_only" boolean DEFAULT false NOT NULL,
	"gender" text NOT NULL,
	"citizen_id" text,
	"phone" text,
	"status" text DEFAULT 'active' NOT NULL,
	"groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"unit_id" integer,
	"disabled" boolean DEFAULT false NOT NULL,
	"vneid_level" smallint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "residents_gender_ck" CHECK ("residents"."gender" in ('male','female','other')),
	CONSTRAINT "residents_status_ck" CHECK ("residents"."status" in ('active','moved','deceased')),
	CONSTRAINT "residents_vneid_ck" CHECK ("residents"."vneid_level" between 0 and 2),
	CONSTRAINT "residents_citizen_id_ck" CHECK ("residents"."citizen_id" ~ '^[0-9]{12}$'),
	CONSTRAINT "residents_phone_ck" CHECK ("residents"."phone" ~ '^0[35789][0-9]{8}$'),
	CONSTRAINT "residents_groups_ck" CHECK ("residents"."groups" <@ array['public_sector','student','enterprise_worker']::text[])
);
--> statement-breakpoint
ALTER TABLE "certifications" ADD CONSTRAINT "certifications_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certifications" ADD CONSTRAINT "certifications_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certifications_natural_key_uq" ON "certifications" USING btree ("resident_id","kind","source","date");--> statement-breakpoint
CREATE INDEX "certifications_commune_idx" ON "certifications" USING btree ("commune_id","kind","date");--> statement-breakpoint
CREATE UNIQUE INDEX "households_commune_code_uq" ON "households" USING btree ("commune_id","code");--> statement-breakpoint
CREATE INDEX "households_village_idx" ON "households" USING btree ("village_id");--> statement-breakpoint
CREATE UNIQUE INDEX "residents_citizen_id_uq" ON "residents" USING btree ("citizen_id");--> statement-breakpoint
CREATE UNIQUE INDEX "residents_natural_key_uq" ON "residents" USING btree ("commune_id","household_id","full_name","birth_date") WHERE "residents"."citizen_id" is null;--> statement-breakpoint
CREATE INDEX "residents_commune_village_idx" ON "residents" USING btree ("commune_id","village_id");--> statement-breakpoint
CREATE INDEX "residents_household_idx" ON "residents" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "residents_unit_idx" ON "residents" USING btree ("unit_id");