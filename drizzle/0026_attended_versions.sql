ALTER TABLE "data_versions" ADD COLUMN "attended_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written: a worker's first training session attended (`first_attended`, read for enterprise
-- workers only: indicator 5, `worker_access`) as a family of its own (db/data-version.ts
-- `attended`), no longer part of `facts`. A tick of attendance that moves a worker's first session
-- then recomputes indicator 5's figures and list only, not every resident figure and list (which
-- read `facts` and not this). Every reader of `first_attended` reads `facts` too (the workers
-- themselves are facts: a resident becoming a worker raises `facts`).
DROP TRIGGER resident_facts_data_version_update ON resident_facts;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER resident_facts_data_version_update AFTER UPDATE ON resident_facts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.commune_id, OLD.village_id, OLD.household_id, OLD.unit_id, OLD.birth_date, OLD.active,
         OLD.public_sector, OLD.student, OLD.worker, OLD.has_vneid, OLD.first_skill, OLD.first_vneid)
    IS DISTINCT FROM (NEW.commune_id, NEW.village_id, NEW.household_id, NEW.unit_id, NEW.birth_date, NEW.active,
         NEW.public_sector, NEW.student, NEW.worker, NEW.has_vneid, NEW.first_skill, NEW.first_vneid))
  EXECUTE FUNCTION bump_data_version('facts');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER resident_facts_attended_version AFTER UPDATE ON resident_facts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((CASE WHEN OLD.worker THEN OLD.first_attended END)
    IS DISTINCT FROM (CASE WHEN NEW.worker THEN NEW.first_attended END))
  EXECUTE FUNCTION bump_data_version('attended');
