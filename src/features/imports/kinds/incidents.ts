import { checkIncidentRow, INCIDENT_COLUMNS, type IncidentInput } from "../../incidents/check.ts";
import {
  type IncidentValues,
  insertIncidentRow,
  listIncidentValuesOfCommune,
  updateIncidentRow,
} from "../../incidents/repo.ts";
import { listUnitsOfCommune } from "../../units/repo.ts";
import { byCodeKind, insertEach, mapByCode } from "./by-code.ts";

/** Security incidents (SPEC §4; police and admin): by code, the unit by code. */
export const incidentsKind = byCodeKind<
  IncidentInput,
  IncidentValues & { id: number },
  Map<string, { id: number }>
>({
  name: "incidents",
  permission: "incident.create",
  columns: INCIDENT_COLUMNS,
  loadRefs: async (db, communeId) => mapByCode(await listUnitsOfCommune(db, communeId)),
  loadRows: listIncidentValuesOfCommune,
  check: (get, units, today) => checkIncidentRow(get, { unit: (code) => units.get(code) }, today),
  update: updateIncidentRow,
  insert: (db, rows) => insertEach(rows, (values) => insertIncidentRow(db, values)),
});
