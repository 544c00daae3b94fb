import type { RowChecker } from "../../lib/row-checker.ts";
import {
  type Cell,
  type CertificationKind,
  type CertificationSource,
  parseCertificationKind,
  parseCertificationSource,
  parseCivilDate,
  parseText,
} from "../../lib/values.ts";

export type CertificationFields = {
  kind: CertificationKind;
  date: string;
  source: CertificationSource;
  reference: string | null;
};

/**
 * A certification's own columns (kind, date, source, reference) read with the importer's parsers, the
 * same for an import row, a form and the API; errors go to the checker. Undefined when one is wrong.
 */
export function readCertificationFields(
  get: (key: string) => Cell,
  c: RowChecker,
  today: string,
): CertificationFields | undefined {
  const kind = c.take("kind", parseCertificationKind(get("kind")));
  // A certification may be dated ahead (a planned confirmation): indicators count only those dated on or before D.
  const date = c.take("date", parseCivilDate(get("date"), { today }));
  const source = c.take("source", parseCertificationSource(get("source")));
  const reference = c.take("reference", parseText(get("reference"), { max: 100 }));
  if (kind === undefined || date === undefined || source === undefined || reference === undefined)
    return undefined;
  return { kind, date: date.date, source, reference: reference || null };
}
