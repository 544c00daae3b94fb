CREATE TABLE "field_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"village_id" integer,
	"unit_id" integer,
	"kind" text NOT NULL,
	"ref_id" integer NOT NULL,
	"tx" bigint DEFAULT (pg_current_xact_id()::text)::bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "field_changes_commune_tx_idx" ON "field_changes" USING btree ("commune_id","tx");--> statement-breakpoint
CREATE INDEX "field_changes_created_idx" ON "field_changes" USING btree ("created_at");
--> statement-breakpoint
-- Hand-written: statement triggers note what each write touched that a field work set carries, in
-- the writing transaction (see schema.ts `fieldChanges`). One row per record and statement (DISTINCT
-- over the statement's transition table), so an import of 6,000 residents adds ~1,500 rows, not a row
-- per resident and trigger. Each table gets its own function (static SQL, so PostgreSQL keeps its
-- plan; a shared function running EXECUTE cost ~2 ms per statement on PGlite) built from the SELECT
-- of (commune, village, unit, kind, ref) below, run on the statement's old rows (UPDATE, DELETE) and
-- new rows (INSERT, UPDATE): a household that moves is noted in the village it left and the one it
-- joined.
DO $$
DECLARE
  t text[];
  f text;
BEGIN
  FOREACH t SLICE 1 IN ARRAY ARRAY[
    ['villages', 'SELECT commune_id, id, NULL::int, ''village'', id FROM $rows'],
    ['households', 'SELECT commune_id, village_id, NULL::int, ''household'', id FROM $rows'],
    ['residents', 'SELECT commune_id, village_id, NULL::int, ''household'', household_id FROM $rows'],
    ['certifications', 'SELECT r.commune_id, r.village_id, NULL::int, ''household'', r.household_id FROM $rows c JOIN residents r ON r.id = c.resident_id'],
    ['visits', 'SELECT h.commune_id, h.village_id, NULL::int, ''household'', h.id FROM $rows v JOIN households h ON h.id = v.household_id'],
    ['activities', 'SELECT commune_id, village_id, unit_id, ''session'', id FROM $rows'],
    ['activity_sessions', 'SELECT a.commune_id, a.village_id, a.unit_id, ''session'', a.id FROM $rows s JOIN activities a ON a.id = s.activity_id'],
    ['attendance', 'SELECT a.commune_id, a.village_id, a.unit_id, ''session'', a.id FROM $rows m JOIN activity_sessions s ON s.id = m.session_id JOIN activities a ON a.id = s.activity_id'],
    ['teams', 'SELECT commune_id, village_id, NULL::int, ''member'', id FROM $rows'],
    ['team_members', 'SELECT m.commune_id, tm.village_id, NULL::int, ''member'', m.id FROM $rows m JOIN teams tm ON tm.id = m.team_id']
  ]
  LOOP
    f := t[1] || '_field_changes';
    EXECUTE format($f$CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO field_changes (commune_id, village_id, unit_id, kind, ref_id) SELECT DISTINCT * FROM (%s) x;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO field_changes (commune_id, village_id, unit_id, kind, ref_id) SELECT DISTINCT * FROM (%s) x;
  END IF;
  RETURN NULL;
END
$body$
$f$, f, replace(t[2], '$rows', 'old_rows'), replace(t[2], '$rows', 'new_rows'));
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
      'FOR EACH STATEMENT EXECUTE FUNCTION %I()', t[1] || '_field_ins', t[1], f);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
      'FOR EACH STATEMENT EXECUTE FUNCTION %I()', t[1] || '_field_upd', t[1], f);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
      'FOR EACH STATEMENT EXECUTE FUNCTION %I()', t[1] || '_field_del', t[1], f);
  END LOOP;
END
$$;
