import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, sql } from "drizzle-orm";
import { type Database, type Db, openDatabase } from "../../src/db/client.ts";
import { auditEvents, householdFacts, reportFiles, residentFacts } from "../../src/db/schema.ts";
import { cliActor } from "../../src/features/audit/service.ts";
import { viewerOf } from "../../src/features/auth/viewer.ts";
import { ensureDefaultCommune } from "../../src/features/communes/service.ts";
import { EXPORT_KINDS, exportRecords } from "../../src/features/exports/service.ts";
import { currentPlan } from "../../src/features/indicators/plan.ts";
import { computeIndicators, resolveWindow } from "../../src/features/indicators/service.ts";
import { createReport, submitReport } from "../../src/features/reports/service.ts";
import { createScratchPostgres, pgliteTemplatePath } from "./db.ts";
import { buildUser } from "./factories.ts";
import { importSampleFiles, SAMPLE_FILES } from "./sample.ts";

export const DRILL_DATE = "2026-11-25";
export const PASSWORD = "Mật-khẩu-diễn-tập-2026";

/** A database with nothing in it — not even migrations: the target of a restore. */
export async function emptyDatabase(kind: "pglite" | "postgres"): Promise<Database> {
  if (kind === "pglite") return openDatabase({});
  return (await createScratchPostgres("bdhvs_r")).database;
}

/** A migrated in-memory PGlite, whatever TEST_DATABASE_URL says (the PGlite side of a cross restore). */
export async function migratedPglite(): Promise<Database> {
  return openDatabase({ template: new Blob([fs.readFileSync(await pgliteTemplatePath())]) });
}

/** The sample commune with its visits and attendance, two accounts with passwords and a submitted report. */
export async function seedDrill(database: Database) {
  const db = database.db;
  const commune = await ensureDefaultCommune({
    db,
    commune: { code: "TANNINH", name: "Xã Tân Ninh", province: "Thanh Hóa" },
  });
  await importSampleFiles(db, commune.id, SAMPLE_FILES, DRILL_DATE);
  const admin = await buildUser(db, { role: "admin", commune, username: "quantri", password: PASSWORD });
  const coord = await buildUser(db, {
    role: "coordinator",
    commune,
    username: "dieuphoi",
    password: PASSWORD,
  });
  const viewer = viewerOf({
    ...coord.user,
    communeName: commune.name,
    villageIds: [],
  } as unknown as Parameters<typeof viewerOf>[0]);
  const plan = currentPlan();
  const actor = cliActor(commune.id);
  const q = await createReport({
    db,
    viewer,
    actor,
    plan,
    input: {
      period: "2026-Q3",
      date: "2026-09-30",
      narrative: { difficulties: "Thiếu máy", nextSteps: "Mở lớp" },
    },
  });
  await submitReport({ db, viewer, actor, plan, id: q.id, now: new Date("2026-10-10T03:00:00Z") });
  return { communeId: commune.id, usernames: [admin.user.username, coord.user.username] };
}

/** What a user can see of the installation, to compare before and after a restore. */
export async function observe(database: Database, communeId: number) {
  const db = database.db;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-drill-"));
  const exports: Record<string, string> = {};
  for (const kind of EXPORT_KINDS) {
    const file = path.join(dir, `${kind}.csv`);
    await exportRecords({ db, kind, scope: { kind: "commune", communeId } as never, mask: false, file });
    exports[kind] = fs.readFileSync(file, "utf8");
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const plan = currentPlan();
  const { date, period } = resolveWindow({ date: DRILL_DATE, plan });
  const indicators = JSON.stringify(await computeIndicators({ db, communeId, plan, date, period }), null, 2);
  const files = await db
    .select({ reportId: reportFiles.reportId, format: reportFiles.format, content: reportFiles.content })
    .from(reportFiles)
    .orderBy(asc(reportFiles.id));
  const audit = await db.select().from(auditEvents).orderBy(asc(auditEvents.id));
  return {
    exports,
    indicators,
    files: files.map((f) => ({ ...f, content: Buffer.from(f.content) })),
    audit: audit.map((a) => JSON.stringify(a)),
  };
}

async function readFacts(db: Db) {
  const r = await db.select().from(residentFacts).orderBy(asc(residentFacts.residentId));
  const h = await db.select().from(householdFacts).orderBy(asc(householdFacts.householdId));
  return JSON.stringify({ r, h });
}

/** The facts the triggers keep, and the same facts computed from scratch (in a transaction rolled back). */
export async function factsAndRecomputation(db: Db): Promise<{ kept: string; fresh: string }> {
  const kept = await readFacts(db);
  let fresh = "";
  const rollback = new Error("rollback");
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`delete from resident_facts`);
      await tx.execute(sql`delete from household_facts`);
      await tx.execute(sql`select rebuild_indicator_facts()`);
      fresh = await readFacts(tx);
      throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  return { kept, fresh };
}
