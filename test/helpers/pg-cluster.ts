/**
 * A throw-away PostgreSQL 15 primary and its streaming replica (`pg_basebackup -R`) for a test or a
 * benchmark, in a temporary folder on free loopback ports, run as the postgres user when we are root (initdb
 * refuses root). The binaries are Debian's (`PGBIN`, default /usr/lib/postgresql/15/bin). `stop()`
 * ends both servers (immediate: the data is thrown away) and removes the folder; it is safe to call
 * twice and after a failure half-way.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const PGBIN = process.env.PGBIN ?? "/usr/lib/postgresql/15/bin";

/** Settings of both servers by default: a bench box, not a production one (no fsync: the data is disposable). */
export const BENCH_SETTINGS = [
  "listen_addresses=127.0.0.1",
  "fsync=off",
  "synchronous_commit=off",
  "full_page_writes=off",
  "max_connections=300",
  "shared_buffers=512MB",
  "max_wal_size=4GB",
  "checkpoint_timeout=30min",
];

function asPostgres(program: string, args: string[]): string {
  const bin = path.join(PGBIN, program);
  const [cmd, argv] =
    process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { stdio: "pipe", encoding: "utf8" });
}

export type PgCluster = {
  dir: string;
  /** postgres://…@127.0.0.1:PORT/DB on the primary, or on the replica. */
  primaryUrl(db?: string): string;
  replicaUrl(db?: string): string;
  /** Takes the base backup of the primary as it is now and starts the replica on it. */
  startReplica(): Promise<void>;
  /** Stops the replica alone (immediate), leaving the primary up. */
  stopReplica(): void;
  stop(): void;
};

/** initdb + start of the primary; `ports` are free loopback ports for the primary and the replica; `settings` replace BENCH_SETTINGS. */
export function startPrimary(
  ports: { primary: number; replica: number },
  opts: { settings?: readonly string[] } = {},
): PgCluster {
  const settings = opts.settings ?? BENCH_SETTINGS;
  if (!fs.existsSync(path.join(PGBIN, "initdb")))
    throw new Error(`PostgreSQL's binaries are not in ${PGBIN} (Debian: postgresql-15; or set PGBIN)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-pg-"));
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
  const running = new Set<string>();
  const url = (port: number, db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const start = (name: string, port: number) => {
    asPostgres("pg_ctl", [
      "-D",
      path.join(dir, name),
      "-l",
      path.join(dir, `${name}.log`),
      "-w",
      "-t",
      "120",
      "-o",
      `-p ${port} -k ${dir} ${settings.map((s) => `-c ${s}`).join(" ")}`,
      "start",
    ]);
    running.add(name);
  };
  const halt = (name: string) => {
    if (!running.has(name)) return;
    try {
      asPostgres("pg_ctl", ["-D", path.join(dir, name), "-m", "immediate", "-w", "stop"]);
    } catch {
      // already stopped
    }
    running.delete(name);
  };
  const cluster: PgCluster = {
    dir,
    primaryUrl: (db = "postgres") => url(ports.primary, db),
    replicaUrl: (db = "postgres") => url(ports.replica, db),
    async startReplica() {
      asPostgres("pg_basebackup", [
        "-h",
        "127.0.0.1",
        "-p",
        String(ports.primary),
        "-U",
        "postgres",
        "-D",
        path.join(dir, "replica"),
        "-R",
        "-X",
        "stream",
        "-c",
        "fast",
      ]);
      start("replica", ports.replica);
    },
    stopReplica: () => halt("replica"),
    stop() {
      halt("replica");
      halt("primary");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    asPostgres("initdb", [
      "-D",
      path.join(dir, "primary"),
      "-U",
      "postgres",
      "--auth=trust",
      "--encoding=UTF8",
      "--locale=C.UTF-8",
    ]);
    start("primary", ports.primary);
  } catch (err) {
    cluster.stop();
    throw err;
  }
  return cluster;
}
