CREATE TABLE "markets" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"village_id" integer NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "markets_kind_ck" CHECK ("markets"."kind" in ('traditional','periodic','wholesale','other'))
);
--> statement-breakpoint
CREATE TABLE "vendors" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"market_id" integer NOT NULL,
	"stall" text NOT NULL,
	"owner_name" text NOT NULL,
	"resident_id" integer,
	"household_id" integer,
	"goods" text,
	"payments" text[] DEFAULT '{}'::text[] NOT NULL,
	"channels" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vendors_payments_ck" CHECK ("vendors"."payments" <@ array['qr','bank','ewallet']::text[]),
	CONSTRAINT "vendors_channels_ck" CHECK ("vendors"."channels" <@ array['zalo','facebook','shopee','tiktok','website','other']::text[])
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_ck";--> statement-breakpoint
ALTER TABLE "markets" ADD CONSTRAINT "markets_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "markets" ADD CONSTRAINT "markets_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendors" ADD CONSTRAINT "vendors_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendors" ADD CONSTRAINT "vendors_market_id_markets_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."markets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendors" ADD CONSTRAINT "vendors_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendors" ADD CONSTRAINT "vendors_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "markets_commune_code_uq" ON "markets" USING btree ("commune_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "vendors_market_stall_uq" ON "vendors" USING btree ("market_id","stall");--> statement-breakpoint
CREATE INDEX "vendors_commune_idx" ON "vendors" USING btree ("commune_id","market_id");--> statement-breakpoint
CREATE INDEX "vendors_resident_idx" ON "vendors" USING btree ("resident_id");--> statement-breakpoint
CREATE INDEX "vendors_household_idx" ON "vendors" USING btree ("household_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_ck" CHECK ("users"."role" in ('admin','coordinator','leader','police','economy','school','village_lead','volunteer','province','province_admin','market_board'));