import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../../src/db/client.ts";
import {
  activities,
  activitySessions,
  attendance,
  certifications,
  communes,
  households,
  incidents,
  residents,
  teamMembers,
  teams,
  units,
  users,
  userVillages,
  villages,
  visitResidents,
  visits,
} from "../../src/db/schema.ts";
import { hashPassword } from "../../src/features/auth/password.ts";
import type { Role } from "../../src/features/auth/policy.ts";
import { now } from "../../src/lib/clock.ts";
import { foldVietnamese } from "../../src/lib/text.ts";

const uniq = () => randomBytes(3).toString("hex");

/** Inserts one row into `table` and returns it as stored. */
async function insertRow<T extends PgTable>(
  db: Db,
  table: T,
  values: T["$inferInsert"],
): Promise<T["$inferSelect"]> {
  const [row] = await db.insert(table).values(values).returning();
  return row as T["$inferSelect"];
}

export type Commune = Pick<typeof communes.$inferSelect, "id" | "code" | "name" | "province">;
export type Village = typeof villages.$inferSelect;
export type Unit = typeof units.$inferSelect;

export async function buildCommune(
  db: Db,
  over: Partial<typeof communes.$inferInsert> = {},
): Promise<Commune> {
  return insertRow(db, communes, {
    code: `XA${uniq()}`,
    name: `Xã Thử ${uniq()}`,
    province: "Thanh Hóa",
    ...over,
  });
}

export async function buildVillage(
  db: Db,
  opts: { commune?: Commune; code?: string; name?: string } = {},
): Promise<Village> {
  const commune = opts.commune ?? (await buildCommune(db));
  return insertRow(db, villages, {
    communeId: commune.id,
    code: opts.code ?? `T${uniq()}`,
    name: opts.name ?? `Thôn ${uniq()}`,
  });
}

export async function buildUnit(
  db: Db,
  opts: { commune?: Commune; code?: string; name?: string; type?: Unit["type"] } = {},
): Promise<Unit> {
  const commune = opts.commune ?? (await buildCommune(db));
  return insertRow(db, units, {
    communeId: commune.id,
    code: opts.code ?? `DV${uniq()}`,
    name: opts.name ?? `Đơn vị ${uniq()}`,
    type: opts.type ?? "office",
  });
}

/** The password every factory-built account has unless told otherwise. */
export const TEST_PASSWORD = "mat-khau-thu-123";
let testHash: Promise<string> | undefined;

/**
 * An account with its scope. A village role without villages gets a new village, a school
 * role without a unit gets a new school, both in the account's commune.
 */
export async function buildUser(
  db: Db,
  opts: {
    role?: Role;
    commune?: Commune;
    villages?: Village[];
    unit?: Unit;
    username?: string;
    displayName?: string;
    password?: string;
    disabled?: boolean;
  } = {},
) {
  const role = opts.role ?? "admin";
  const commune = opts.commune ?? (await buildCommune(db));
  let villageList = opts.villages ?? [];
  let unit = opts.unit;
  if ((role === "village_lead" || role === "volunteer") && villageList.length === 0) {
    villageList = [await buildVillage(db, { commune })];
  }
  if (role === "school" && !unit) unit = await buildUnit(db, { commune, type: "school" });
  testHash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = opts.password ? await hashPassword(opts.password) : await testHash;
  const user = await insertRow(db, users, {
    communeId: commune.id,
    username: opts.username ?? `${role.replace("_", "")}${uniq()}`,
    displayName: opts.displayName ?? `Người dùng ${role}`,
    role,
    unitId: unit?.id ?? null,
    passwordHash,
    disabledAt: opts.disabled ? now() : null,
  });
  if (villageList.length > 0) {
    await db
      .insert(userVillages)
      .values(villageList.map((v) => ({ communeId: commune.id, userId: user!.id, villageId: v.id })));
  }
  return { user: user!, commune, villages: villageList, unit, password: opts.password ?? TEST_PASSWORD };
}

export type Household = typeof households.$inferSelect;
export type Resident = typeof residents.$inferSelect;

export async function buildHousehold(
  db: Db,
  opts: { village?: Village; code?: string; poor?: boolean; headName?: string } = {},
): Promise<Household> {
  const village = opts.village ?? (await buildVillage(db));
  return insertRow(db, households, {
    communeId: village.communeId,
    villageId: village.id,
    code: opts.code ?? `H${uniq()}`,
    headName: opts.headName ?? null,
    poor: opts.poor ?? false,
  });
}

/** A resident; builds a household (and village) when none is given. */
export async function buildResident(
  db: Db,
  opts: Partial<Omit<typeof residents.$inferInsert, "communeId" | "villageId" | "householdId">> & {
    household?: Household;
  } = {},
): Promise<Resident> {
  const { household: given, ...values } = opts;
  const household = given ?? (await buildHousehold(db));
  const fullName = values.fullName ?? `Nguyễn Văn ${uniq()}`;
  return insertRow(db, residents, {
    birthDate: "1980-01-01",
    gender: "male",
    ...values,
    fullName,
    nameSearch: foldVietnamese(fullName),
    communeId: household.communeId,
    villageId: household.villageId,
    householdId: household.id,
  });
}

export type Certification = typeof certifications.$inferSelect;

/** A certification of a resident (basic skills, on the learning platform, 2026-11-20 unless told). */
export async function buildCertification(
  db: Db,
  opts: { resident: Resident } & Partial<
    Pick<typeof certifications.$inferInsert, "kind" | "date" | "source" | "reference">
  >,
): Promise<Certification> {
  const { resident, ...values } = opts;
  return insertRow(db, certifications, {
    kind: "basic",
    date: "2026-11-20",
    source: "platform",
    ...values,
    communeId: resident.communeId,
    residentId: resident.id,
  });
}

