import type { TestApp } from "../../test/helpers/app.ts";
import { buildHousehold, buildVillage } from "../../test/helpers/factories.ts";

/**
 * Villages T01 and T02 of the test app's commune (Thôn Đông and Thôn Tây unless named otherwise),
 * each with its first household, T01-0001 and T02-0001.
 */
export async function buildTwoVillages(
  t: Pick<TestApp, "db" | "commune">,
  names: readonly [string, string] = ["Thôn Đông", "Thôn Tây"],
) {
  const v1 = await buildVillage(t.db, { commune: t.commune, code: "T01", name: names[0] });
  const v2 = await buildVillage(t.db, { commune: t.commune, code: "T02", name: names[1] });
  const h1 = await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  const h2 = await buildHousehold(t.db, { village: v2, code: "T02-0001" });
  return { v1, v2, h1, h2 };
}
