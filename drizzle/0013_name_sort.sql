-- Sort keys of names in Intl.Collator('vi') order (src/lib/collation.ts, whose sortKeySql() prints the
-- functions below): compared byte by byte (collate "C") on PGlite and PostgreSQL alike. The app writes
-- the keys where it writes many rows (imports of residents and households); the triggers fill them on
-- every other write, and the updates at the end fill the rows already there.
CREATE FUNCTION vi_sort_key(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT translate(t, 'nhtgaiouc mlđvyerdkbpsqxfjwzNHTGAIOUCMLĐVYERDKBPSQXFJWZàáâãèéêìíñòóôõùúýăćĩĺńŕśũźơưǵǹạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹÀÁÂÃÈÉÊÌÍÑÒÓÔÕÙÚÝĂĆĨĹŃŔŚŨŹƠƯǴǸẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ_-,;:!?.''"()[]{}@*/\&#%`^+<=>|~$0123456789', ']WeVLX^fP!\[RhkScQZOadbjUYil]WeVLX^fP\[RhkScQZOadbjUYilLLNLSSTXX]^^_^ffkMPX[]cdfl`gV]LLNNNNNMMMMMSSSTTTTTXX^^_____`````ffgggggkkkkLLNLSSTXX]^^_^ffkMPX[]cdfl`gV]LLNNNNNMMMMMSSSTTTTTXX^^_____`````ffgggggkkkk"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJK') || ' ' || translate(t, 'nhtgaiouc mlđvyerdkbpsqxfjwzNHTGAIOUCMLĐVYERDKBPSQXFJWZàáâãèéêìíñòóôõùúýăćĩĺńŕśũźơưǵǹạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹÀÁÂÃÈÉÊÌÍÑÒÓÔÕÙÚÝĂĆĨĹŃŔŚŨŹƠƯǴǸẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ_-,;:!?.''"()[]{}@*/\&#%`^+<=>|~$0123456789', '0000000000000000000000000000000000000000000000000000000140314014314031440434444340041524123541235523412352552412354123552412351523140314014314031440434444340041524123541235523412352552412354123552412351523000000000000000000000000000000000000000000') || ' ' || translate(t, 'nhtgaiouc mlđvyerdkbpsqxfjwzNHTGAIOUCMLĐVYERDKBPSQXFJWZàáâãèéêìíñòóôõùúýăćĩĺńŕśũźơưǵǹạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹÀÁÂÃÈÉÊÌÍÑÒÓÔÕÙÚÝĂĆĨĹŃŔŚŨŹƠƯǴǸẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ_-,;:!?.''"()[]{}@*/\&#%`^+<=>|~$0123456789', '0000000000000000000000000000111111111111111111111111111000000000000000000000000000000000000000000000000000000000000000000000000000111111111111111111111111111111111111111111111111111111111111111111111111111000000000000000000000000000000000000000000')
$fn$;--> statement-breakpoint
CREATE FUNCTION vi_name_sort_key(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT public.vi_sort_key(regexp_replace(t, '^.* ', '')) || ' ' || public.vi_sort_key(t)
$fn$;--> statement-breakpoint
CREATE FUNCTION keep_full_name_sort() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.name_sort IS NULL THEN NEW.name_sort := public.vi_name_sort_key(NEW.full_name); END IF;
  ELSIF NEW.full_name IS DISTINCT FROM OLD.full_name AND NEW.name_sort IS NOT DISTINCT FROM OLD.name_sort THEN
    NEW.name_sort := public.vi_name_sort_key(NEW.full_name);
  END IF;
  RETURN NEW;
END
$fn$;--> statement-breakpoint
CREATE FUNCTION keep_head_sort() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.head_sort IS NULL THEN NEW.head_sort := public.vi_name_sort_key(NEW.head_name); END IF;
  ELSIF NEW.head_name IS DISTINCT FROM OLD.head_name AND NEW.head_sort IS NOT DISTINCT FROM OLD.head_sort THEN
    NEW.head_sort := public.vi_name_sort_key(NEW.head_name);
  END IF;
  RETURN NEW;
END
$fn$;--> statement-breakpoint
CREATE FUNCTION keep_display_name_sort() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.display_name_sort IS NULL THEN NEW.display_name_sort := public.vi_name_sort_key(NEW.display_name); END IF;
  ELSIF NEW.display_name IS DISTINCT FROM OLD.display_name AND NEW.display_name_sort IS NOT DISTINCT FROM OLD.display_name_sort THEN
    NEW.display_name_sort := public.vi_name_sort_key(NEW.display_name);
  END IF;
  RETURN NEW;
END
$fn$;--> statement-breakpoint
CREATE FUNCTION keep_name_sort() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.name_sort IS NULL THEN NEW.name_sort := public.vi_sort_key(NEW.name); END IF;
  ELSIF NEW.name IS DISTINCT FROM OLD.name AND NEW.name_sort IS NOT DISTINCT FROM OLD.name_sort THEN
    NEW.name_sort := public.vi_sort_key(NEW.name);
  END IF;
  RETURN NEW;
END
$fn$;--> statement-breakpoint
DROP INDEX "residents_name_order_idx";--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "head_sort" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "residents" ADD COLUMN "name_sort" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "team_members" ADD COLUMN "name_sort" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "name_sort" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "display_name_sort" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "name_sort" text COLLATE "C";--> statement-breakpoint
CREATE INDEX "households_head_sort_idx" ON "households" USING btree ("commune_id","head_sort","code");--> statement-breakpoint
CREATE INDEX "residents_name_sort_idx" ON "residents" USING btree ("commune_id","name_sort","id");--> statement-breakpoint
CREATE TRIGGER residents_sort_key BEFORE INSERT OR UPDATE ON "residents" FOR EACH ROW EXECUTE FUNCTION keep_full_name_sort();--> statement-breakpoint
CREATE TRIGGER team_members_sort_key BEFORE INSERT OR UPDATE ON "team_members" FOR EACH ROW EXECUTE FUNCTION keep_full_name_sort();--> statement-breakpoint
CREATE TRIGGER households_sort_key BEFORE INSERT OR UPDATE ON "households" FOR EACH ROW EXECUTE FUNCTION keep_head_sort();--> statement-breakpoint
CREATE TRIGGER users_sort_key BEFORE INSERT OR UPDATE ON "users" FOR EACH ROW EXECUTE FUNCTION keep_display_name_sort();--> statement-breakpoint
CREATE TRIGGER villages_sort_key BEFORE INSERT OR UPDATE ON "villages" FOR EACH ROW EXECUTE FUNCTION keep_name_sort();--> statement-breakpoint
CREATE TRIGGER units_sort_key BEFORE INSERT OR UPDATE ON "units" FOR EACH ROW EXECUTE FUNCTION keep_name_sort();--> statement-breakpoint
UPDATE "villages" SET "name_sort" = vi_sort_key("name");--> statement-breakpoint
UPDATE "units" SET "name_sort" = vi_sort_key("name");--> statement-breakpoint
UPDATE "users" SET "display_name_sort" = vi_name_sort_key("display_name");--> statement-breakpoint
UPDATE "households" SET "head_sort" = vi_name_sort_key("head_name") WHERE "head_name" IS NOT NULL;--> statement-breakpoint
UPDATE "team_members" SET "name_sort" = vi_name_sort_key("full_name");--> statement-breakpoint
UPDATE "residents" SET "name_sort" = vi_name_sort_key("full_name");
