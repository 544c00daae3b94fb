import type { Role } from "../auth/policy.ts";

/**
 * What a role reads of a person (SPEC §2), in one place for every page, API answer and export that
 * shows residents. A volunteer sees "only names, age, household, status", plus what field work needs
 * (VNeID level, basic-skills and VNeID-confirmed status, target groups, the elderly / disabled / poor
 * priority): never a birth date, gender, citizen ID, phone or unit, masked or not — the keys are absent
 * from what it receives. Every other role reads them (citizen ID and phone masked per SPEC §8).
 */
export const PERSONAL_FIELDS = ["birth_date", "gender", "citizen_id", "phone", "unit", "unit_name"] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** Roles that read names, age, household and status of people, not their personal details. */
const NAMES_ONLY_ROLES: readonly Role[] = ["volunteer"];

export function seesPersonal(viewer: { role: Role }): boolean {
  return !NAMES_ONLY_ROLES.includes(viewer.role);
}

/** The item without the personal fields the viewer may not read (the same object when it may). */
export function projectPerson<T extends Partial<Record<PersonalField, unknown>>>(
  item: T,
  viewer: { role: Role },
): T {
  if (seesPersonal(viewer)) return item;
  const out = { ...item };
  for (const k of PERSONAL_FIELDS) delete out[k];
  return out;
}
