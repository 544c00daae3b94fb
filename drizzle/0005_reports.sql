CREATE TABLE "report_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"report_id" integer NOT NULL,
	"format" text NOT NULL,
	"content" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"period" text NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"date" date NOT NULL,
	"due_date" date,
	"number" text,
	"signed_on" date NOT NULL,
	"signer_name" text,
	"narrative" jsonb NOT NULL,
	"snapshot" jsonb,
	"figures" jsonb,
	"created_by" integer,
	"submitted_by" integer,
	"submitted_at" timestamp with time zone,
	"submitted_on" date,
	"approved_by" integer,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_status_ck" CHECK ("reports"."status" in ('draft','submitted','approved','superseded')),
	CONSTRAINT "reports_version_ck" CHECK ("reports"."version" >= 1),
	CONSTRAINT "reports_submitted_ck" CHECK (("reports"."status" = 'draft') = ("reports"."submitted_at" is null) and ("reports"."status" = 'draft') = ("reports"."snapshot" is null))
);
--> statement-breakpoint
ALTER TABLE "report_files" ADD CONSTRAINT "report_files_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_files" ADD CONSTRAINT "report_files_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "report_files_report_format_uq" ON "report_files" USING btree ("report_id","format");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_commune_period_version_uq" ON "reports" USING btree ("commune_id","period","version");--> statement-breakpoint
CREATE INDEX "reports_commune_due_idx" ON "reports" USING btree ("commune_id","due_date");--> statement-breakpoint
CREATE FUNCTION reports_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'report % is submitted: it cannot be deleted', OLD.id USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND (
      NEW.commune_id, NEW.period, NEW.version, NEW.date, NEW.due_date, NEW.number, NEW.signed_on,
      NEW.signer_name, NEW.narrative, NEW.snapshot, NEW.figures, NEW.created_by, NEW.submitted_by,
      NEW.submitted_at, NEW.submitted_on
    ) IS DISTINCT FROM (
      OLD.commune_id, OLD.period, OLD.version, OLD.date, OLD.due_date, OLD.number, OLD.signed_on,
      OLD.signer_name, OLD.narrative, OLD.snapshot, OLD.figures, OLD.created_by, OLD.submitted_by,
      OLD.submitted_at, OLD.submitted_on
    ) THEN
    RAISE EXCEPTION 'report % is submitted: it cannot be edited', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status <> 'draft' AND NEW.status = 'draft' THEN
    RAISE EXCEPTION 'report % is submitted: it cannot return to draft', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER reports_frozen BEFORE UPDATE OR DELETE ON reports FOR EACH ROW EXECUTE FUNCTION reports_frozen();
--> statement-breakpoint
CREATE FUNCTION report_files_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report files are kept as generated' USING ERRCODE = 'P0001';
END $$;
--> statement-breakpoint
CREATE TRIGGER report_files_frozen BEFORE UPDATE OR DELETE ON report_files FOR EACH ROW EXECUTE FUNCTION report_files_frozen();
