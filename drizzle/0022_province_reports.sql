CREATE TABLE "province_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"period" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"date" date NOT NULL,
	"number" text,
	"signed_on" date NOT NULL,
	"signer_name" text,
	"snapshot" jsonb,
	"figures" jsonb,
	"created_by" integer,
	"submitted_by" integer,
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "province_reports_status_ck" CHECK ("province_reports"."status" in ('draft','submitted')),
	CONSTRAINT "province_reports_submitted_ck" CHECK (("province_reports"."status" = 'draft') = ("province_reports"."submitted_at" is null) and ("province_reports"."status" = 'draft') = ("province_reports"."snapshot" is null))
);
--> statement-breakpoint
ALTER TABLE "province_reports" ADD CONSTRAINT "province_reports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "province_reports" ADD CONSTRAINT "province_reports_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "province_reports_period_idx" ON "province_reports" USING btree ("period");--> statement-breakpoint
CREATE OR REPLACE FUNCTION province_reports_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'province report % is submitted: it cannot be deleted', OLD.id USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' THEN
    RAISE EXCEPTION 'province report % is submitted: it cannot be edited', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER province_reports_frozen BEFORE UPDATE OR DELETE ON "province_reports"
  FOR EACH ROW EXECUTE FUNCTION province_reports_frozen();
