ALTER TABLE "data_versions" ADD COLUMN "registry_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "certifications_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "activities_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "attendance_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "teams_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "visits_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "incidents_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "reports_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "plans_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "facts_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written: a data version per family of inputs. The same deferred constraint triggers as 0008
-- (run at commit, after every other statement, so the version row is locked only by the commit),
-- now told their table's family: a write raises the commune's version once per transaction, as
-- before, and its family's version once per transaction (a transaction-local setting per family
-- and commune makes every other row a no-op). The caches key an answer by the families it reads
-- (db/data-version.ts), so a visit no longer drops the figures that read no visit.
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c integer;
  f text := TG_ARGV[0];
  overall integer := 0;
BEGIN
  IF TG_OP = 'DELETE' THEN c := OLD.commune_id; ELSE c := NEW.commune_id; END IF;
  IF c IS NULL OR current_setting('bdhvs.version_bumped_' || f || '_' || c, true) = '1' THEN RETURN NULL; END IF;
  PERFORM set_config('bdhvs.version_bumped_' || f || '_' || c, '1', true);
  IF coalesce(current_setting('bdhvs.version_bumped_' || c, true), '') <> '1' THEN
    PERFORM set_config('bdhvs.version_bumped_' || c, '1', true);
    overall := 1;
  END IF;
  EXECUTE format('INSERT INTO data_versions AS d (commune_id, version, %1$I) VALUES ($1, $2, 1) '
    'ON CONFLICT (commune_id) DO UPDATE SET version = d.version + $2, %1$I = d.%1$I + 1', f || '_version')
    USING c, overall;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DO $$
DECLARE
  t text[];
BEGIN
  FOREACH t SLICE 1 IN ARRAY ARRAY[['villages', 'registry'], ['units', 'registry'], ['households', 'registry'],
    ['residents', 'registry'], ['certifications', 'certifications'], ['activities', 'activities'],
    ['activity_sessions', 'activities'], ['attendance', 'attendance'], ['teams', 'teams'],
    ['team_members', 'teams'], ['visits', 'visits'], ['visit_residents', 'visits'],
    ['incidents', 'incidents'], ['reports', 'reports'], ['plans', 'plans']]
  LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', t[1] || '_data_version', t[1]);
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
      'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version(%L)',
      t[1] || '_data_version', t[1], t[2]);
  END LOOP;
END
$$;
--> statement-breakpoint
-- The facts family: the rows the indicators' resident and household figures read, kept by 0006's
-- triggers. Raised only when a fact the indicators read changes, so a tick of attendance or an
-- edit of a phone that moves no figure leaves those figures kept. `first_attended` is read for
-- enterprise workers only (features/indicators/repo.ts `residentBase`: `case when worker`), so
-- a non-worker's first session moving raises nothing; a reader of it for others must widen this.
CREATE CONSTRAINT TRIGGER resident_facts_data_version AFTER INSERT OR DELETE ON resident_facts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version('facts');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER resident_facts_data_version_update AFTER UPDATE ON resident_facts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.commune_id, OLD.village_id, OLD.household_id, OLD.unit_id, OLD.birth_date, OLD.active,
         OLD.public_sector, OLD.student, OLD.worker, OLD.has_vneid, OLD.first_skill, OLD.first_vneid,
         CASE WHEN OLD.worker THEN OLD.first_attended END)
    IS DISTINCT FROM (NEW.commune_id, NEW.village_id, NEW.household_id, NEW.unit_id, NEW.birth_date, NEW.active,
         NEW.public_sector, NEW.student, NEW.worker, NEW.has_vneid, NEW.first_skill, NEW.first_vneid,
         CASE WHEN NEW.worker THEN NEW.first_attended END))
  EXECUTE FUNCTION bump_data_version('facts');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER household_facts_data_version AFTER INSERT OR DELETE ON household_facts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version('facts');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER household_facts_data_version_update AFTER UPDATE ON household_facts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION bump_data_version('facts');
