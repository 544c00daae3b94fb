CREATE TABLE "data_versions" (
	"commune_id" integer PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "data_versions" ADD CONSTRAINT "data_versions_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "residents_name_order_idx" ON "residents" USING btree ("commune_id",regexp_replace("name_search", '^.* ', ''),"name_search","full_name","id");--> statement-breakpoint
-- Hand-written: every committed write to what the indicators read raises its commune's data version,
-- in the same transaction. A deferred constraint trigger runs at commit, after every other statement
-- of the transaction, so the version row is locked only for the commit itself (it cannot take part
-- in a deadlock with the facts triggers' row locks); a transaction-local setting makes all but the
-- first row of a transaction a no-op, so a 200,000-row import raises the version once.
CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c integer;
BEGIN
  IF TG_OP = 'DELETE' THEN c := OLD.commune_id; ELSE c := NEW.commune_id; END IF;
  IF c IS NULL OR current_setting('bdhvs.version_bumped_' || c, true) = '1' THEN RETURN NULL; END IF;
  PERFORM set_config('bdhvs.version_bumped_' || c, '1', true);
  INSERT INTO data_versions (commune_id, version) VALUES (c, 1)
    ON CONFLICT (commune_id) DO UPDATE SET version = data_versions.version + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['villages', 'units', 'households', 'residents', 'certifications', 'activities',
    'activity_sessions', 'attendance', 'teams', 'team_members', 'visits', 'visit_residents', 'incidents',
    'reports', 'plans']
  LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
      'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version()',
      t || '_data_version', t);
  END LOOP;
END
$$;
--> statement-breakpoint
INSERT INTO data_versions (commune_id, version) SELECT id, 1 FROM communes;
