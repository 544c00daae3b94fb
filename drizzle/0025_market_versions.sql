ALTER TABLE "data_versions" ADD COLUMN "markets_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written: the "Chợ số" markets and vendors as a family of their own (db/data-version.ts), by
-- 0021's deferred triggers, so the dashboard keeps its market figures until one of them is written.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['markets', 'vendors']
  LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
      'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version(%L)',
      t || '_data_version', t, 'markets');
  END LOOP;
END
$$;
