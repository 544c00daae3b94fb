import { RowChecker } from "../../lib/row-checker.ts";
import { type Cell, parseCode, parseText, parseUnitType, type UnitType } from "../../lib/values.ts";

/** Checks one unit given by column key (code, name, type): the same rules for an import row, a form and the API. */
export function checkUnitRow(get: (key: string) => Cell): {
  checker: RowChecker;
  code?: string | undefined;
  value?: { code: string; name: string; type: UnitType };
} {
  const c = new RowChecker();
  const code = c.take("code", parseCode(get("code")));
  const name = c.take("name", parseText(get("name"), { required: true, max: 200 }));
  const type = c.take("type", parseUnitType(get("type")));
  return c.ok ? { checker: c, code, value: { code: code!, name: name!, type: type! } } : { checker: c, code };
}
