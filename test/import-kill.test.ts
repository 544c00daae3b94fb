/**
 * SPEC §5: "A crash or kill in the middle of an import leaves the database as before the import."
 * A 200,000-row residents import runs as a real `bdhvs import` child process and is killed with
 * SIGKILL once it is provably writing; the database must then open again (on PGlite: taking over
 * the dead process's lock file and recovering from the WAL), hold exactly what it held before, and
 * then accept the same rows in full (see FOLLOW_UP_ROWS).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { type GeneratedCommune, generateCommune } from "../bench/lib/generate.ts";
import { type Database, openDatabase } from "../src/db/client.ts";
import { commandEnv } from "./helpers/cli.ts";
import { createTestDatabase, testDatabaseUrl } from "./helpers/db.ts";

const BIN = path.resolve("bin/bdhvs.js");
const RESIDENTS = 200_000;
/**
 * Rows of the follow-up import that proves the database intact: the whole file on PostgreSQL; on
 * PGlite, where a 200,000-row import takes about a minute, the file's first 60,000 rows, which
 * hold every row the killed import had sent (so the unique indexes meet the same keys again).
 */
const FOLLOW_UP_ROWS = testDatabaseUrl ? RESIDENTS : 60_000;
/** How far the killed import must have got: residents whose rows were already sent to the database. */
const KILL_AFTER_ROWS = 20_000;
/**
 * On PGlite, where the database cannot be opened while the child holds it: the size the residents
 * table file must reach on disk (relation extension writes it at once): some 30,000 rows in.
 */
const KILL_AFTER_BYTES = 6 * 1024 * 1024;

/** The environment of a spawned command: no database, folder, port or key of the outer shell leaks in. */
const env = commandEnv;

type Exit = { code: number | null; signal: NodeJS.Signals | null };

function start(args: string[], extraEnv: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: env(extraEnv),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const exit = new Promise<Exit>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  // "close" waits for the pipes too, so the output is complete.
  const closed = new Promise<Exit>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, exit, closed, output: () => ({ stdout, stderr }) };
}

/** Runs an import to its end; it must succeed. */
async function importFile(kind: string, file: string, target: Target) {
  const run = start(["import", kind, file, "--json", ...target.args], target.env);
  const { code, signal } = await run.closed;
  const { stdout, stderr } = run.output();
  assert.equal(code, 0, `import ${kind} ended with ${code ?? signal}:\n${stderr}\n${stdout.slice(0, 2000)}`);
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as {
    ok: boolean;
    rows: number;
    inserted: number;
    updated: number;
    unchanged: number;
  };
}

/** The file itself, or a copy of its header and first `rows` rows (a generated CSV: one line a row). */
function firstRows(file: string, rows: number): string {
  if (rows >= RESIDENTS) return file;
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const head = file.replace(/\.csv$/, `-first-${rows}.csv`);
  fs.writeFileSync(head, `${lines.slice(0, rows + 1).join("\n")}\n`);
  return head;
}

type Target = {
  /** PGlite: the data folder. */
  dataDir?: string;
  /** CLI arguments and environment that point a child at the database. */
  args: string[];
  env: Record<string, string>;
  /** Opens the database in this process (PGlite: only while no child holds the folder). */
  open(): Promise<Database>;
  /** Releases what `open` returned (the PostgreSQL connection is shared and kept). */
  release(database: Database): Promise<void>;
  cleanup(): Promise<void>;
};

type State = {
  residents: number;
  audit: number;
  importAudit: number;
  sequence: number;
  relationFile: string;
};

async function readState(db: Database["db"]): Promise<State> {
  const result = await db.execute(sql`
    select
      (select count(*) from residents)::int as residents,
      (select count(*) from audit_events)::int as audit,
      (select count(*) from audit_events where action = 'import.residents')::int as import_audit,
      -- nextval is not rolled back: the sequence shows how many rows an aborted import had sent.
      (select case when is_called then last_value else 0 end from residents_id_seq)::int as sequence,
      pg_relation_filepath('residents') as relation_file`);
  const row = (result as unknown as { rows: Record<string, unknown>[] }).rows[0]!;
  return {
    residents: Number(row.residents),
    audit: Number(row.audit),
    importAudit: Number(row.import_audit),
    sequence: Number(row.sequence),
    relationFile: String(row.relation_file),
  };
}

async function withDatabase<T>(target: Target, fn: (db: Database["db"]) => Promise<T>): Promise<T> {
  const database = await target.open();
  try {
    return await fn(database.db);
  } finally {
    await target.release(database);
  }
}

