ALTER TABLE "data_versions" ADD COLUMN "sessions_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written: the version of what a signed-in request reads of its session (features/auth/repo.ts
-- `findSessionWithUser`): the session, its user, the user's villages and commune. Each app process
-- keeps sessions in memory under this version and reads it on every request, so an ended session,
-- a disabled account or a changed role or villages holds at the very next request in every process.
-- Deferred constraint triggers as in 0008/0021 (run at commit, once per transaction and commune);
-- unlike those it leaves the commune's overall `version` alone: no figure reads a session. A new
-- session is in no process's memory yet, and a session's last-seen instant is re-read before any
-- decision on it, so neither raises it (a sign-in or the minute's touch drops no kept session);
-- a last-seen instant moved back (an idle session) does.
CREATE OR REPLACE FUNCTION bump_sessions_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c integer;
BEGIN
  IF TG_TABLE_NAME = 'communes' THEN c := OLD.id;
  ELSIF TG_OP = 'DELETE' THEN c := OLD.commune_id;
  ELSE c := NEW.commune_id; END IF;
  IF c IS NULL OR current_setting('bdhvs.sessions_bumped_' || c, true) = '1' THEN RETURN NULL; END IF;
  PERFORM set_config('bdhvs.sessions_bumped_' || c, '1', true);
  INSERT INTO data_versions AS d (commune_id, sessions_version) VALUES (c, 1)
    ON CONFLICT (commune_id) DO UPDATE SET sessions_version = d.sessions_version + 1;
  -- A row moved to another commune changes what the old one's processes keep, too.
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME <> 'communes' THEN
    c := OLD.commune_id;
    IF c IS DISTINCT FROM NEW.commune_id AND coalesce(current_setting('bdhvs.sessions_bumped_' || c, true), '') <> '1' THEN
      PERFORM set_config('bdhvs.sessions_bumped_' || c, '1', true);
      INSERT INTO data_versions AS d (commune_id, sessions_version) VALUES (c, 1)
        ON CONFLICT (commune_id) DO UPDATE SET sessions_version = d.sessions_version + 1;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER sessions_sessions_version AFTER DELETE ON sessions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_sessions_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER sessions_sessions_version_update AFTER UPDATE ON sessions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.id, OLD.commune_id, OLD.user_id, OLD.csrf_token, OLD.mfa_passed, OLD.created_at, OLD.expires_at)
    IS DISTINCT FROM (NEW.id, NEW.commune_id, NEW.user_id, NEW.csrf_token, NEW.mfa_passed, NEW.created_at, NEW.expires_at)
    OR NEW.last_seen_at < OLD.last_seen_at)
  EXECUTE FUNCTION bump_sessions_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER users_sessions_version AFTER INSERT OR UPDATE OR DELETE ON users
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_sessions_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER user_villages_sessions_version AFTER INSERT OR UPDATE OR DELETE ON user_villages
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_sessions_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER communes_sessions_version AFTER UPDATE ON communes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_sessions_version();
