ALTER TABLE "data_versions" ADD COLUMN "registry_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "certifications_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "activities_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "attendance_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "teams_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "visits_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "incidents_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "reports_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "data_versions" ADD COLUMN "plans_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
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
