import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  type ReferenceConfig,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
/** A table's own serial key. */
const serialId = () => serial("id").primaryKey();
/** A required reference to another table's id (an integer column, not null). */
const requiredRef = <N extends string>(
  name: N,
  target: () => AnyPgColumn,
  actions?: ReferenceConfig["actions"],
) => integer(name).notNull().references(target, actions);
/** The commune a row belongs to (`commune_id`, not null, references communes). */
const communeRef = () => requiredRef("commune_id", () => communes.id);
/** When a row was made and last changed (`created_at`, `updated_at`, now by default). */
const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });
/** A commune's own row: its serial key and its commune. */
const communeKeys = () => ({ id: serialId(), communeId: communeRef() });
/** A record's code and name, both required (`code`, `name`). */
const codeAndName = () => ({ code: text("code").notNull(), name: text("name").notNull() });

/** A commune (xã). Every other record belongs to one. */
export const communes = pgTable("communes", {
  id: serialId(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  province: text("province").notNull(),
  /** Filled by `bdhvs demo`: synthetic data, shown as such on every page. */
  demo: boolean("demo").notNull().default(false),
  ...timestamps(),
});

/** A village (thôn) of a commune. */
export const villages = pgTable(
  "villages",
  {
    ...communeKeys(),
    ...codeAndName(),
    /** The name's sort key (lib/collation.ts `sortKey`): written by the app (or, when it gives none, by a trigger: migration 0011), `collate "C"`. */
    nameSort: text("name_sort"),
    ...timestamps(),
  },
  (t) => [uniqueIndex("villages_commune_code_uq").on(t.communeId, t.code)],
);

export const UNIT_TYPES = ["office", "school", "enterprise", "cooperative", "association"] as const;

/** A unit: commune office, school, enterprise, cooperative or association. */
export const units = pgTable(
  "units",
  {
    ...communeKeys(),
    ...codeAndName(),
    /** The name's sort key (lib/collation.ts `sortKey`): written by the app (or, when it gives none, by a trigger: migration 0011), `collate "C"`. */
    nameSort: text("name_sort"),
    type: text("type", { enum: UNIT_TYPES }).notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("units_commune_code_uq").on(t.communeId, t.code),
    check("units_type_ck", sql`${t.type} in ('office','school','enterprise','cooperative','association')`),
  ],
);

export const ROLES = [
  "admin",
  "coordinator",
  "leader",
  "police",
  "economy",
  "school",
  "village_lead",
  "volunteer",
  "province",
  "province_admin",
  "market_board",
] as const;

/** A user account. Username is unique in the installation (stored lower-case). */
export const users = pgTable(
  "users",
  {
    ...communeKeys(),
    username: text("username").notNull().unique(),
    displayName: text("display_name").notNull(),
    /** The display name's sort key (lib/collation.ts `nameSortKey`): written by the app (or, when it gives none, by a trigger: migration 0011), `collate "C"`. */
    displayNameSort: text("display_name_sort"),
    role: text("role", { enum: ROLES }).notNull(),
    unitId: integer("unit_id").references(() => units.id),
    passwordHash: text("password_hash").notNull(),
    totpSecret: text("totp_secret"),
    totpEnabled: boolean("totp_enabled").notNull().default(false),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }).notNull().defaultNow(),
    ...timestamps(),
  },
  (t) => [
    check(
      "users_role_ck",
      sql`${t.role} in ('admin','coordinator','leader','police','economy','school','village_lead','volunteer','province','province_admin','market_board')`,
    ),
    check("users_username_lower_ck", sql`${t.username} = lower(${t.username})`),
  ],
);

/** The villages a village lead or volunteer works in. */
export const userVillages = pgTable(
  "user_villages",
  {
    communeId: communeRef(),
    userId: requiredRef("user_id", () => users.id, { onDelete: "cascade" }),
    villageId: requiredRef("village_id", () => villages.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.villageId] })],
);

/** A browser session. `id` is the SHA-256 of the cookie value; the cookie value is never stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    communeId: communeRef(),
    userId: requiredRef("user_id", () => users.id, { onDelete: "cascade" }),
    csrfToken: text("csrf_token").notNull(),
    /** False while a user with TOTP has given the password but not yet the code. */
    mfaPassed: boolean("mfa_passed").notNull().default(true),
    createdAt: createdAt(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** An API bearer token. `id` is the SHA-256 of the token. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    communeId: communeRef(),
    userId: requiredRef("user_id", () => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);

/**
 * Failed logins, for rate limiting across app processes. `key` is `user:<name>` or `ip:<address>`.
 * Installation-level (a login names no commune yet), so `commune_id` is null unless the account is known.
 */
export const loginFailures = pgTable(
  "login_failures",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    communeId: integer("commune_id").references(() => communes.id),
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("login_failures_key_at_idx").on(t.key, t.at)],
);

