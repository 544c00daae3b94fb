-- Sort keys of names in Intl.Collator('vi') order (src/lib/collation.ts, whose sortKeySql() prints
-- these two functions): compared byte by byte (collate "C") on PGlite and PostgreSQL alike. Adding the
-- generated columns fills them for the rows already there.
CREATE FUNCTION vi_sort_key(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT translate(t, ' _-,;:!?.''"()[]{}@*/\&#%`^+<=>|~$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÀÁÂÃÈÉÊÌÍÑÒÓÔÕÙÚÝàáâãèéêìíñòóôõùúýĂăĆćĐđĨĩĹĺŃńŔŕŚśŨũŹźƠơƯưǴǵǸǹẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLOPQSUVWXYZ[\]^abcdefhijklLOPQSUVWXYZ[\]^abcdefhijklLLNLSSTXX]^^_^ffkLLNLSSTXX]^^_^ffkMMPPRRXX[[]]ccddffll``ggVV]]LLLLNNNNNNNNNNMMMMMMMMMMSSSSSSTTTTTTTTTTXXXX^^^^__________``````````ffffggggggggggkkkkkkkk') || ' ' || translate(t, ' _-,;:!?.''"()[]{}@*/\&#%`^+<=>|~$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÀÁÂÃÈÉÊÌÍÑÒÓÔÕÙÚÝàáâãèéêìíñòóôõùúýĂăĆćĐđĨĩĹĺŃńŔŕŚśŨũŹźƠơƯưǴǵǸǹẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ', '0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000014031401431403144140314014314031440044003344444444334400004411552244112233554411223355552233441122335522555522441122335544112233555522441122335511552233') || ' ' || translate(t, ' _-,;:!?.''"()[]{}@*/\&#%`^+<=>|~$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÀÁÂÃÈÉÊÌÍÑÒÓÔÕÙÚÝàáâãèéêìíñòóôõùúýĂăĆćĐđĨĩĹĺŃńŔŕŚśŨũŹźƠơƯưǴǵǸǹẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ', '0000000000000000000000000000000000000000000111111111111111111111111110000000000000000000000000011111111111111111000000000000000001010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010')
$fn$;--> statement-breakpoint
CREATE FUNCTION vi_name_sort_key(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT public.vi_sort_key(regexp_replace(t, '^.* ', '')) || ' ' || public.vi_sort_key(t)
$fn$;--> statement-breakpoint
DROP INDEX "residents_name_order_idx";--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "head_sort" text COLLATE "C" GENERATED ALWAYS AS (public.vi_name_sort_key(head_name)) STORED;--> statement-breakpoint
ALTER TABLE "residents" ADD COLUMN "name_sort" text COLLATE "C" GENERATED ALWAYS AS (public.vi_name_sort_key(full_name)) STORED;--> statement-breakpoint
ALTER TABLE "team_members" ADD COLUMN "name_sort" text COLLATE "C" GENERATED ALWAYS AS (public.vi_name_sort_key(full_name)) STORED;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "name_sort" text COLLATE "C" GENERATED ALWAYS AS (public.vi_sort_key(name)) STORED;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "display_name_sort" text COLLATE "C" GENERATED ALWAYS AS (public.vi_name_sort_key(display_name)) STORED;--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "name_sort" text COLLATE "C" GENERATED ALWAYS AS (public.vi_sort_key(name)) STORED;--> statement-breakpoint
CREATE INDEX "households_head_sort_idx" ON "households" USING btree ("commune_id","head_sort","code");--> statement-breakpoint
CREATE INDEX "residents_name_sort_idx" ON "residents" USING btree ("commune_id","name_sort","id");