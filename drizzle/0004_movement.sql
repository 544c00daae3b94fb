CREATE TABLE "activities" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"code" text NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"date" date NOT NULL,
	"village_id" integer,
	"unit_id" integer,
	"audience" text,
	"place" text,
	"trainer" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_type_ck" CHECK ("activities"."type" in ('class','propaganda','digital_learning_day','launch','other')),
	CONSTRAINT "activities_audience_ck" CHECK ("activities"."audience" in ('resident','public_sector','student','enterprise_worker'))
);
--> statement-breakpoint
CREATE TABLE "activity_sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"activity_id" integer NOT NULL,
	"date" date NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"resident_id" integer NOT NULL,
	"date" date NOT NULL,
	"audience" text NOT NULL,
	"levels" jsonb NOT NULL,
	"note" text,
	"recorded_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessments_audience_ck" CHECK ("assessments"."audience" in ('resident','public_sector','student','enterprise_worker'))
);
--> statement-breakpoint
CREATE TABLE "attendance" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"session_id" integer NOT NULL,
	"resident_id" integer NOT NULL,
	"present" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"code" text NOT NULL,
	"date" date NOT NULL,
	"severity" text NOT NULL,
	"kind" text,
	"description" text NOT NULL,
	"unit_id" integer,
	"resolved_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_severity_ck" CHECK ("incidents"."severity" in ('minor','serious')),
	CONSTRAINT "incidents_resolved_ck" CHECK ("incidents"."resolved_date" is null or "incidents"."resolved_date" >= "incidents"."date")
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	"resident_id" integer,
	"full_name" text NOT NULL,
	"name_search" text NOT NULL,
	"role" text NOT NULL,
	"phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_members_role_ck" CHECK ("team_members"."role" in ('leader','member','youth_volunteer')),
	CONSTRAINT "team_members_phone_ck" CHECK ("team_members"."phone" ~ '^0[35789][0-9]{8}$')
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"village_id" integer NOT NULL,
	"phone" text,
	"publish_contacts" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_phone_ck" CHECK ("teams"."phone" ~ '^0[35789][0-9]{8}$')
);
--> statement-breakpoint
CREATE TABLE "visit_residents" (
	"commune_id" integer NOT NULL,
	"visit_id" integer NOT NULL,
	"resident_id" integer NOT NULL,
	CONSTRAINT "visit_residents_visit_id_resident_id_pk" PRIMARY KEY("visit_id","resident_id")
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"date" date NOT NULL,
	"member_id" integer NOT NULL,
	"support" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text,
	"recorded_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visits_support_ck" CHECK ("visits"."support" <@ array['vneid_install','vneid_level2','bank_account','cashless_payment','public_service_online','platform_enrol','security_advice','health_app']::text[])
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_sessions" ADD CONSTRAINT "activity_sessions_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_sessions" ADD CONSTRAINT "activity_sessions_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_session_id_activity_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."activity_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_residents" ADD CONSTRAINT "visit_residents_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_residents" ADD CONSTRAINT "visit_residents_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_residents" ADD CONSTRAINT "visit_residents_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_member_id_team_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."team_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activities_commune_code_uq" ON "activities" USING btree ("commune_id","code");--> statement-breakpoint
CREATE INDEX "activities_commune_type_date_idx" ON "activities" USING btree ("commune_id","type","date");--> statement-breakpoint
CREATE INDEX "activities_village_idx" ON "activities" USING btree ("village_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_sessions_activity_date_uq" ON "activity_sessions" USING btree ("activity_id","date");--> statement-breakpoint
CREATE INDEX "activity_sessions_commune_date_idx" ON "activity_sessions" USING btree ("commune_id","date");--> statement-breakpoint
CREATE INDEX "assessments_resident_idx" ON "assessments" USING btree ("resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_session_resident_uq" ON "attendance" USING btree ("session_id","resident_id");--> statement-breakpoint
CREATE INDEX "attendance_resident_idx" ON "attendance" USING btree ("resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_commune_code_uq" ON "incidents" USING btree ("commune_id","code");--> statement-breakpoint
CREATE INDEX "incidents_commune_date_idx" ON "incidents" USING btree ("commune_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "team_members_team_name_uq" ON "team_members" USING btree ("team_id","full_name");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_village_uq" ON "teams" USING btree ("village_id");--> statement-breakpoint
CREATE INDEX "visit_residents_resident_idx" ON "visit_residents" USING btree ("resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "visits_natural_key_uq" ON "visits" USING btree ("household_id","date","member_id");--> statement-breakpoint
CREATE INDEX "visits_commune_date_idx" ON "visits" USING btree ("commune_id","date");