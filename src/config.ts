import path from "node:path";
import { z } from "zod";
import { type PrivacyRequestKind, parseDueDays } from "./features/privacy/working-days.ts";

/** The shipped content of the public pages, beside the code. */
export const DEFAULT_CONTENT_DIR = path.resolve(new URL("../content", import.meta.url).pathname);

/**
 * Every environment variable the app reads, parsed once at start.
 * A bad value stops the process with a message that names the variable.
 */
const ZEnv = z.object({
  /** PostgreSQL server URL. Unset: the embedded database (PGlite) in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * A PostgreSQL streaming replica of DATABASE_URL: read-only pages and API reads (dashboards,
   * lists, exports) go there, unless the user wrote a moment ago; unreachable, they go to the primary.
   */
  DATABASE_REPLICA_URL: z.string().url().optional(),
  /** Folder of the embedded database, its lock file and backups. */
  DATA_DIR: z.string().min(1).default("./data"),
  /** Profiling only: PGlite's thread writes its time per SQL statement to this JSON file at close. */
  BDHVS_SQL_STATS: z.string().min(1).optional(),
  /** HTTP port of `bdhvs serve`. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Address to listen on. */
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Public base URL, used in the first-run setup link (default http://localhost:PORT). */
  BASE_URL: z.string().url().optional(),
  /** Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy ("true" behind one). */
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  /**
   * With TRUST_PROXY: how many proxies of our own stand in front of the app, each appending the
   * address it saw to X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`). The client's address
   * is that many entries from the right; whatever the client itself wrote further left is ignored.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  /** Largest request body in bytes (413 above it). */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** Largest file upload in bytes (imports). */
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  /** Largest number of data rows one import accepts (web and CLI); a larger file is refused whole. */
  IMPORT_MAX_ROWS: z.coerce.number().int().positive().default(500_000),
  /**
   * Seconds a running web import's lease lasts (several app processes): its process renews it every
   * third of that; a job whose lease ran out lost its process and is failed with a message.
   */
  IMPORT_JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * Requests one app process works on at once (admission control, src/web/admission.ts); more wait
   * in a short queue, and past it are answered 503 with Retry-After. /healthz and static files are
   * never held. The default (64) binds only in a crowd: at 16 the load bench on the embedded
   * database answered 79 requests a second against 98–120 with the cap out of the way (one run
   * each, 2 December 2026), so the lower cap is not the default until repeated runs say otherwise.
   */
  MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(64),
  /** Requests that may wait for a free place beyond MAX_IN_FLIGHT (default: 8 × MAX_IN_FLIGHT). */
  ADMISSION_QUEUE: z.coerce.number().int().min(0).max(100_000).optional(),
  /**
   * Milliseconds a request waits in that queue before it is answered 503: long enough that a person
   * in a crowd waits rather than sees the busy page, short of nginx's 60 s and a phone's patience.
   */
  ADMISSION_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /**
   * Megabytes (as JSON) of computed answers a process keeps per database: the dashboards' figures,
   * the drill-down and visit lists, the residents totals (src/db/data-version.ts). The least
   * recently used go past it; 64 holds a commune many times over, and a province's busiest.
   */
  KEPT_ANSWERS_MB: z.coerce.number().int().min(1).max(4096).default(64),
  /**
   * How much the server's JavaScript heap may grow past what the last full collection kept, in
   * percent (V8's `--heap-growing-percent`; 0: V8's own, which lets it grow up to fourfold).
   * Unset: 60 on the embedded database, whose process holds the database too (the load bench's
   * peak RSS ~620–660 → ~430–460 MB at the same requests/s), V8's own on PostgreSQL, where the app
   * thread is the bottleneck (60 there: 440–455 → ~258 MB RSS for 5–10 % fewer requests a second).
   */
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).optional(),
  /** Minutes of inactivity after which a session ends. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  /** Hours after login after which a session ends regardless of activity. */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(12),
  /** Hours an API token lives. */
  API_TOKEN_HOURS: z.coerce.number().int().positive().default(12),
  /** Code, name and province of the commune created on first start. */
  COMMUNE_CODE: z.string().min(1).default("TANNINH"),
  COMMUNE_NAME: z.string().min(1).default("Xã Tân Ninh"),
  PROVINCE_NAME: z.string().min(1).default("Thanh Hóa"),
  /** Folder of the public pages' content (framework, lessons, quizzes); default: the shipped `content/`. */
  CONTENT_DIR: z.string().min(1).optional(),
  /** Passphrase of backup files: set, backups are encrypted (AES-256-GCM, key by scrypt) and restores need it. */
  BACKUP_KEY: z.string().min(8).optional(),
  /** Folder of the scheduled backups (default DATA_DIR/backups). */
  BACKUP_DIR: z.string().min(1).optional(),
  /** Hours between scheduled backups; 0 turns them off. */
  BACKUP_INTERVAL_HOURS: z.coerce.number().min(0).default(24),
  /** Scheduled backups kept (the newest); older ones are deleted. */
  BACKUP_KEEP: z.coerce.number().int().positive().default(7),
  /** Working days to answer each kind of privacy request, e.g. `access=10,deletion=5` (others keep 10). */
  PRIVACY_DUE_DAYS: z.string().optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Config = {
  databaseUrl: string | undefined;
  /** DATABASE_REPLICA_URL. */
  databaseReplicaUrl: string | undefined;
  dataDir: string;
  /** BDHVS_SQL_STATS (profiling). */
  sqlStatsFile: string | undefined;
  port: number;
  host: string;
  baseUrl: string | undefined;
  trustProxy: boolean;
  /** Proxies of our own in front of the app (see TRUST_PROXY_HOPS). */
  trustProxyHops: number;
  maxBodyBytes: number;
  maxUploadBytes: number;
  importMaxRows: number;
  /** IMPORT_JOB_LEASE_SECONDS. */
  importJobLeaseSeconds: number;
  /** MAX_IN_FLIGHT, ADMISSION_QUEUE, ADMISSION_WAIT_MS. */
  admission: { maxInFlight: number; queue: number; waitMs: number };
  /** KEPT_ANSWERS_MB. */
  keptAnswersMb: number;
  /** HEAP_GROWING_PERCENT (0: V8's own; undefined: by the database, `heapGrowingPercentFor`). */
  heapGrowingPercent: number | undefined;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  apiTokenHours: number;
  commune: { code: string; name: string; province: string };
  logLevel: z.infer<typeof ZEnv>["LOG_LEVEL"];
  /** Folder of the public pages' content. */
  contentDir: string;
  backup: { key: string | undefined; dir: string; intervalHours: number; keep: number };
  /** Working days allowed per kind of privacy request (PRIVACY_DUE_DAYS over the defaults). */
  privacyDueDays: Record<PrivacyRequestKind, number>;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = ZEnv.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Cấu hình không hợp lệ / invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  let privacyDueDays: Record<PrivacyRequestKind, number>;
  try {
    privacyDueDays = parseDueDays(e.PRIVACY_DUE_DAYS);
  } catch (err) {
    throw new ConfigError(`Cấu hình không hợp lệ / invalid configuration:\n  ${(err as Error).message}`);
  }
  return {
    databaseUrl: e.DATABASE_URL,
    databaseReplicaUrl: e.DATABASE_REPLICA_URL,
    dataDir: path.resolve(e.DATA_DIR),
    sqlStatsFile: e.BDHVS_SQL_STATS,
    port: e.PORT,
    host: e.HOST,
    baseUrl: e.BASE_URL,
    trustProxy: e.TRUST_PROXY === "true",
    trustProxyHops: e.TRUST_PROXY_HOPS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    importMaxRows: e.IMPORT_MAX_ROWS,
    importJobLeaseSeconds: e.IMPORT_JOB_LEASE_SECONDS,
    keptAnswersMb: e.KEPT_ANSWERS_MB,
    heapGrowingPercent: e.HEAP_GROWING_PERCENT,
    admission: {
      maxInFlight: e.MAX_IN_FLIGHT,
      queue: e.ADMISSION_QUEUE ?? 8 * e.MAX_IN_FLIGHT,
      waitMs: e.ADMISSION_WAIT_MS,
    },
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    apiTokenHours: e.API_TOKEN_HOURS,
    commune: { code: e.COMMUNE_CODE, name: e.COMMUNE_NAME, province: e.PROVINCE_NAME },
    logLevel: e.LOG_LEVEL,
    contentDir: e.CONTENT_DIR ? path.resolve(e.CONTENT_DIR) : DEFAULT_CONTENT_DIR,
    backup: {
      key: e.BACKUP_KEY,
      dir: path.resolve(e.BACKUP_DIR ?? path.join(overrides.dataDir ?? e.DATA_DIR, "backups")),
      intervalHours: e.BACKUP_INTERVAL_HOURS,
      keep: e.BACKUP_KEEP,
    },
    privacyDueDays,
    ...overrides,
  };
}
