import type { ImportKind, ImportKindName } from "../types.ts";
import { certificationsKind } from "./certifications.ts";
import { householdsKind } from "./households.ts";
import { residentsKind } from "./residents.ts";
import { unitsKind } from "./units.ts";
import { villagesKind } from "./villages.ts";

/** Every importable kind; the remaining kinds of SPEC §5 plug in here with a column map and a row check each. */
export const IMPORT_KIND_SPECS: Record<ImportKindName, ImportKind<never, never>> = {
  villages: villagesKind as unknown as ImportKind<never, never>,
  units: unitsKind as unknown as ImportKind<never, never>,
  households: householdsKind as unknown as ImportKind<never, never>,
  residents: residentsKind as unknown as ImportKind<never, never>,
  certifications: certificationsKind as unknown as ImportKind<never, never>,
};
