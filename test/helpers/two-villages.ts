import type { TestApp } from "./app.ts";
import { buildVillage, type Village } from "./factories.ts";

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
