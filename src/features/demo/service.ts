import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { residents } from "../../db/schema.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, msg } from "../../lib/errors.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { markCommuneDemo } from "../communes/repo.ts";
import { runImport } from "../imports/engine.ts";
import { IMPORT_KINDS, type ImportKindName } from "../imports/types.ts";
import { publishTeamContacts } from "../teams/service.ts";
import { generateCommune } from "./generate.ts";

export const DEMO_RESIDENTS = 25_000;

/**
 * Fills an empty commune with a synthetic one (SPEC: ~20 villages, ~25,000 residents), through the
 * import engine like any commune's files, in one transaction, and marks it as demo data: the
 * registry, then the movement's records dated around today (classes past and upcoming with their
 * attendance, propaganda, learning days, a launch, a team per village, visits, incidents), and the
 * consent to publish contacts of about half the teams. Returns the rows of each kind (0 for a kind
 * left out).
 */
export async function createDemoCommune(opts: {
  db: Db;
  communeId: number;
  actor: Actor;
  residents?: number;
  /** The movement's records too (default true); the benchmarks add their own instead. */
  movement?: boolean;
  /** The day the demo is dated around (default: today in Vietnam). */
  today?: string;
  onStep?: (kind: ImportKindName) => void;
}): Promise<Record<ImportKindName, number>> {
  const withMovement = opts.movement ?? true;
  const [existing] = await opts.db
    .select({ n: count() })
    .from(residents)
    .where(eq(residents.communeId, opts.communeId));
  if ((existing?.n ?? 0) > 0) throw new AppError("conflict", { message: msg("demo.not_empty") });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-demo-"));
  try {
    const today = opts.today ?? todayInVietnam();
    const files = await generateCommune({
      dir,
      residents: opts.residents ?? DEMO_RESIDENTS,
      extras: true,
      movement: withMovement,
      today,
    });
    const m = files.movement;
    // The data README's import order.
    const order: [ImportKindName, string][] = [
      ["villages", files.villages],
      ["units", files.units!],
      ["households", files.households],
      ["residents", files.residents],
      ["certifications", files.certifications!],
      ...(m
        ? ([
            ["activities", m.activities],
            ["attendance", m.attendance],
            ["team_members", m.team_members],
            ["visits", m.visits],
            ["incidents", m.incidents],
          ] as [ImportKindName, string][])
        : []),
    ];
    return await opts.db.transaction(async (tx) => {
      const counts = Object.fromEntries(IMPORT_KINDS.map((k) => [k, 0])) as Record<ImportKindName, number>;
      for (const [kind, file] of order) {
        opts.onStep?.(kind);
        const r = await runImport({
          db: tx,
          communeId: opts.communeId,
          kind,
          file,
          actor: opts.actor,
          today,
        });
        if (!r.ok) throw new Error(`demo ${kind}: ${JSON.stringify(r.errors.slice(0, 3))}`);
        counts[kind] = r.inserted + r.updated + r.unchanged;
      }
      const published = m
        ? await publishTeamContacts({
            db: tx,
            actor: opts.actor,
            communeId: opts.communeId,
            villageCodes: m.publishContacts,
          })
        : 0;
      await markCommuneDemo(tx, opts.communeId);
      await recordAudit(tx, opts.actor, {
        action: "demo.create",
        entity: "commune",
        entityId: opts.communeId,
        after: { ...counts, published_team_contacts: published },
      });
      return counts;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