/** One-time links that create the first administrator of a commune. `id` is the SHA-256 of the token. */
export const setupTokens = pgTable("setup_tokens", {
  id: text("id").primaryKey(),
  communeId: communeRef(),
  createdAt: createdAt(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});

/**
 * The audit trail. Append-only: a trigger (migration 0001) rejects UPDATE and DELETE.
 * `commune_id` is null only for events that name no commune (a failed login for an unknown account).
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    communeId: integer("commune_id").references(() => communes.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: integer("actor_user_id"),
    actorUsername: text("actor_username"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    requestId: text("request_id"),
    ip: text("ip"),
  },
  (t) => [
    index("audit_events_commune_at_idx").on(t.communeId, t.at),
    index("audit_events_entity_idx").on(t.entity, t.entityId),
  ],
);

/** A household (hộ) of a village. `code` is unique in the commune. */
export const households = pgTable(
  "households",
  {
    ...communeKeys(),
    villageId: requiredRef("village_id", () => villages.id),
    code: text("code").notNull(),
    headName: text("head_name"),
    /** The head's name sort key (lib/collation.ts `nameSortKey`), null without a head: written by the app (or, when it gives none, by a trigger: migration 0011), `collate "C"`. */
    headSort: text("head_sort"),
    address: text("address"),
    poor: boolean("poor").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("households_commune_code_uq").on(t.communeId, t.code),
    index("households_village_idx").on(t.villageId),
    index("households_head_sort_idx").on(t.communeId, t.headSort, t.code),
  ],
);

export const GENDERS = ["male", "female", "other"] as const;
export const RESIDENT_STATUSES = ["active", "moved", "deceased"] as const;
export const RESIDENT_GROUPS = ["public_sector", "student", "enterprise_worker"] as const;

/**
 * A resident. `citizen_id` (CCCD) is the natural key when present; otherwise name + birth date +
 * household. `name_search` is the folded name (no case, no diacritics) that search matches.
 * A birth date known only by its year is stored as 1 January with `birth_year_only`.
 */
export const residents = pgTable(
  "residents",
  {
    ...communeKeys(),
    villageId: requiredRef("village_id", () => villages.id),
    householdId: requiredRef("household_id", () => households.id),
    fullName: text("full_name").notNull(),
    nameSearch: text("name_search").notNull(),
    /** The name's sort key, given name first (lib/collation.ts `nameSortKey`): written by the app (or, when it gives none, by a trigger: migration 0011), `collate "C"`. */
    nameSort: text("name_sort"),
    birthDate: date("birth_date", { mode: "string" }).notNull(),
    birthYearOnly: boolean("birth_year_only").notNull().default(false),
    gender: text("gender", { enum: GENDERS }).notNull(),
    citizenId: text("citizen_id"),
    phone: text("phone"),
    status: text("status", { enum: RESIDENT_STATUSES }).notNull().default("active"),
    groups: text("groups").array().notNull().default(sql`'{}'::text[]`),
    unitId: integer("unit_id").references(() => units.id),
    disabled: boolean("disabled").notNull().default(false),
    vneidLevel: smallint("vneid_level").notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("residents_citizen_id_uq").on(t.citizenId),
    uniqueIndex("residents_natural_key_uq")
      .on(t.communeId, t.householdId, t.fullName, t.birthDate)
      .where(sql`${t.citizenId} is null`),
    index("residents_commune_village_idx").on(t.communeId, t.villageId),
    index("residents_household_idx").on(t.householdId),
    index("residents_unit_idx").on(t.unitId),
    // The residents list's order (Vietnamese, given name first), so a page reads 50 index entries
    // instead of sorting the whole commune.
    index("residents_name_sort_idx").on(t.communeId, t.nameSort, t.id),
    // A search by part of a name (`name_search like '%…%'`) finds its matches by trigram (pg_trgm)
    // instead of reading the commune in name order until a page is full.
    index("residents_name_search_trgm_idx").using("gin", sql`${t.nameSearch} gin_trgm_ops`),
    check("residents_gender_ck", sql`${t.gender} in ('male','female','other')`),
    check("residents_status_ck", sql`${t.status} in ('active','moved','deceased')`),
    check("residents_vneid_ck", sql`${t.vneidLevel} between 0 and 2`),
    check("residents_citizen_id_ck", sql`${t.citizenId} ~ '^[0-9]{12}$'`),
    check("residents_phone_ck", sql`${t.phone} ~ '^0[35789][0-9]{8}$'`),
    check(
      "residents_groups_ck",
      sql`${t.groups} <@ array['public_sector','student','enterprise_worker']::text[]`,
    ),
  ],
);

/**
 * What the indicators need of each resident (SPEC §3), one row per resident, kept by triggers in the
 * same transaction as the rows it comes from (`drizzle/0006_indicator_facts.sql`; never written by
 * the application): a narrow copy of the resident's village, household, unit, birth date, status
 * and groups, and the dates that decide their standing at any D — the first certification of any
 * kind (basic skills), the first `vneid` one and the first class session attended (present). The
 * indicators aggregate this table alone: no join to certifications or attendance. (No foreign key:
 * the triggers insert and delete the row with its resident, and a key check per row would slow
 * imports.)
 */
export const residentFacts = pgTable(
  "resident_facts",
  {
    residentId: integer("resident_id").primaryKey(),
    communeId: integer("commune_id").notNull(),
    villageId: integer("village_id").notNull(),
    householdId: integer("household_id").notNull(),
    unitId: integer("unit_id"),
    birthDate: date("birth_date", { mode: "string" }).notNull(),
    active: boolean("active").notNull(),
    publicSector: boolean("public_sector").notNull(),
    student: boolean("student").notNull(),
    worker: boolean("worker").notNull(),
    hasVneid: boolean("has_vneid").notNull(),
    firstSkill: date("first_skill", { mode: "string" }),
    firstVneid: date("first_vneid", { mode: "string" }),
    firstAttended: date("first_attended", { mode: "string" }),
  },
  (t) => [index("resident_facts_commune_household_idx").on(t.communeId, t.householdId)],
);

/**
 * What indicator 10 needs of each household, one row per household, kept by triggers like
 * `resident_facts` (and from it): its commune and village, how many members are active, and the
 * first day one of them (active now) had basic digital skills. A narrow table of its own, not
 * columns of `households`, because imports update it once per batch a household's members are in.
 */
export const householdFacts = pgTable(
  "household_facts",
  {
    householdId: integer("household_id").primaryKey(),
    communeId: integer("commune_id").notNull(),
    villageId: integer("village_id").notNull(),
    activeMembers: integer("active_members").notNull(),
    firstDigital: date("first_digital", { mode: "string" }),
  },
  (t) => [index("household_facts_commune_village_idx").on(t.communeId, t.villageId)],
);

export const CERTIFICATION_KINDS = ["basic", "vneid"] as const;
export const CERTIFICATION_SOURCES = ["vneid", "platform", "school", "course"] as const;

/** A certification of basic digital skills (`basic`) or of VNeID confirmation (`vneid`). */
export const certifications = pgTable(
  "certifications",
  {
    ...communeKeys(),
    residentId: requiredRef("resident_id", () => residents.id),
    kind: text("kind", { enum: CERTIFICATION_KINDS }).notNull(),
    date: date("date", { mode: "string" }).notNull(),
    source: text("source", { enum: CERTIFICATION_SOURCES }).notNull(),
    reference: text("reference"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("certifications_natural_key_uq").on(t.residentId, t.kind, t.source, t.date),
    index("certifications_commune_idx").on(t.communeId, t.kind, t.date),
    check("certifications_kind_ck", sql`${t.kind} in ('basic','vneid')`),
    check("certifications_source_ck", sql`${t.source} in ('vneid','platform','school','course')`),
  ],
);

export const ACTIVITY_TYPES = ["class", "propaganda", "digital_learning_day", "launch", "other"] as const;
/** Who an activity is for: the four target groups of the skills framework (SPEC §4.1). */
export const AUDIENCES = ["resident", "public_sector", "student", "enterprise_worker"] as const;

/**
 * An activity of the movement (SPEC §4): a class (with sessions and attendance), propaganda, a
 * digital learning day, a launch or other. `code` is unique in the commune (the import's key).
 */
export const activities = pgTable(
  "activities",
  {
    ...communeKeys(),
    code: text("code").notNull(),
    type: text("type", { enum: ACTIVITY_TYPES }).notNull(),
    title: text("title").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    villageId: integer("village_id").references(() => villages.id),
    unitId: integer("unit_id").references(() => units.id),
    audience: text("audience", { enum: AUDIENCES }),
    place: text("place"),
    /** The time of day it starts, `HH:mm` (Vietnam time); null when not given. */
    startTime: text("start_time"),
    trainer: text("trainer"),
    notes: text("notes"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("activities_commune_code_uq").on(t.communeId, t.code),
    index("activities_commune_type_date_idx").on(t.communeId, t.type, t.date),
    index("activities_village_idx").on(t.villageId),
    check(
      "activities_type_ck",
      sql`${t.type} in ('class','propaganda','digital_learning_day','launch','other')`,
    ),
    check(
      "activities_audience_ck",
      sql`${t.audience} in ('resident','public_sector','student','enterprise_worker')`,
    ),
  ],
);

/** A session (buổi học) of a class, on one day. */
export const activitySessions = pgTable(
  "activity_sessions",
  {
    ...communeKeys(),
    activityId: requiredRef("activity_id", () => activities.id, { onDelete: "cascade" }),
    date: date("date", { mode: "string" }).notNull(),
    notes: text("notes"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("activity_sessions_activity_date_uq").on(t.activityId, t.date),
    index("activity_sessions_commune_date_idx").on(t.communeId, t.date),
  ],
);

/** A resident on a session's roster: present or absent. */
export const attendance = pgTable(
  "attendance",
  {
    ...communeKeys(),
    sessionId: requiredRef("session_id", () => activitySessions.id, { onDelete: "cascade" }),
    residentId: requiredRef("resident_id", () => residents.id),
    present: boolean("present").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("attendance_session_resident_uq").on(t.sessionId, t.residentId),
    index("attendance_resident_idx").on(t.residentId),
  ],
);

/**
 * A village's community digital technology team (Tổ công nghệ số cộng đồng): one per village.
 * `publishContacts`: the team agreed to show its leader's name and phone on the public pages.
 */
export const teams = pgTable(
  "teams",
  {
    ...communeKeys(),
    villageId: requiredRef("village_id", () => villages.id),
    phone: text("phone"),
    publishContacts: boolean("publish_contacts").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("teams_village_uq").on(t.villageId),
    check("teams_phone_ck", sql`${t.phone} ~ '^0[35789][0-9]{8}$'`),
  ],
);

export const TEAM_ROLES = ["leader", "member", "youth_volunteer"] as const;

/** A member of a team: linked to a resident when known, else a name only. Key: team + name. */
export const teamMembers = pgTable(
  "team_members",
  {
    ...communeKeys(),
    teamId: requiredRef("team_id", () => teams.id),
    residentId: integer("resident_id").references(() => residents.id),
    /** The member's own account (a volunteer or village lead), set on the team page: the visit form offers it first. */
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    fullName: text("full_name").notNull(),
    nameSearch: text("name_search").notNull(),
    /** The name's sort key (lib/collation.ts `nameSortKey`): written by the app (or, when it gives none, by a trigger: migration 0011), `collate "C"`. */
    nameSort: text("name_sort"),
    role: text("role", { enum: TEAM_ROLES }).notNull(),
    phone: text("phone"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("team_members_team_name_uq").on(t.teamId, t.fullName),
    uniqueIndex("team_members_team_user_uq").on(t.teamId, t.userId).where(sql`${t.userId} is not null`),
    check("team_members_role_ck", sql`${t.role} in ('leader','member','youth_volunteer')`),
    check("team_members_phone_ck", sql`${t.phone} ~ '^0[35789][0-9]{8}$'`),
  ],
);

export const SUPPORT_KINDS = [
  "vneid_install",
  "vneid_level2",
  "bank_account",
  "cashless_payment",
  "public_service_online",
  "platform_enrol",
  "security_advice",
  "health_app",
] as const;

/** A door-to-door visit (đi từng ngõ, gõ từng nhà) to a household by a team member. */
export const visits = pgTable(
  "visits",
  {
    ...communeKeys(),
    householdId: requiredRef("household_id", () => households.id),
    date: date("date", { mode: "string" }).notNull(),
    memberId: requiredRef("member_id", () => teamMembers.id),
    support: text("support").array().notNull().default(sql`'{}'::text[]`),
    note: text("note"),
    /** The account that recorded it (null for imported visits). */
    recordedBy: integer("recorded_by").references(() => users.id),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("visits_natural_key_uq").on(t.householdId, t.date, t.memberId),
    index("visits_commune_date_idx").on(t.communeId, t.date),
    check(
      "visits_support_ck",
      sql`${t.support} <@ array['vneid_install','vneid_level2','bank_account','cashless_payment','public_service_online','platform_enrol','security_advice','health_app']::text[]`,
    ),
  ],
);

/** The residents met during a visit. */
export const visitResidents = pgTable(
  "visit_residents",
  {
    communeId: communeRef(),
    visitId: requiredRef("visit_id", () => visits.id, { onDelete: "cascade" }),
    residentId: requiredRef("resident_id", () => residents.id),
  },
  (t) => [
    primaryKey({ columns: [t.visitId, t.residentId] }),
    index("visit_residents_resident_idx").on(t.residentId),
  ],
);

export const ASSESSMENT_LEVELS = ["none", "basic", "intermediate", "advanced"] as const;

/**
 * A resident's self-assessment recorded by a volunteer or trainer (SPEC §4.1): a level per domain
 * of the skills framework. Not a certification: it never counts toward the indicators.
 */
export const assessments = pgTable(
  "assessments",
  {
    ...communeKeys(),
    residentId: requiredRef("resident_id", () => residents.id),
    date: date("date", { mode: "string" }).notNull(),
    audience: text("audience", { enum: AUDIENCES }).notNull(),
    /** Domain code → level (one of ASSESSMENT_LEVELS). */
    levels: jsonb("levels").$type<Record<string, (typeof ASSESSMENT_LEVELS)[number]>>().notNull(),
    note: text("note"),
    recordedBy: integer("recorded_by").references(() => users.id),
    ...timestamps(),
  },
  (t) => [
    index("assessments_resident_idx").on(t.residentId),
    check(
      "assessments_audience_ck",
      sql`${t.audience} in ('resident','public_sector','student','enterprise_worker')`,
    ),
  ],
);

export const INCIDENT_SEVERITIES = ["minor", "serious"] as const;

/** A cyber-security incident (police and admin only). `code` is unique in the commune. */
export const incidents = pgTable(
  "incidents",
  {
    ...communeKeys(),
    code: text("code").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    severity: text("severity", { enum: INCIDENT_SEVERITIES }).notNull(),
    kind: text("kind"),
    description: text("description").notNull(),
    unitId: integer("unit_id").references(() => units.id),
    resolvedDate: date("resolved_date", { mode: "string" }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("incidents_commune_code_uq").on(t.communeId, t.code),
    index("incidents_commune_date_idx").on(t.communeId, t.date),
    check("incidents_severity_ck", sql`${t.severity} in ('minor','serious')`),
    check("incidents_resolved_ck", sql`${t.resolvedDate} is null or ${t.resolvedDate} >= ${t.date}`),
  ],
);

/** Raw bytes (a generated report file). PGlite returns a Uint8Array, `pg` a Buffer. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

export const REPORT_STATUSES = ["draft", "submitted", "approved", "returned", "superseded"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** The narrative parts of a report, written by the officer before submitting (SPEC §6). */
export type ReportNarrative = {
  overview: string;
  difficulties: string;
  nextSteps: string;
  proposals: string;
};

/**
 * A periodic or on-demand report to the Steering Committee (SPEC §4, §6). A draft is edited and
 * computed live; submitting freezes the indicator snapshot and the generated files; a submitted
 * report is never edited, only superseded by a new version of the same period.
 */
export const reports = pgTable(
  "reports",
  {
    ...communeKeys(),
    period: text("period").notNull(),
    version: integer("version").notNull(),
    status: text("status", { enum: REPORT_STATUSES }).notNull().default("draft"),
    /** Reference date D of the figures (SPEC §3), within the period. */
    date: date("date", { mode: "string" }).notNull(),
    /** From the plan's reporting schedule; null for a report the schedule does not ask for. */
    dueDate: date("due_date", { mode: "string" }),
    /** Number and symbol, e.g. "15/BC-UBND". */
    number: text("number"),
    /** Date of signature shown in the place-and-date line. */
    signedOn: date("signed_on", { mode: "string" }).notNull(),
    signerName: text("signer_name"),
    narrative: jsonb("narrative").$type<ReportNarrative>().notNull(),
    /** The frozen report (ReportModel JSON) and the indicator table, set when submitted. */
    snapshot: jsonb("snapshot"),
    figures: jsonb("figures"),
    createdBy: integer("created_by").references(() => users.id),
    submittedBy: integer("submitted_by").references(() => users.id),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    /** The civil date (Asia/Ho_Chi_Minh) of submission, compared with the due date (indicator 12). */
    submittedOn: date("submitted_on", { mode: "string" }),
    approvedBy: integer("approved_by").references(() => users.id),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    /** Sent back by the leader (or admin) with a comment (issue 19): a new version follows. */
    returnedBy: integer("returned_by").references(() => users.id),
    returnedAt: timestamp("returned_at", { withTimezone: true }),
    returnComment: text("return_comment"),
    /**
     * 0 for the plan's scheduled reports of the period; N for the commune's N-th ad hoc ("đột xuất")
     * report, whose title and due date the coordinator chose. Versions count within (period, adhoc_no).
     */
    adhocNo: integer("adhoc_no").notNull().default(0),
    /** An ad hoc report's title (its reason), printed as the document's subject. */
    title: text("title"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("reports_commune_period_version_uq").on(t.communeId, t.period, t.adhocNo, t.version),
    index("reports_commune_due_idx").on(t.communeId, t.dueDate),
    check("reports_status_ck", sql`${t.status} in ('draft','submitted','approved','returned','superseded')`),
    check("reports_returned_ck", sql`(${t.status} = 'returned') = (${t.returnComment} is not null)`),
    check("reports_adhoc_ck", sql`(${t.adhocNo} > 0) = (${t.title} is not null)`),
    check("reports_version_ck", sql`${t.version} >= 1`),
    check(
      "reports_submitted_ck",
      sql`(${t.status} = 'draft') = (${t.submittedAt} is null) and (${t.status} = 'draft') = (${t.snapshot} is null)`,
    ),
  ],
);

/** The files generated when a report was submitted, kept byte for byte. */
export const reportFiles = pgTable(
  "report_files",
  {
    ...communeKeys(),
    reportId: requiredRef("report_id", () => reports.id),
    format: text("format", { enum: ["docx", "xlsx", "pdf"] }).notNull(),
    content: bytea("content").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("report_files_report_format_uq").on(t.reportId, t.format)],
);

/**
 * A plan file an admin loaded (or copied from the year before) for a commune (SPEC §3.3): the checked
 * plan as JSON. One active row per year; the plan in force on a day is that year's (else the latest
 * earlier one), with the plan that ships (`plans/tan-ninh-2026.json`) standing for its own year.
 */
export const plans = pgTable(
  "plans",
  {
    ...communeKeys(),
    fileName: text("file_name").notNull(),
    content: jsonb("content").notNull(),
    /** The plan's year (its `year`): a commune has one plan in force per year (issue 19.5). */
    year: integer("year").notNull(),
    active: boolean("active").notNull().default(true),
    loadedBy: integer("loaded_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("plans_commune_year_active_uq").on(t.communeId, t.year).where(sql`${t.active}`)],
);

/**
 * What a unit's officer (or a village lead) recorded about one task of the plan's section V (issue
 * 19.1): for one due date of the task (`due_date`; null for a continuous task), a status, a short
 * result and the day it was recorded. Entries are kept, the latest per task, assignee and due date
 * being the current state. Exactly one of unit / village is the assignee.
 */
export const TASK_STATUSES = ["in_progress", "done", "blocked"] as const;
export const taskProgress = pgTable(
  "task_progress",
  {
    ...communeKeys(),
    /** The plan's year: a task code is the plan's, so next year's plan starts afresh. */
    planYear: integer("plan_year").notNull(),
    taskCode: text("task_code").notNull(),
    unitId: integer("unit_id").references(() => units.id),
    villageId: integer("village_id").references(() => villages.id),
    dueDate: date("due_date", { mode: "string" }),
    status: text("status", { enum: TASK_STATUSES }).notNull(),
    result: text("result").notNull().default(""),
    /** The civil date (Asia/Ho_Chi_Minh) it was recorded on, compared with the due date. */
    reportedOn: date("reported_on", { mode: "string" }).notNull(),
    reportedBy: integer("reported_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("task_progress_task_idx").on(t.communeId, t.planYear, t.taskCode),
    check("task_progress_status_ck", sql`${t.status} in ('in_progress','done','blocked')`),
    check("task_progress_assignee_ck", sql`(${t.unitId} is null) <> (${t.villageId} is null)`),
  ],
);

/**
 * Evidence of a progress entry: a photo or a scanned decision (JPEG, PNG or PDF, recognised by its
 * first bytes), kept in the database so every app process serves it.
 */
export const TASK_EVIDENCE_TYPES = ["image/jpeg", "image/png", "application/pdf"] as const;
export const taskEvidence = pgTable(
  "task_evidence",
  {
    ...communeKeys(),
    progressId: requiredRef("progress_id", () => taskProgress.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    mediaType: text("media_type", { enum: TASK_EVIDENCE_TYPES }).notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("task_evidence_progress_idx").on(t.progressId),
    check("task_evidence_type_ck", sql`${t.mediaType} in ('image/jpeg','image/png','application/pdf')`),
    check("task_evidence_size_ck", sql`${t.size} > 0 and ${t.size} = octet_length(${t.content})`),
  ],
);

/**
 * The answers of writes sent with an `Idempotency-Key` header (IETF draft "The Idempotency-Key HTTP
 * Header Field"): one row per user and key, written in the same transaction as the write itself, so a
 * replay (a phone that never got the answer) returns the stored status and body and writes nothing.
 * `fingerprint` is the SHA-256 of the method, path and (canonical) body: the same key with another
 * request is refused. Rows older than the retention (30 days) are removed as new keys arrive.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    communeId: communeRef(),
    userId: requiredRef("user_id", () => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: smallint("status").notNull(),
    contentType: text("content_type"),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("idempotency_keys_user_key_uq").on(t.userId, t.key),
    index("idempotency_keys_created_idx").on(t.createdAt),
  ],
);

/**
 * What the field app's last work-set downloads sent to a user's phone: record key → version (a short
 * hash of the record as sent). The phone sends the id back as its cursor; the next sync sends only the
 * records whose version changed and the keys no longer there (removals). A user keeps a few.
 */
export const fieldSyncStates = pgTable(
  "field_sync_states",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    communeId: communeRef(),
    userId: requiredRef("user_id", () => users.id, { onDelete: "cascade" }),
    versions: jsonb("versions").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("field_sync_states_user_idx").on(t.userId)],
);

/**
 * What changed, for the field app's changes-only sync: one row per record a statement touched that a
 * work set carries (kind `household` with the household's id — its row, a member, a certification, a
 * visit; `session` with the class's activity id — the class, a session, a mark; `member` with the team
 * member's id — a team or its members; `village`), with the village (or school unit) it was in before
 * and after. Written only by the statement triggers of migration 0012, in the writing transaction;
 * `tx` is that transaction's id, so a sync reads the changes of every transaction not yet finished
 * when the previous sync began (`pg_snapshot_xmin`) — commit order cannot hide one. Kept 8 days.
 */
export const fieldChanges = pgTable(
  "field_changes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    communeId: integer("commune_id").notNull(),
    villageId: integer("village_id"),
    unitId: integer("unit_id"),
    kind: text("kind").notNull(),
    refId: integer("ref_id").notNull(),
    tx: bigint("tx", { mode: "number" }).notNull().default(sql`(pg_current_xact_id()::text)::bigint`),
    createdAt: createdAt(),
  },
  (t) => [
    index("field_changes_commune_tx_idx").on(t.communeId, t.tx),
    index("field_changes_created_idx").on(t.createdAt),
  ],
);

/**
 * One row per commune: a number that every committed write changing what the indicators read
 * raises, in the same transaction (deferred triggers of migration 0008), and one number per family
 * of inputs (migration 0021: the registry, certifications, activities, attendance, teams, visits,
 * incidents, reports, plans, and the facts the triggers derive), raised by the writes to that
 * family's tables only. The caches
 * (db/data-version.ts `knownByVersion`) key each answer by the families it reads, so several app
 * processes agree and a write of one family leaves the answers that do not read it kept.
 */
export const dataVersions = pgTable("data_versions", {
  communeId: integer("commune_id")
    .primaryKey()
    .references(() => communes.id),
  version: integer("version").notNull().default(0),
  registryVersion: integer("registry_version").notNull().default(0),
  certificationsVersion: integer("certifications_version").notNull().default(0),
  activitiesVersion: integer("activities_version").notNull().default(0),
  attendanceVersion: integer("attendance_version").notNull().default(0),
  teamsVersion: integer("teams_version").notNull().default(0),
  visitsVersion: integer("visits_version").notNull().default(0),
  incidentsVersion: integer("incidents_version").notNull().default(0),
  reportsVersion: integer("reports_version").notNull().default(0),
  plansVersion: integer("plans_version").notNull().default(0),
  /** `resident_facts` and `household_facts` changed in what the indicators read of them. */
  factsVersion: integer("facts_version").notNull().default(0),
  /** A worker's first training session attended changed (`resident_facts.first_attended`, migration 0026). */
  attendedVersion: integer("attended_version").notNull().default(0),
  /** A session ended or changed, an account, its villages or its commune changed (migration 0023). */
  sessionsVersion: integer("sessions_version").notNull().default(0),
  /** A market or a vendor written ("Chợ số", migration 0025). */
  marketsVersion: integer("markets_version").notNull().default(0),
});

export const PRIVACY_REQUEST_KINDS = ["access", "correction", "deletion", "objection"] as const;
export const PRIVACY_REQUEST_STATUSES = ["received", "in_progress", "done", "refused"] as const;

/**
 * A data subject's request under the Personal Data Protection Law (91/2025/QH15, Decree 356/2025):
 * who asked (a resident of the registry and/or a free-text requester), when it was received, its
 * kind, the due date (working days, computed when it is received), its status and who handled it.
 * `resident_id` is cleared when the resident is erased (the request stays, naming no one).
 */
export const privacyRequests = pgTable(
  "privacy_requests",
  {
    ...communeKeys(),
    residentId: integer("resident_id").references(() => residents.id, { onDelete: "set null" }),
    requester: text("requester"),
    receivedOn: date("received_on", { mode: "string" }).notNull(),
    kind: text("kind", { enum: PRIVACY_REQUEST_KINDS }).notNull(),
    dueOn: date("due_on", { mode: "string" }).notNull(),
    status: text("status", { enum: PRIVACY_REQUEST_STATUSES }).notNull().default("received"),
    refusalReason: text("refusal_reason"),
    handledBy: integer("handled_by").references(() => users.id),
    handledAt: timestamp("handled_at", { withTimezone: true }),
    createdBy: integer("created_by").references(() => users.id),
    ...timestamps(),
  },
  (t) => [
    index("privacy_requests_commune_due_idx").on(t.communeId, t.dueOn),
    check("privacy_requests_kind_ck", sql`${t.kind} in ('access','correction','deletion','objection')`),
    check("privacy_requests_status_ck", sql`${t.status} in ('received','in_progress','done','refused')`),
    check("privacy_requests_refused_ck", sql`(${t.status} = 'refused') = (${t.refusalReason} is not null)`),
  ],
);

/**
 * The residents erased on request: their id only (no personal data), so a restore of a backup taken
 * before an erasure can erase them again.
 */
export const privacyErasures = pgTable(
  "privacy_erasures",
  {
    ...communeKeys(),
    residentId: integer("resident_id").notNull(),
    requestId: integer("request_id").references(() => privacyRequests.id),
    erasedBy: integer("erased_by").references(() => users.id),
    erasedAt: timestamp("erased_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("privacy_erasures_resident_uq").on(t.residentId)],
);

export const COMMENDATION_STATUSES = ["draft", "approved"] as const;
export type CommendationStatus = (typeof COMMENDATION_STATUSES)[number];

/**
 * A proposal for commendation (issue 19.2): the coordinator drafts it from a period's emulation
 * ranking (the candidates' scores and figures frozen as they were, with reasons generated from the
 * data, editable), the leader approves it; then it no longer changes. Written as a "Tờ trình" DOCX.
 */
export const commendations = pgTable(
  "commendations",
  {
    ...communeKeys(),
    period: text("period").notNull(),
    /** Reference date D of the figures, within the period. */
    date: date("date", { mode: "string" }).notNull(),
    status: text("status", { enum: COMMENDATION_STATUSES }).notNull().default("draft"),
    /** Number and symbol of the Tờ trình, e.g. "12/TTr-UBND"; null while not numbered. */
    number: text("number"),
    signedOn: date("signed_on", { mode: "string" }).notNull(),
    signerName: text("signer_name"),
    /** The candidates (CommendationItem[]): the ranking's entries frozen, each with its reason. */
    items: jsonb("items").notNull(),
    /** The plan's emulation weights the scores were made with. */
    weights: jsonb("weights").notNull(),
    createdBy: integer("created_by").references(() => users.id),
    approvedBy: integer("approved_by").references(() => users.id),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    index("commendations_commune_idx").on(t.communeId, t.period),
    check("commendations_status_ck", sql`${t.status} in ('draft','approved')`),
    check("commendations_approved_ck", sql`(${t.status} = 'approved') = (${t.approvedAt} is not null)`),
  ],
);

/**
 * A file uploaded for an import, waiting between its check and its commit (issue 18.4): in the
 * database, so any app process serves its check, commit and downloads. Its bytes are in
 * `import_upload_parts`; it expires two hours after it was saved or a commit began (`kept_at`).
 */
export const importUploads = pgTable(
  "import_uploads",
  {
    /** 32 hex digits, unguessable; bound to its uploader. */
    id: text("id").primaryKey(),
    communeId: communeRef(),
    userId: requiredRef("user_id", () => users.id),
    kind: text("kind").notNull(),
    /** The file's original name. */
    name: text("name").notNull(),
    /** Its extension, lower case with the dot (".csv", ".xlsx"). */
    ext: text("ext").notNull(),
    sheet: text("sheet"),
    /** When its keeping time started (the app's clock): saved, or a commit began. */
    keptAt: timestamp("kept_at", { withTimezone: true }).notNull(),
    /** The uploaded file itself is gone (written by its commit); its rejects may remain. */
    sourceGone: boolean("source_gone").notNull().default(false),
  },
  (t) => [index("import_uploads_commune_kept_idx").on(t.communeId, t.keptAt)],
);

/**
 * The bytes of an upload's files, in chunks of at most 256 KB: the file uploaded (`source`), the
 * check's errors list (`errors`), the commit's rejected rows (`rejects`).
 */
export const importUploadParts = pgTable(
  "import_upload_parts",
  {
    uploadId: text("upload_id")
      .notNull()
      .references(() => importUploads.id, { onDelete: "cascade" }),
    communeId: communeRef(),
    part: text("part", { enum: ["source", "errors", "rejects"] }).notNull(),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.uploadId, t.part, t.seq] }),
    check("import_upload_parts_part_ck", sql`${t.part} in ('source','errors','rejects')`),
  ],
);

/**
 * A web import's background job (a check or a commit of one upload), in the database so any app
 * process answers its page (issue 18.4). The process running it (`owner`) renews `lease_until`
 * as it goes; a running job whose lease ran out lost its process and is failed with a message
 * (a commit marks its job done in the import's own transaction, so it never commits twice).
 */
export const importJobs = pgTable(
  "import_jobs",
  {
    id: text("id").primaryKey(),
    communeId: communeRef(),
    userId: requiredRef("user_id", () => users.id),
    kind: text("kind").notNull(),
    phase: text("phase", { enum: ["check", "commit"] }).notNull(),
    uploadId: text("upload_id").notNull(),
    fileName: text("file_name").notNull(),
    state: text("state", { enum: ["running", "done", "failed"] }).notNull(),
    rows: integer("rows").notNull().default(0),
    totalRows: integer("total_rows"),
    bytesRead: bigint("bytes_read", { mode: "number" }).notNull().default(0),
    bytesTotal: bigint("bytes_total", { mode: "number" }).notNull().default(0),
    skipInvalid: boolean("skip_invalid").notNull().default(false),
    result: jsonb("result"),
    preview: jsonb("preview"),
    error: jsonb("error"),
    /** The app process running it ("host:pid:random"). */
    owner: text("owner").notNull(),
    attempts: integer("attempts").notNull().default(1),
    leaseUntil: timestamp("lease_until", { withTimezone: true }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    /** One running job per user at a time, whichever process started it. */
    uniqueIndex("import_jobs_one_running_uq").on(t.communeId, t.userId).where(sql`${t.state} = 'running'`),
    index("import_jobs_commune_upload_idx").on(t.communeId, t.uploadId),
    index("import_jobs_running_lease_idx").on(t.leaseUntil).where(sql`${t.state} = 'running'`),
    check("import_jobs_state_ck", sql`${t.state} in ('running','done','failed')`),
    check("import_jobs_phase_ck", sql`${t.phase} in ('check','commit')`),
  ],
);

export const MARKET_KINDS = ["traditional", "periodic", "wholesale", "other"] as const;
export const PAYMENT_METHODS = ["qr", "bank", "ewallet"] as const;
export const SALES_CHANNELS = ["zalo", "facebook", "shopee", "tiktok", "website", "other"] as const;

/** A market of the commune ("Chợ số – Nông thôn số", issue 19.3): its code, name, village and kind. */
export const markets = pgTable(
  "markets",
  {
    ...communeKeys(),
    ...codeAndName(),
    villageId: requiredRef("village_id", () => villages.id),
    kind: text("kind", { enum: MARKET_KINDS }).notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("markets_commune_code_uq").on(t.communeId, t.code),
    check("markets_kind_ck", sql`${t.kind} in ('traditional','periodic','wholesale','other')`),
  ],
);

/**
 * A vendor (a stall of a market; the natural key is market + stall): the owner's name, linked to a
 * resident and/or household of the commune where known, the goods, the cashless payments accepted
 * and the online sales channels (sets).
 */
export const vendors = pgTable(
  "vendors",
  {
    ...communeKeys(),
    marketId: requiredRef("market_id", () => markets.id),
    stall: text("stall").notNull(),
    ownerName: text("owner_name").notNull(),
    residentId: integer("resident_id").references(() => residents.id, { onDelete: "set null" }),
    householdId: integer("household_id").references(() => households.id, { onDelete: "set null" }),
    goods: text("goods"),
    payments: text("payments").array().notNull().default(sql`'{}'::text[]`),
    channels: text("channels").array().notNull().default(sql`'{}'::text[]`),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("vendors_market_stall_uq").on(t.marketId, t.stall),
    index("vendors_commune_idx").on(t.communeId, t.marketId),
    index("vendors_resident_idx").on(t.residentId),
    index("vendors_household_idx").on(t.householdId),
    check("vendors_payments_ck", sql`${t.payments} <@ array['qr','bank','ewallet']::text[]`),
    check(
      "vendors_channels_ck",
      sql`${t.channels} <@ array['zalo','facebook','shopee','tiktok','website','other']::text[]`,
    ),
  ],
);

/**
 * The provincial steering committee's periodic reports (issue 18.3): a draft is computed live from
 * every commune's figures; submitting stores the report's content (`snapshot`: the ReportModel JSON
 * the three files are laid out from, map included) and the province's figures, which a trigger
 * then refuses to change (migration 0022), so a later import changes nothing in it.
 */
export const provinceReports = pgTable(
  "province_reports",
  {
    id: serial("id").primaryKey(),
    period: text("period").notNull(),
    status: text("status", { enum: ["draft", "submitted"] })
      .notNull()
      .default("draft"),
    /** Reference date D of the figures, within the period. */
    date: date("date", { mode: "string" }).notNull(),
    number: text("number"),
    signedOn: date("signed_on", { mode: "string" }).notNull(),
    signerName: text("signer_name"),
    /** The frozen report (ReportModel JSON) and the province's figures, set when submitted. */
    snapshot: jsonb("snapshot"),
    figures: jsonb("figures"),
    createdBy: integer("created_by").references(() => users.id),
    submittedBy: integer("submitted_by").references(() => users.id),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    index("province_reports_period_idx").on(t.period),
    check("province_reports_status_ck", sql`${t.status} in ('draft','submitted')`),
    check(
      "province_reports_submitted_ck",
      sql`(${t.status} = 'draft') = (${t.submittedAt} is null) and (${t.status} = 'draft') = (${t.snapshot} is null)`,
    ),
  ],
);
