import type { Db } from "../../src/db/client.ts";
import {
  buildCertification,
  buildHousehold,
  buildResident,
  buildVillage,
  type Commune,
  type Household,
} from "./factories.ts";

/**
 * `n` adults (born 3 March 1985) in one household of a new village of the commune: the i-th holds a
 * basic digital-skills certificate from a course dated `certified[i]`, the rest none. The commune's
 * share of skilled adults is then `certified.length / n`, the figure the province pages rank.
 */
export async function buildAdults(
  db: Db,
  opts: { commune: Commune; n: number; certified: readonly string[]; villageCode?: string },
): Promise<Household> {
  const village = await buildVillage(db, {
    commune: opts.commune,
    ...(opts.villageCode ? { code: opts.villageCode } : {}),
  });
  const household = await buildHousehold(db, { village });
  for (let i = 0; i < opts.n; i++) {
    const resident = await buildResident(db, { household, birthDate: "1985-03-03" });
    const date = opts.certified[i];
    if (date) await buildCertification(db, { resident, kind: "basic", date, source: "course" });
  }
  return household;
}
