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

/** A kind as the engine holds it: rows and context opaque, each kind's own types checked where it is declared. */
const erased = <R, C>(kind: ImportKind<R, C>) => kind as unknown as ImportKind<never, never>;

/** Every importable kind of SPEC §5: a column map, a row check and an upsert each. */
export const IMPORT_KIND_SPECS: Record<ImportKindName, ImportKind<never, never>> = {
  villages: erased(villagesKind),
  units: erased(unitsKind),
  households: erased(householdsKind),
  residents: erased(residentsKind),
  certifications: erased(certificationsKind),
  activities: erased(activitiesKind),
  attendance: erased(attendanceKind),
  team_members: erased(teamMembersKind),
  visits: erased(visitsKind),
  incidents: erased(incidentsKind),
  markets: erased(marketsKind),
  vendors: erased(vendorsKind),
};
