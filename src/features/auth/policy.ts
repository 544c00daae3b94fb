import { ROLES as ROLE_LIST } from "../../db/schema.ts";

export type Role = (typeof ROLE_LIST)[number];

/**
 * Every permission is `resource.action`. Routes declare the one they need;
 * services then narrow *rows* to the viewer's scope (see `Scope`).
 */
export const PERMISSIONS = [
  "user.read",
  "user.manage",
  "audit.read",
  "commune.read",
  "commune.update",
  "commune.manage",
  "plan.read",
  "plan.update",
  "village.read",
  "village.create",
  "village.update",
  "village.delete",
  "unit.read",
  "unit.create",
  "unit.update",
  "unit.delete",
  "household.read",
  "household.create",
  "household.update",
  "household.delete",
  "resident.read",
  "resident.create",
  "resident.update",
  "resident.read_identity",
  "resident.erase",
  "privacy.manage",
  "backup.manage",
  "certification.read",
  "certification.create",
  "certification.update",
  "certification.delete",
  "activity.read",
  "activity.create",
  "activity.update",
  "attendance.read",
  "attendance.record",
  "team.read",
  "team.update",
  "visit.read",
  "visit.create",
  "visit.update",
  "assessment.read",
  "assessment.create",
  "incident.read",
  "incident.create",
  "incident.update",
  "indicator.read",
  "report.read",
  "report.create",
  "report.submit",
  "report.approve",
  "task.read",
  "task.report",
  "market.read",
  "market.update",
  "import.run",
  "export.run",
  "emulation.read",
  "commendation.read",
  "commendation.create",
  "commendation.approve",
  "province_report.read",
  "province_report.create",
  "province_report.submit",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

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
    "certification.create",
    "certification.update",
    "certification.delete",
    "incident.create",
    "incident.update",
    "task.report",
    "export.run",
  ],
  economy: [
    "commune.read",
    "plan.read",
    "village.read",
    "unit.read",
    "unit.create",
    "unit.update",
    "unit.delete",
    "resident.read",
    "resident.create",
    "resident.update",
    "certification.read",
    "certification.create",
    "certification.update",
    "certification.delete",
    "activity.read",
    "activity.create",
    "activity.update",
    "attendance.read",
    "attendance.record",
    "indicator.read",
    "report.read",
    "task.read",
    "task.report",
    "market.read",
    "market.update",
    "import.run",
    "export.run",
  ],
  school: [
    "commune.read",
    "plan.read",
    "unit.read",
    "resident.read",
    "resident.create",
    "resident.update",
    "certification.read",
    "certification.create",
    "certification.update",
    "certification.delete",
    "activity.read",
    "activity.create",
    "activity.update",
    "attendance.read",
    "attendance.record",
    "assessment.read",
    "assessment.create",
    "indicator.read",
    "emulation.read",
    "task.read",
    "task.report",
    "import.run",
    "export.run",
  ],
  village_lead: [
    "commune.read",
    "plan.read",
    "village.read",
    "unit.read",
    "household.read",
    "household.create",
    "household.update",
    "household.delete",
    "resident.read",
    "resident.create",
    "resident.update",
    "certification.read",
    "certification.create",
    "certification.update",
    "certification.delete",
    "activity.read",
    "activity.create",
    "activity.update",
    "attendance.read",
    "attendance.record",
    "team.read",
    "team.update",
    "visit.read",
    "visit.create",
    "visit.update",
    "assessment.read",
    "assessment.create",
    "indicator.read",
    "emulation.read",
    "task.read",
    "task.report",
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
    "assessment.read",
    "assessment.create",
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
