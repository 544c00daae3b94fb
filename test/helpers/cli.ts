import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before } from "node:test";
import { pino } from "pino";
import { loadConfig } from "../../src/config.ts";
import { startServer } from "../../src/server.ts";

const BIN = path.resolve("bin/bdhvs.js");

/** Variables of the test process that would point a `bdhvs` command elsewhere: never passed on. */
const DROPPED = ["DATABASE_URL", "TEST_DATABASE_URL", "DATA_DIR", "PORT", "BACKUP_KEY", "BDHVS_LANG"];

/** The environment of a spawned `bdhvs`: the test process's less DROPPED, logs silent, plus `extra`. */
export function commandEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !DROPPED.includes(k)) env[k] = v;
  return { ...env, LOG_LEVEL: "silent", ...extra };
}

/**
 * Runs `bdhvs ARGS` as its own process (no standard input, logs silent) with the test process's
 * environment less the variables that choose a database, a folder, a port or a key, plus `extra`;
 * `opts.bin` another copy of bin/bdhvs.js, `opts.nodeArgs` options for node before it.
 */
export function runBdhvs(
  args: string[],
  extra: Record<string, string> = {},
  opts: {
    bin?: string;
    nodeArgs?: string[];
    /** Written to the command's standard input (a password), which is otherwise closed. */
    input?: string;
  } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.bin ?? BIN, ...args], {
      env: commandEnv(extra),
      stdio: ["pipe", "pipe", "pipe"],
    });
    // Standard input ends at once (as a closed one would), after `input` when given.
    child.stdin.end(opts.input ?? "");
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The real server on the embedded database in `dataDir` (a free port, logs silent): what `bdhvs` commands meet. */
export function startEmbeddedServer(dataDir: string) {
  const config = loadConfig(
    { LOG_LEVEL: "silent", HOST: "127.0.0.1" },
    { port: 0, dataDir, databaseUrl: undefined },
  );
  return startServer({ config, logger: pino({ level: "silent" }) });
}

export type EmbeddedServer = Awaited<ReturnType<typeof startEmbeddedServer>>;

/**
 * An embedded server on `dataDir` for the current file or suite: started by a before() hook, closed
 * by an after() hook, which then removes `tmpDir` (the test's temporary folder).
 */
export function useEmbeddedServer(dataDir: string, tmpDir: string): { server: EmbeddedServer } {
  const held = {} as { server: EmbeddedServer };
  before(async () => {
    held.server = await startEmbeddedServer(dataDir);
  });
  after(async () => {
    await held.server?.close();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });
  return held;
}
