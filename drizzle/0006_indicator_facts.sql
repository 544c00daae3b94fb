CREATE TABLE "household_facts" (
	"household_id" integer PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"village_id" integer NOT NULL,
	"active_members" integer NOT NULL,
	"first_digital" date
);
--> statement-breakpoint
CREATE TABLE "resident_facts" (
	"resident_id" integer PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"village_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"unit_id" integer,
	"birth_date" date NOT NULL,
	"active" boolean NOT NULL,
	"public_sector" boolean NOT NULL,
	"student" boolean NOT NULL,
	"worker" boolean NOT NULL,
	"has_vneid" boolean NOT NULL,
	"first_skill" date,
	"first_vneid" date,
	"first_attended" date
);
--> statement-breakpoint
CREATE INDEX "household_facts_commune_village_idx" ON "household_facts" USING btree ("commune_id","village_id");--> statement-breakpoint
CREATE INDEX "resident_facts_commune_household_idx" ON "resident_facts" USING btree ("commune_id","household_id");--> statement-breakpoint
-- resident_facts and household_facts are derived data, written only by the triggers below (and
-- rebuild_indicator_facts), in the same transaction as the rows they come from. The triggers are
-- statement-level with transition tables: a few set-based statements per written statement,
-- however many rows it wrote (imports write in batches). Each keeps both tables, so no trigger
-- fires from another's writes. The indicators read these two tables instead of joining residents
-- to certifications, attendance and households.
--
-- Concurrent transactions (PostgreSQL): a trigger that derives facts takes the row locks of the
-- facts it derives — residents' first (resident_facts), then their households' (household_facts),
-- in id order — before it reads anything, even when nothing will change, and recomputes in a later
-- statement, whose snapshot then holds every transaction that went before it on those rows. So two
-- transactions touching one resident or household never compute from each other's old state.
CREATE FUNCTION lock_household_facts(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM household_facts WHERE household_id = ANY (ids) ORDER BY household_id FOR NO KEY UPDATE;
END $$;
--> statement-breakpoint
-- Locks some residents' facts, then their households' (where they are active members).
CREATE FUNCTION lock_resident_facts(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM resident_facts WHERE resident_id = ANY (ids) ORDER BY resident_id FOR NO KEY UPDATE;
  PERFORM lock_household_facts(array_agg(household_id)) FROM resident_facts
  WHERE resident_id = ANY (ids) AND active;
END $$;
--> statement-breakpoint
-- Recompute some households' active members and first digital day (given as commune, household).
CREATE FUNCTION refresh_household_facts(communes integer[], ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lock_household_facts(ids);
  UPDATE household_facts h SET active_members = x.n, first_digital = x.first_digital
  FROM (SELECT k.id, (count(f.resident_id) FILTER (WHERE f.active))::int AS n,
          min(f.first_skill) FILTER (WHERE f.active) AS first_digital
        FROM (SELECT DISTINCT commune_id, id FROM unnest(communes, ids) AS u(commune_id, id)) k
        LEFT JOIN resident_facts f ON f.commune_id = k.commune_id AND f.household_id = k.id
        GROUP BY k.id) x
  WHERE h.household_id = x.id AND (h.active_members, h.first_digital) IS DISTINCT FROM (x.n, x.first_digital);
END $$;
--> statement-breakpoint
-- Recompute the first certification dates (any kind, and `vneid`) of some residents, then their
-- households.
CREATE FUNCTION refresh_certified_dates(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lock_resident_facts(ids);
  UPDATE resident_facts f SET first_skill = x.first_skill, first_vneid = x.first_vneid
  FROM (SELECT k.id, min(c.date) AS first_skill, min(c.date) FILTER (WHERE c.kind = 'vneid') AS first_vneid
        FROM (SELECT DISTINCT id FROM unnest(ids) AS u(id)) k
        LEFT JOIN certifications c ON c.resident_id = k.id
        GROUP BY k.id) x
  WHERE f.resident_id = x.id
    AND (f.first_skill, f.first_vneid) IS DISTINCT FROM (x.first_skill, x.first_vneid);
  PERFORM refresh_household_facts(array_agg(commune_id), array_agg(household_id))
  FROM resident_facts WHERE resident_id = ANY (ids) AND active;
END $$;
--> statement-breakpoint
-- Recompute the first class session attended (present) of some residents.
CREATE FUNCTION refresh_attended_dates(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM resident_facts WHERE resident_id = ANY (ids) ORDER BY resident_id FOR NO KEY UPDATE;
  UPDATE resident_facts f SET first_attended = x.first_attended
  FROM (SELECT k.id, min(s.date) AS first_attended
        FROM (SELECT DISTINCT id FROM unnest(ids) AS u(id)) k
        LEFT JOIN attendance a ON a.resident_id = k.id AND a.present
        LEFT JOIN activity_sessions s ON s.id = a.session_id
        GROUP BY k.id) x
  WHERE f.resident_id = x.id AND f.first_attended IS DISTINCT FROM x.first_attended;
END $$;
--> statement-breakpoint
-- Everything from scratch: the backfill below, and a repair after rows were written with triggers
-- off (a bulk load under session_replication_role = replica). Idempotent.
CREATE FUNCTION rebuild_indicator_facts() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM resident_facts f WHERE NOT EXISTS (SELECT 1 FROM residents r WHERE r.id = f.resident_id);
  INSERT INTO resident_facts AS f (resident_id, commune_id, village_id, household_id, unit_id, birth_date,
    active, public_sector, student, worker, has_vneid, first_skill, first_vneid, first_attended)
  SELECT r.id, r.commune_id, r.village_id, r.household_id, r.unit_id, r.birth_date, r.status = 'active',
    'public_sector' = ANY (r.groups), 'student' = ANY (r.groups), 'enterprise_worker' = ANY (r.groups),
    r.vneid_level >= 1, c.first_skill, c.first_vneid, a.first_attended
  FROM residents r
  LEFT JOIN (SELECT resident_id, min(date) AS first_skill, min(date) FILTER (WHERE kind = 'vneid') AS first_vneid
             FROM certifications GROUP BY resident_id) c ON c.resident_id = r.id
  LEFT JOIN (SELECT a.resident_id, min(s.date) AS first_attended
             FROM attendance a JOIN activity_sessions s ON s.id = a.session_id
             WHERE a.present GROUP BY a.resident_id) a ON a.resident_id = r.id
  ON CONFLICT (resident_id) DO UPDATE SET commune_id = excluded.commune_id, village_id = excluded.village_id,
    household_id = excluded.household_id, unit_id = excluded.unit_id, birth_date = excluded.birth_date,
    active = excluded.active, public_sector = excluded.public_sector, student = excluded.student,
    worker = excluded.worker, has_vneid = excluded.has_vneid, first_skill = excluded.first_skill,
    first_vneid = excluded.first_vneid, first_attended = excluded.first_attended
  WHERE (f.commune_id, f.village_id, f.household_id, f.unit_id, f.birth_date, f.active, f.public_sector,
      f.student, f.worker, f.has_vneid, f.first_skill, f.first_vneid, f.first_attended)
    IS DISTINCT FROM (excluded.commune_id, excluded.village_id, excluded.household_id, excluded.unit_id,
      excluded.birth_date, excluded.active, excluded.public_sector, excluded.student, excluded.worker,
      excluded.has_vneid, excluded.first_skill, excluded.first_vneid, excluded.first_attended);
  DELETE FROM household_facts f WHERE NOT EXISTS (SELECT 1 FROM households h WHERE h.id = f.household_id);
  INSERT INTO household_facts AS f (household_id, commune_id, village_id, active_members, first_digital)
  SELECT h.id, h.commune_id, h.village_id, coalesce(x.n, 0), x.first_digital
  FROM households h
  LEFT JOIN (SELECT household_id, count(*)::int AS n, min(first_skill) AS first_digital
             FROM resident_facts WHERE active GROUP BY household_id) x ON x.household_id = h.id
  ON CONFLICT (household_id) DO UPDATE SET commune_id = excluded.commune_id, village_id = excluded.village_id,
    active_members = excluded.active_members, first_digital = excluded.first_digital
  WHERE (f.commune_id, f.village_id, f.active_members, f.first_digital)
    IS DISTINCT FROM (excluded.commune_id, excluded.village_id, excluded.active_members, excluded.first_digital);
END $$;
--> statement-breakpoint
SELECT rebuild_indicator_facts();
--> statement-breakpoint
-- households → household_facts (a new household has no member yet).
CREATE FUNCTION households_facts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO household_facts (household_id, commune_id, village_id, active_members)
  SELECT id, commune_id, village_id, 0 FROM new_households;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER households_facts_insert AFTER INSERT ON households REFERENCING NEW TABLE AS new_households
  FOR EACH STATEMENT EXECUTE FUNCTION households_facts_insert();
--> statement-breakpoint
CREATE FUNCTION households_facts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE household_facts f SET commune_id = n.commune_id, village_id = n.village_id
  FROM new_households n
  WHERE f.household_id = n.id AND (f.commune_id, f.village_id) IS DISTINCT FROM (n.commune_id, n.village_id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER households_facts_update AFTER UPDATE ON households REFERENCING NEW TABLE AS new_households
  FOR EACH STATEMENT EXECUTE FUNCTION households_facts_update();
--> statement-breakpoint
CREATE FUNCTION households_facts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM household_facts f USING old_households o WHERE f.household_id = o.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER households_facts_delete AFTER DELETE ON households REFERENCING OLD TABLE AS old_households
  FOR EACH STATEMENT EXECUTE FUNCTION households_facts_delete();
--> statement-breakpoint
-- residents → resident_facts and household_facts. A new resident: no certification or attendance
-- can name it yet, so its three dates start empty and it adds no first skill to its household.
CREATE FUNCTION residents_facts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO resident_facts (resident_id, commune_id, village_id, household_id, unit_id, birth_date, active,
    public_sector, student, worker, has_vneid)
  SELECT n.id, n.commune_id, n.village_id, n.household_id, n.unit_id, n.birth_date, n.status = 'active',
    'public_sector' = ANY (n.groups), 'student' = ANY (n.groups), 'enterprise_worker' = ANY (n.groups),
    n.vneid_level >= 1
  FROM new_residents n;
  UPDATE household_facts h SET active_members = h.active_members + x.n
  FROM (SELECT household_id, count(*)::int AS n FROM new_residents WHERE status = 'active' GROUP BY household_id) x
  WHERE h.household_id = x.household_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER residents_facts_insert AFTER INSERT ON residents REFERENCING NEW TABLE AS new_residents
  FOR EACH STATEMENT EXECUTE FUNCTION residents_facts_insert();
--> statement-breakpoint
-- A changed status or household (or commune): both households recomputed.
CREATE FUNCTION residents_facts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE resident_facts f SET commune_id = n.commune_id, village_id = n.village_id,
    household_id = n.household_id, unit_id = n.unit_id, birth_date = n.birth_date,
    active = n.status = 'active', public_sector = 'public_sector' = ANY (n.groups),
    student = 'student' = ANY (n.groups), worker = 'enterprise_worker' = ANY (n.groups),
    has_vneid = n.vneid_level >= 1
  FROM new_residents n
  WHERE f.resident_id = n.id
    AND (f.commune_id, f.village_id, f.household_id, f.unit_id, f.birth_date, f.active, f.public_sector,
      f.student, f.worker, f.has_vneid)
    IS DISTINCT FROM (n.commune_id, n.village_id, n.household_id, n.unit_id, n.birth_date, n.status = 'active',
      'public_sector' = ANY (n.groups), 'student' = ANY (n.groups), 'enterprise_worker' = ANY (n.groups),
      n.vneid_level >= 1);
  PERFORM refresh_household_facts(array_agg(x.commune_id), array_agg(x.household_id))
  FROM old_residents o JOIN new_residents n ON n.id = o.id
  CROSS JOIN LATERAL (VALUES (o.commune_id, o.household_id), (n.commune_id, n.household_id)) AS x(commune_id, household_id)
  WHERE (o.commune_id, o.household_id, o.status = 'active') IS DISTINCT FROM (n.commune_id, n.household_id, n.status = 'active');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER residents_facts_update AFTER UPDATE ON residents
  REFERENCING OLD TABLE AS old_residents NEW TABLE AS new_residents
  FOR EACH STATEMENT EXECUTE FUNCTION residents_facts_update();
--> statement-breakpoint
CREATE FUNCTION residents_facts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM resident_facts f USING old_residents o WHERE f.resident_id = o.id;
  PERFORM refresh_household_facts(array_agg(commune_id), array_agg(household_id))
  FROM old_residents WHERE status = 'active';
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER residents_facts_delete AFTER DELETE ON residents REFERENCING OLD TABLE AS old_residents
  FOR EACH STATEMENT EXECUTE FUNCTION residents_facts_delete();
--> statement-breakpoint
-- certifications → first_skill, first_vneid, and the household's first digital day. A new
-- certification can only bring dates earlier: set in place, no recomputation.
CREATE FUNCTION certifications_facts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lock_resident_facts(array_agg(DISTINCT resident_id)) FROM new_certifications;
  WITH earlier AS (
    UPDATE resident_facts f
    SET first_skill = least(f.first_skill, c.first_skill), first_vneid = least(f.first_vneid, c.first_vneid)
    FROM (SELECT resident_id, min(date) AS first_skill, min(date) FILTER (WHERE kind = 'vneid') AS first_vneid
          FROM new_certifications GROUP BY resident_id) c
    WHERE f.resident_id = c.resident_id
      AND (f.first_skill, f.first_vneid)
        IS DISTINCT FROM (least(f.first_skill, c.first_skill), least(f.first_vneid, c.first_vneid))
    RETURNING f.household_id, f.active, f.first_skill
  )
  UPDATE household_facts h SET first_digital = least(h.first_digital, x.first_skill)
  FROM (SELECT household_id, min(first_skill) AS first_skill FROM earlier WHERE active GROUP BY household_id) x
  WHERE h.household_id = x.household_id AND h.first_digital IS DISTINCT FROM least(h.first_digital, x.first_skill);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER certifications_facts_insert AFTER INSERT ON certifications
  REFERENCING NEW TABLE AS new_certifications
  FOR EACH STATEMENT EXECUTE FUNCTION certifications_facts_insert();
--> statement-breakpoint
-- A changed date, kind or resident (a certification moved to another resident): both residents.
CREATE FUNCTION certifications_facts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_certified_dates(array_agg(x.resident_id))
  FROM old_certifications o JOIN new_certifications n ON n.id = o.id
  CROSS JOIN LATERAL (VALUES (o.resident_id), (n.resident_id)) AS x(resident_id)
  WHERE (o.resident_id, o.kind, o.date) IS DISTINCT FROM (n.resident_id, n.kind, n.date);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER certifications_facts_update AFTER UPDATE ON certifications
  REFERENCING OLD TABLE AS old_certifications NEW TABLE AS new_certifications
  FOR EACH STATEMENT EXECUTE FUNCTION certifications_facts_update();
--> statement-breakpoint
CREATE FUNCTION certifications_facts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_certified_dates(array_agg(resident_id)) FROM old_certifications;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER certifications_facts_delete AFTER DELETE ON certifications
  REFERENCING OLD TABLE AS old_certifications
  FOR EACH STATEMENT EXECUTE FUNCTION certifications_facts_delete();
--> statement-breakpoint
-- attendance and session dates → first_attended. (A deleted session or activity takes its
-- attendance with it by cascade, which the attendance trigger sees.)
CREATE FUNCTION attendance_facts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_attended_dates(array_agg(resident_id)) FROM new_attendance WHERE present;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER attendance_facts_insert AFTER INSERT ON attendance REFERENCING NEW TABLE AS new_attendance
  FOR EACH STATEMENT EXECUTE FUNCTION attendance_facts_insert();
--> statement-breakpoint
CREATE FUNCTION attendance_facts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_attended_dates(array_agg(x.resident_id))
  FROM old_attendance o JOIN new_attendance n ON n.id = o.id
  CROSS JOIN LATERAL (VALUES (o.resident_id), (n.resident_id)) AS x(resident_id)
  WHERE (o.resident_id, o.session_id, o.present) IS DISTINCT FROM (n.resident_id, n.session_id, n.present);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER attendance_facts_update AFTER UPDATE ON attendance
  REFERENCING OLD TABLE AS old_attendance NEW TABLE AS new_attendance
  FOR EACH STATEMENT EXECUTE FUNCTION attendance_facts_update();
--> statement-breakpoint
CREATE FUNCTION attendance_facts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_attended_dates(array_agg(resident_id)) FROM old_attendance WHERE present;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER attendance_facts_delete AFTER DELETE ON attendance REFERENCING OLD TABLE AS old_attendance
  FOR EACH STATEMENT EXECUTE FUNCTION attendance_facts_delete();
--> statement-breakpoint
CREATE FUNCTION activity_sessions_facts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_attended_dates(array_agg(a.resident_id))
  FROM old_sessions o JOIN new_sessions n ON n.id = o.id
  JOIN attendance a ON a.session_id = n.id AND a.present
  WHERE o.date IS DISTINCT FROM n.date;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER activity_sessions_facts_update AFTER UPDATE ON activity_sessions
  REFERENCING OLD TABLE AS old_sessions NEW TABLE AS new_sessions
  FOR EACH STATEMENT EXECUTE FUNCTION activity_sessions_facts_update();
--> statement-breakpoint
-- The planner's estimate of the (commune, village, unit) and (commune, village) groups the
-- indicators sum by: without them it expects hundreds of thousands and sorts instead of hashing.
CREATE STATISTICS resident_facts_groups_nd (ndistinct) ON commune_id, village_id, unit_id FROM resident_facts;
--> statement-breakpoint
CREATE STATISTICS household_facts_groups_nd (ndistinct) ON commune_id, village_id FROM household_facts;
--> statement-breakpoint
ANALYZE resident_facts, household_facts;
