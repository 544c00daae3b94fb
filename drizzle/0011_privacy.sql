CREATE TABLE "privacy_erasures" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"resident_id" integer NOT NULL,
	"request_id" integer,
	"erased_by" integer,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "privacy_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"commune_id" integer NOT NULL,
	"resident_id" integer,
	"requester" text,
	"received_on" date NOT NULL,
	"kind" text NOT NULL,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"refusal_reason" text,
	"handled_by" integer,
	"handled_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_requests_kind_ck" CHECK ("privacy_requests"."kind" in ('access','correction','deletion','objection')),
	CONSTRAINT "privacy_requests_status_ck" CHECK ("privacy_requests"."status" in ('received','in_progress','done','refused')),
	CONSTRAINT "privacy_requests_refused_ck" CHECK (("privacy_requests"."status" = 'refused') = ("privacy_requests"."refusal_reason" is not null))
);
--> statement-breakpoint
ALTER TABLE "privacy_erasures" ADD CONSTRAINT "privacy_erasures_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_erasures" ADD CONSTRAINT "privacy_erasures_request_id_privacy_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."privacy_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_erasures" ADD CONSTRAINT "privacy_erasures_erased_by_users_id_fk" FOREIGN KEY ("erased_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_handled_by_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "privacy_erasures_resident_uq" ON "privacy_erasures" USING btree ("resident_id");--> statement-breakpoint
CREATE INDEX "privacy_requests_commune_due_idx" ON "privacy_requests" USING btree ("commune_id","due_on");--> statement-breakpoint
-- Hand-written: the one controlled way to change the audit trail. A privacy erasure (features/privacy)
-- sets the transaction-local setting `bdhvs.audit_redaction` to 'on' and then rewrites only the
-- `before` / `after` copies of the events that held the erased person's data; any other UPDATE, any
-- change of another column, and every DELETE are still refused. The erasure itself is recorded as a
-- new event (without the erased values) after the setting is turned off again.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('bdhvs.audit_redaction', true) = 'on'
     AND NEW.id = OLD.id AND NEW.commune_id IS NOT DISTINCT FROM OLD.commune_id AND NEW.at = OLD.at
     AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
     AND NEW.actor_username IS NOT DISTINCT FROM OLD.actor_username
     AND NEW.action = OLD.action AND NEW.entity = OLD.entity
     AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id
     AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id AND NEW.ip IS NOT DISTINCT FROM OLD.ip THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
