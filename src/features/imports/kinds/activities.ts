import {
  ACTIVITY_COLUMNS,
  type ActivityInput,
  type ActivityRefs,
  activityRefsOf,
  checkActivityRow,
} from "../../activities/check.ts";
import {
  type ActivityValues,
  insertActivityRow,
  listActivityValuesOfCommune,
  updateActivityRow,
} from "../../activities/repo.ts";
import { listUnitsOfCommune } from "../../units/repo.ts";
import { listAllVillagesOfCommune } from "../../villages/repo.ts";
import { byCodeKind, insertEach } from "./by-code.ts";

/** Activities (SPEC §4): by code; village and unit by code; the same row check as the forms. */
export const activitiesKind = byCodeKind<ActivityInput, ActivityValues & { id: number }, ActivityRefs>({
  name: "activities",
  permission: "activity.create",
  columns: ACTIVITY_COLUMNS,
  loadRefs: async (db, communeId) =>
    activityRefsOf(await listAllVillagesOfCommune(db, communeId), await listUnitsOfCommune(db, communeId)),
  loadRows: listActivityValuesOfCommune,
  check: checkActivityRow,
  update: updateActivityRow,
  insert: (db, rows) => insertEach(rows, (values) => insertActivityRow(db, values)),
});
