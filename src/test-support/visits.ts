import { buildHousehold, buildTeamMember, buildVisit, type Village } from "../../test/helpers/factories.ts";
import type { Db } from "../db/client.ts";

/** A new member of `village`'s team who has visited a new household of the village on each of `dates`. */
export async function buildVisitsOn(db: Db, village: Village, dates: readonly string[]) {
  const member = await buildTeamMember(db, { village });
  for (const date of dates) {
    const household = await buildHousehold(db, { village });
    await buildVisit(db, { household, member, date });
  }
  return member;
}

/** The first `n` days of `month` ("2026-05"), as civil dates. */
export const firstDays = (month: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`);
