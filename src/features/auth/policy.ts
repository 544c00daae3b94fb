import { ROLES as ROLE_LIST } from "../../db/schema.ts";

export type Role = (typeof ROLE_LIST)[number];

/** Each resource and its actions: every permission is `resource.action`, in this order. */
const ACTIONS = {
  user: ["read", "manage"],
  audit: ["read"],
  commune: ["read", "update", "manage"],
  plan: ["read", "update"],
  village: ["read", "create", "update", "delete"],
  unit: ["read", "create", "update", "delete"],
  household: ["read", "create", "update", "delete"],
  resident: ["read", "create", "update", "read_identity", "erase"],
  privacy: ["manage"],
  backup: ["manage"],
  certification: ["read", "create", "update", "delete"],
  activity: ["read", "create", "update"],
  attendance: ["read", "record"],
  team: ["read", "update"],
  visit: ["read", "create", "update"],
  assessment: ["read", "create"],
  incident: ["read", "create", "update"],
  indicator: ["read"],
  report: ["read", "create", "submit", "approve"],
  task: ["read", "report"],
  market: ["read", "update"],
  import: ["run"],
  export: ["run"],
  emulation: ["read"],
  commendation: ["read", "create", "approve"],
  province_report: ["read", "create", "submit"],
} as const;
type Actions = typeof ACTIONS;

/**
 * Every permission is `resource.action`. Routes declare the one they need;
 * services then narrow *rows* to the viewer's scope (see `Scope`).
 */
export type Permission = { [R in keyof Actions]: `${R}.${Actions[R][number]}` }[keyof Actions];

export const PERMISSIONS: readonly Permission[] = Object.entries(ACTIONS).flatMap(([resource, actions]) =>
  actions.map((action) => `${resource}.${action}` as Permission),
);

/** A resource's permissions, those of `actions` (all of them when none are named), in the table's order. */
function grant<R extends keyof Actions>(resource: R, ...actions: Actions[R][number][]): Permission[] {
  const all: readonly Actions[R][number][] = ACTIONS[resource];
  return all
    .filter((a) => actions.length === 0 || actions.includes(a))
    .map((a) => `${resource}.${a}` as Permission);
}

/** What a commune office works on for people's skills: residents, their certificates, the classes and who came. */
const PEOPLE_WORK: Permission[] = [
  ...grant("resident", "read", "create", "update"),
  ...grant("certification"),
  ...grant("activity"),
  ...grant("attendance"),
];

/** The provincial steering committee's own reports (issue 18.3): the `province` role's only writes. */
const PROVINCE_REPORT = PERMISSIONS.filter((p) => p.startsWith("province_report.")) as Permission[];

const READ_ALL = PERMISSIONS.filter(
  (p) => p.endsWith(".read") && p !== "user.read" && p !== "audit.read" && !PROVINCE_REPORT.includes(p),
) as Permission[];

/** Commune-wide permissions: every one but the province admin's and the province's reports. */
const COMMUNE_PERMISSIONS = PERMISSIONS.filter((p) => p !== "commune.manage" && !PROVINCE_REPORT.includes(p));

/**
 * The coordinator writes and submits reports; approving them is the leader's (and the admin's). The
 * coordinator also answers residents' privacy requests (register, export, erasure: issue 16).
 */
const ALL_BUT_ACCOUNTS = COMMUNE_PERMISSIONS.filter(
  (p) =>
    !p.startsWith("user.") &&
    p !== "audit.read" &&
    p !== "report.approve" &&
    p !== "commendation.approve" &&
    p !== "backup.manage",
) as Permission[];

