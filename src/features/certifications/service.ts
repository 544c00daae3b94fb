import type { Db } from "../../db/client.ts";
import { forbidden, msg, notFound, validationError } from "../../lib/errors.ts";
import { RowChecker } from "../../lib/row-checker.ts";
import {
  type Cell,
  parseCertificationKind,
  parseCertificationSource,
  parseCivilDate,
  parseText,
} from "../../lib/values.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import type { Viewer } from "../auth/viewer.ts";
import { todayInVietnam } from "../imports/engine.ts";
import { findResidentRow } from "../residents/repo.ts";
import { type CertificationRow, findCertificationsByNaturalKeys, insertCertificationRow } from "./repo.ts";

/**
 * Records a certification for a resident in the viewer's scope (SPEC §4): kind, date, source and
 * reference checked with the importer's parsers; the same certification twice is refused.
 */
export async function addCertification(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  residentId: number;
  input: Record<string, Cell>;
}): Promise<CertificationRow> {
  return opts.db.transaction(async (tx) => {
    const resident = await findResidentRow(tx, opts.viewer.scope, opts.residentId);
    if (!resident) throw notFound();
    if (opts.viewer.scope.kind === "installation") throw forbidden();
    const c = new RowChecker();
    const kind = c.take("kind", parseCertificationKind(opts.input.kind ?? null));
    // Like an import row, a certification may be dated ahead; the indicators count those dated ≤ D.
    const date = c.take("date", parseCivilDate(opts.input.date ?? null, { today: todayInVietnam() }));
    const source = c.take("source", parseCertificationSource(opts.input.source ?? null));
    const reference = c.take("reference", parseText(opts.input.reference ?? null, { max: 100 }));
    if (!c.ok) throw validationError(Object.fromEntries(c.errors.map((e) => [e.column ?? "_", e.message])));
    const values = {
      communeId: resident.communeId,
      residentId: resident.id,
      kind: kind!,
      date: date!.date,
      source: source!,
      reference: reference || null,
    };
    const [existing] = await findCertificationsByNaturalKeys(tx, [values]);
    if (existing) throw validationError({ kind: msg("certifications.duplicate") });
    const id = await insertCertificationRow(tx, values);
    await recordAudit(tx, opts.actor, {
      action: "certification.create",
      entity: "certification",
      entityId: id,
      after: values,
      communeId: resident.communeId,
    });
    return { id, ...values };
  });
}
