import type { TestApp } from "./app.ts";
import { buildHousehold, buildVillage, type Village } from "./factories.ts";

/**
 * Villages T01 and T02 of the test app's commune, the two that most route tests scope their
 * accounts by: one the account may see, one it may not. Named Thôn Đông and Thôn Tây unless told.
 */
export async function buildTwoVillages(
  t: Pick<TestApp, "db" | "commune">,
  [name1, name2]: readonly [string, string] = ["Thôn Đông", "Thôn Tây"],
): Promise<[Village, Village]> {
  const v1 = await buildVillage(t.db, { commune: t.commune, code: "T01", name: name1 });
  const v2 = await buildVillage(t.db, { commune: t.commune, code: "T02", name: name2 });
  return [v1, v2];
}

/** The two villages of `buildTwoVillages`, each with its first household, T01-0001 and T02-0001. */
export async function buildTwoVillagesWithHouseholds(
  t: Pick<TestApp, "db" | "commune">,
  names?: readonly [string, string],
) {
  const [v1, v2] = await buildTwoVillages(t, names);
  const h1 = await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  const h2 = await buildHousehold(t.db, { village: v2, code: "T02-0001" });
  return { v1, v2, h1, h2 };
}
