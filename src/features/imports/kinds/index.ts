import type { ImportKind, ImportKindName } from "../types.ts";
import { activitiesKind } from "./activities.ts";
import { attendanceKind } from "./attendance.ts";
import { certificationsKind } from "./certifications.ts";
import { householdsKind } from "./households.ts";
import { incidentsKind } from "./incidents.ts";
import { marketsKind } from "./markets.ts";
import { residentsKind } from "./residents.ts";
import { teamMembersKind } from "./team-members.ts";
import { unitsKind } from "./units.ts";
import { vendorsKind } from "./vendors.ts";
import { villagesKind } from "./villages.ts";
import { visitsKind } from "./visits.ts";

/** Every importable kind of SPEC §5: a column map, a row check and an upsert each. */
export const IMPORT_KIND_SPECS: Record<ImportKindName, ImportKind<never, never>> = {
  villages: villagesKind as unknown as ImportKind<never, never>,
  units: unitsKind as unknown as ImportKind<never, never>,
  households: householdsKind as unknown as ImportKind<never, never>,
  residents: residentsKind as unknown as ImportKind<never, never>,
  certifications: certificationsKind as unknown as ImportKind<never, never>,
  activities: activitiesKind as unknown as ImportKind<never, never>,
  attendance: attendanceKind as unknown as ImportKind<never, never>,
  team_members: teamMembersKind as unknown as ImportKind<never, never>,
  visits: visitsKind as unknown as ImportKind<never, never>,
  incidents: incidentsKind as unknown as ImportKind<never, never>,
  markets: marketsKind as unknown as ImportKind<never, never>,
  vendors: vendorsKind as unknown as ImportKind<never, never>,
};
