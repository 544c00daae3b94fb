import { type GetCell, RowChecker } from "../../lib/row-checker.ts";
import { parseCode, parseOptional, parseText, parseYesNo } from "../../lib/values.ts";
import type { VillageRow } from "../villages/repo.ts";

/** A household's values once checked (without its commune). */
export type HouseholdInput = {
  code: string;
  villageId: number;
  headName: string | null;
  address: string | null;
  poor: boolean;
};

/**
 * Checks and normalizes one household given by column key (code, village, head_name, address, poor) —
 * the same rules for an import row, a form and the API (SPEC §4, §5).
 */
export function checkHouseholdRow(
  get: GetCell,
  village: (code: string) => VillageRow | undefined,
): { checker: RowChecker; code?: string | undefined; value?: HouseholdInput } {
  const c = new RowChecker();
  const code = c.take("code", parseCode(get("code")));
  const villageCode = c.take("village", parseCode(get("village")));
  const v = c.resolve("village", villageCode, "import.village_unknown", village);
  const headName = c.take("head_name", parseText(get("head_name"), { max: 200 }));
  const address = c.take("address", parseText(get("address"), { max: 500 }));
  const poor = c.take("poor", parseOptional(get("poor"), parseYesNo));
  if (!c.ok) return { checker: c, code };
  return {
    checker: c,
    code,
    value: {
      code: code!,
      villageId: v!.id,
      headName: headName || null,
      address: address || null,
      poor: poor ?? false,
    },
  };
}