describe("kill -9 in the middle of an import", () => {
  let dir: string;
  let files: GeneratedCommune;
  let target: Target;
  /** The import to kill, stopped in `after` too should the test fail before it. */
  let killed: ReturnType<typeof start> | undefined;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-kill-"));
    files = await generateCommune({ dir, residents: RESIDENTS });
    if (testDatabaseUrl) {
      const database = await createTestDatabase();
      target = {
        args: [],
        env: { DATABASE_URL: database.location },
        open: async () => database,
        release: async () => {},
        cleanup: () => database.close(),
      };
    } else {
      const dataDir = path.join(dir, "data");
      target = {
        dataDir,
        args: ["--data-dir", dataDir],
        env: {},
        open: () => openDatabase({ dataDir }),
        release: (database) => database.close(),
        cleanup: async () => {},
      };
    }
  });

  after(async () => {
    if (killed && killed.child.exitCode === null && killed.child.signalCode === null) {
      killed.child.kill("SIGKILL");
      await killed.exit;
    }
    await target?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("leaves the database as before the import, and the same rows then import in full", {
    timeout: 300_000,
  }, async (t) => {
    let lap = performance.now();
    const phase = (name: string) => {
      const now = performance.now();
      t.diagnostic(`${name}: ${((now - lap) / 1000).toFixed(1)} s`);
      lap = now;
    };
    const villages = await importFile("villages", files.villages, target);
    assert.equal(villages.inserted, 20);
    const households = await importFile("households", files.households, target);
    assert.equal(households.inserted, RESIDENTS / 4);

    phase("villages and households imported");
    const snapshot = await withDatabase(target, readState);
    assert.equal(snapshot.residents, 0);
    assert.equal(snapshot.importAudit, 0);

    phase("state read");
    killed = start(["import", "residents", files.residents, "--json", ...target.args], target.env);
    const spawned = performance.now();
    let ended: Exit | undefined;
    void killed.exit.then((e) => {
      ended = e;
    });
    // Wait until the import is provably writing residents, then kill it.
    const heapFile = target.dataDir && path.join(target.dataDir, "pgdata", snapshot.relationFile);
    let progress = "";
    for (;;) {
      if (ended) {
        const { stdout, stderr } = killed.output();
        assert.fail(
          `the import ended by itself (exit ${ended.code ?? ended.signal}) before it could be killed ` +
            `(${progress || "no write seen"}): the test would prove nothing.\n${stderr}\n${stdout.slice(0, 1000)}`,
        );
      }
      if (!heapFile) {
        const { sequence } = await withDatabase(target, readState);
        progress = `${sequence - snapshot.sequence} residents sent`;
        if (sequence - snapshot.sequence >= KILL_AFTER_ROWS) break;
      } else {
        const size = fs.existsSync(heapFile) ? fs.statSync(heapFile).size : 0;
        progress = `residents table file at ${size} bytes`;
        if (size >= KILL_AFTER_BYTES) break;
      }
      if (performance.now() - spawned > 180_000) {
        killed.child.kill("SIGKILL");
        assert.fail(`the import had not begun writing after 180 s (${progress})`);
      }
      await sleep(100);
    }
    assert.ok(killed.child.kill("SIGKILL"), "the signal could not be sent");
    const exit = await killed.exit;
    assert.deepEqual(
      exit,
      { code: null, signal: "SIGKILL" },
      `the import was not killed by SIGKILL but ended with ${JSON.stringify(exit)}: ${killed.output().stderr}`,
    );
    assert.equal(killed.output().stdout, "", "a killed import printed a result");
    phase(`import killed (${progress}) after`);

    if (!target.dataDir) {
      // The server rolls the dead client's transaction back once it notices the closed socket.
      await withDatabase(target, async (db) => {
        for (let i = 0; ; i++) {
          const result = await db.execute(sql`
              select count(*)::int as n from pg_stat_activity
              where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`);
          if (Number((result as unknown as { rows: { n: number }[] }).rows[0]!.n) === 0) break;
          assert.ok(i < 300, "the killed client's session is still busy after 30 s");
          await sleep(100);
        }
      });
    } else {
      // SIGKILL runs no exit handler: the lock file of the dead process is still there...
      const lock = path.join(target.dataDir, "bdhvs.lock");
      assert.equal(fs.readFileSync(lock, "utf8").trim(), String(killed.child.pid));
    }

    // ...and the database opens again (PGlite: the stale lock is taken over, the WAL replayed).
    const afterKill = await withDatabase(target, readState);
    const sent = afterKill.sequence - snapshot.sequence;
    assert.ok(
      sent >= 1_000,
      `the killed import had sent residents to the database (sequence moved by ${sent})`,
    );
    assert.equal(afterKill.residents, snapshot.residents, "residents changed although the import was killed");
    assert.equal(afterKill.audit, snapshot.audit, "the audit trail changed although the import was killed");
    assert.equal(afterKill.importAudit, 0);
    phase(`reopened: none of the ${sent} rows the killed import sent remain`);

    // The database is intact: the same rows now import in full.
    assert.ok(sent < FOLLOW_UP_ROWS, `the follow-up import must cover the ${sent} rows the killed one sent`);
    const again = await importFile("residents", firstRows(files.residents, FOLLOW_UP_ROWS), target);
    assert.deepEqual(
      { ok: again.ok, rows: again.rows, inserted: again.inserted, updated: again.updated },
      { ok: true, rows: FOLLOW_UP_ROWS, inserted: FOLLOW_UP_ROWS, updated: 0 },
    );
    phase(`the same ${FOLLOW_UP_ROWS} rows imported in full`);
    const final = await withDatabase(target, readState);
    assert.equal(final.residents, FOLLOW_UP_ROWS);
    assert.equal(final.importAudit, 1);
    assert.equal(final.audit, snapshot.audit + 1);
  });
});
