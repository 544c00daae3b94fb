ALTER TABLE "reports" DROP CONSTRAINT "reports_status_ck";--> statement-breakpoint
DROP INDEX "plans_commune_active_uq";--> statement-breakpoint
DROP INDEX "reports_commune_period_version_uq";--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "year" integer;--> statement-breakpoint
UPDATE "plans" SET "year" = ("content"->>'year')::integer;--> statement-breakpoint
ALTER TABLE "plans" ALTER COLUMN "year" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "returned_by" integer;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "returned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "return_comment" text;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "adhoc_no" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_returned_by_users_id_fk" FOREIGN KEY ("returned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plans_commune_year_active_uq" ON "plans" USING btree ("commune_id","year") WHERE "plans"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "reports_commune_period_version_uq" ON "reports" USING btree ("commune_id","period","adhoc_no","version");--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_returned_ck" CHECK (("reports"."status" = 'returned') = ("reports"."return_comment" is not null));--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_adhoc_ck" CHECK (("reports"."adhoc_no" > 0) = ("reports"."title" is not null));--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_status_ck" CHECK ("reports"."status" in ('draft','submitted','approved','returned','superseded'));
--> statement-breakpoint
CREATE OR REPLACE FUNCTION reports_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
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
      NEW.submitted_at, NEW.submitted_on, NEW.adhoc_no, NEW.title
    ) IS DISTINCT FROM (
      OLD.commune_id, OLD.period, OLD.version, OLD.date, OLD.due_date, OLD.number, OLD.signed_on,
      OLD.signer_name, OLD.narrative, OLD.snapshot, OLD.figures, OLD.created_by, OLD.submitted_by,
      OLD.submitted_at, OLD.submitted_on, OLD.adhoc_no, OLD.title
    ) THEN
    RAISE EXCEPTION 'report % is submitted: it cannot be edited', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status <> 'draft' AND NEW.status = 'draft' THEN
    RAISE EXCEPTION 'report % is submitted: it cannot return to draft', OLD.id USING ERRCODE = 'P0001';
  END IF;
  -- A returned report keeps its comment and state: the next version answers it.
  IF OLD.status = 'returned' AND (NEW.status, NEW.returned_by, NEW.returned_at, NEW.return_comment)
      IS DISTINCT FROM (OLD.status, OLD.returned_by, OLD.returned_at, OLD.return_comment) THEN
    RAISE EXCEPTION 'report % was returned: it stays as it was', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.status = 'returned' AND OLD.status NOT IN ('submitted', 'returned') THEN
    RAISE EXCEPTION 'report % is not waiting for approval: it cannot be returned', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