/** The role → permission table of SPEC §2. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: COMMUNE_PERMISSIONS,
  coordinator: ALL_BUT_ACCOUNTS,
  leader: [...READ_ALL, "report.approve", "commendation.approve", "export.run"],
  police: [
    ...READ_ALL,
    "resident.update",
    "resident.read_identity",
    ...grant("certification", "create", "update", "delete"),
    "incident.create",
    "incident.update",
    "task.report",
    "export.run",
  ],
  economy: [
    "commune.read",
    "plan.read",
    "village.read",
    ...grant("unit"),
    ...PEOPLE_WORK,
    "indicator.read",
    "report.read",
    ...grant("task"),
    ...grant("market"),
    "import.run",
    "export.run",
  ],
  school: [
    "commune.read",
    "plan.read",
    "unit.read",
    ...PEOPLE_WORK,
    ...grant("assessment"),
    "indicator.read",
    "emulation.read",
    ...grant("task"),
    "import.run",
    "export.run",
  ],
  village_lead: [
    "commune.read",
    "plan.read",
    "village.read",
    "unit.read",
    ...grant("household"),
    ...PEOPLE_WORK,
    ...grant("team"),
    ...grant("visit"),
    ...grant("assessment"),
    "indicator.read",
    "emulation.read",
    ...grant("task"),
    "export.run",
  ],
  volunteer: [
    "commune.read",
    "village.read",
    "household.read",
    "resident.read",
    "activity.read",
    "attendance.read",
    "attendance.record",
    "team.read",
    "visit.read",
    "visit.create",
    ...grant("assessment"),
  ],
  province: [...READ_ALL.filter((p) => p !== "resident.read_identity"), ...PROVINCE_REPORT],
  /**
   * The province admin (issue 18.1): adds communes and creates each one's first admin — and reads
   * no commune's records (its pages, API, exports and reports stay the communes' and the province's).
   */
  province_admin: ["commune.manage"],
  /** Ban quản lý chợ: the commune's markets and their vendors, nothing of people beyond a vendor's owner. */
  market_board: [
    "commune.read",
    "plan.read",
    "village.read",
    "market.read",
    "market.update",
    "import.run",
    "export.run",
  ],
};

/** The roles of a commune's accounts: every one but the province admin's (a commune admin gives these). */
export const COMMUNE_ROLES = (ROLE_LIST as readonly Role[]).filter((r) => r !== "province_admin");

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Which rows a viewer may touch. Repo functions take it, so a query cannot forget it. */
export type Scope =
  /** Every commune of the installation (province role; read-only by its permissions). */
  | { kind: "installation" }
  /**
   * One whole commune; for the economy office (SPEC §2) its people are the enterprise and cooperative
   * workers only (`workers`: see `db/scope.ts`), its other records (villages, units, activities) the commune's.
   */
  | { kind: "commune"; communeId: number; workers?: true }
  /** Some villages of one commune (village lead, volunteer). */
  | { kind: "villages"; communeId: number; villageIds: readonly number[] }
  /** One unit of one commune (a school). */
  | { kind: "unit"; communeId: number; unitId: number | null };

export function scopeOf(user: {
  role: Role;
  communeId: number;
  villageIds: readonly number[];
  unitId: number | null;
}): Scope {
  switch (user.role) {
    case "province":
    case "province_admin":
      return { kind: "installation" };
    case "village_lead":
    case "volunteer":
      return { kind: "villages", communeId: user.communeId, villageIds: user.villageIds };
    case "school":
      return { kind: "unit", communeId: user.communeId, unitId: user.unitId };
    case "economy":
      return { kind: "commune", communeId: user.communeId, workers: true };
    default:
      return { kind: "commune", communeId: user.communeId };
  }
}

/** Roles that see citizen ID and phone unmasked (SPEC §8). */
export const UNMASKED_ROLES: readonly Role[] = ["admin", "coordinator", "police"];

/** Roles that may turn on a TOTP second factor (SPEC §8). */
export const TOTP_ROLES: readonly Role[] = ["admin", "coordinator"];

/** Roles whose account must name villages / a unit. */
export const VILLAGE_ROLES: readonly Role[] = ["village_lead", "volunteer"];
export const UNIT_ROLES: readonly Role[] = ["school"];
/**
 * Commune roles whose account may name the unit the person works in (any type): the officer of that
 * unit then sees and records the unit's tasks of the plan (issue 19.1). A school officer's unit is required.
 */
export const UNIT_OPTIONAL_ROLES: readonly Role[] = ["admin", "coordinator", "leader", "police", "economy"];