export type Team = typeof teams.$inferSelect;
export type TeamMember = typeof teamMembers.$inferSelect;
export type Visit = typeof visits.$inferSelect;
export type Incident = typeof incidents.$inferSelect;

/** A village's team (the existing one when the village has one); builds a village when none is given. */
export async function buildTeam(
  db: Db,
  opts: { village?: Village; phone?: string | null; publishContacts?: boolean } = {},
): Promise<Team> {
  const village = opts.village ?? (await buildVillage(db));
  await db
    .insert(teams)
    .values({
      communeId: village.communeId,
      villageId: village.id,
      phone: opts.phone ?? null,
      publishContacts: opts.publishContacts ?? false,
    })
    .onConflictDoNothing({ target: teams.villageId });
  const [row] = await db.select().from(teams).where(eq(teams.villageId, village.id));
  return row!;
}

/** A member of a village's team (the team is built when missing). */
export async function buildTeamMember(
  db: Db,
  opts: {
    team?: Team;
    village?: Village;
    fullName?: string;
    role?: TeamMember["role"];
    phone?: string | null;
    resident?: Resident;
  } = {},
): Promise<TeamMember> {
  const team = opts.team ?? (await buildTeam(db, { village: opts.village }));
  const fullName = opts.fullName ?? opts.resident?.fullName ?? `Thành Viên ${uniq()}`;
  return insertRow(db, teamMembers, {
    communeId: team.communeId,
    teamId: team.id,
    residentId: opts.resident?.id ?? null,
    fullName,
    nameSearch: foldVietnamese(fullName),
    role: opts.role ?? "member",
    phone: opts.phone ?? null,
  });
}

/** A visit to a household by a member of its village's team (both built when missing). */
export async function buildVisit(
  db: Db,
  opts: {
    household?: Household;
    member?: TeamMember;
    date?: string;
    support?: Visit["support"];
    residentsMet?: Resident[];
    note?: string | null;
  } = {},
): Promise<Visit> {
  const household = opts.household ?? (await buildHousehold(db));
  let member = opts.member;
  if (!member) {
    const [village] = await db.select().from(villages).where(eq(villages.id, household.villageId));
    member = await buildTeamMember(db, { village: village! });
  }
  const row = await insertRow(db, visits, {
    communeId: household.communeId,
    householdId: household.id,
    date: opts.date ?? "2026-01-15",
    memberId: member.id,
    support: opts.support ?? ["vneid_install"],
    note: opts.note ?? null,
  });
  for (const r of opts.residentsMet ?? []) {
    await db
      .insert(visitResidents)
      .values({ communeId: household.communeId, visitId: row!.id, residentId: r.id });
  }
  return row!;
}

export async function buildIncident(
  db: Db,
  opts: Partial<Omit<typeof incidents.$inferInsert, "communeId">> & { commune?: Commune } = {},
): Promise<Incident> {
  const { commune: given, ...values } = opts;
  const commune = given ?? (await buildCommune(db));
  return insertRow(db, incidents, {
    code: `SC${uniq()}`,
    date: "2026-02-03",
    severity: "minor",
    description: "Tin nhắn giả mạo ngân hàng",
    ...values,
    communeId: commune.id,
  });
}

export type Activity = typeof activities.$inferSelect;
export type ActivitySession = typeof activitySessions.$inferSelect;

/** An activity (a class unless told); builds a commune when neither a village nor a commune is given. */
export async function buildActivity(
  db: Db,
  opts: Partial<Omit<typeof activities.$inferInsert, "communeId" | "villageId" | "unitId">> & {
    commune?: Commune;
    village?: Village | null;
    unit?: Unit | null;
  } = {},
): Promise<Activity> {
  const { commune: givenCommune, village, unit, ...values } = opts;
  const communeId = village?.communeId ?? unit?.communeId ?? givenCommune?.id ?? (await buildCommune(db)).id;
  return insertRow(db, activities, {
    code: `HD${uniq()}`,
    type: "class",
    title: `Lớp kỹ năng số ${uniq()}`,
    date: "2026-06-11",
    ...values,
    communeId,
    villageId: village?.id ?? null,
    unitId: unit?.id ?? null,
  });
}

/** A session of a class, with residents already on its roster when given. */
export async function buildSession(
  db: Db,
  opts: {
    activity: Activity;
    date?: string;
    present?: Pick<Resident, "id">[];
    absent?: Pick<Resident, "id">[];
  },
): Promise<ActivitySession> {
  const row = await insertRow(db, activitySessions, {
    communeId: opts.activity.communeId,
    activityId: opts.activity.id,
    date: opts.date ?? opts.activity.date,
  });
  const marks = [
    ...(opts.present ?? []).map((r) => ({ residentId: r.id, present: true })),
    ...(opts.absent ?? []).map((r) => ({ residentId: r.id, present: false })),
  ];
  if (marks.length > 0) {
    await db
      .insert(attendance)
      .values(marks.map((m) => ({ communeId: opts.activity.communeId, sessionId: row!.id, ...m })));
  }
  return row!;
}

/** A class (an activity unless told) with one session on its day, the roster marked when given. */
export async function buildClass(
  db: Db,
  opts: Parameters<typeof buildActivity>[1] & {
    present?: Pick<Resident, "id">[];
    absent?: Pick<Resident, "id">[];
  } = {},
): Promise<{ activity: Activity; session: ActivitySession }> {
  const { present, absent, ...values } = opts;
  const activity = await buildActivity(db, values);
  const session = await buildSession(db, { activity, present, absent });
  return { activity, session };
}
