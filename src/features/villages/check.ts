import { RowChecker } from "../../lib/row-checker.ts";
import { type Cell, parseCode, parseText } from "../../lib/values.ts";

/** Checks one village given by column key (code, name): the same rules for an import row, a form and the API. */
export function checkVillageRow(get: (key: string) => Cell): {
  checker: RowChecker;
  code?: string | undefined;
  value?: { code: string; name: string };
} {
  const c = new RowChecker();
  const code = c.take("code", parseCode(get("code")));
  const name = c.take("name", parseText(get("name"), { required: true, max: 200 }));
  return c.ok ? { checker: c, code, value: { code: code!, name: name! } } : { checker: c, code };
}
