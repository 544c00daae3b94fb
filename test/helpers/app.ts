import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { pino } from "pino";
import { createApp } from "../../src/app.tsx";
import { type Config, loadConfig } from "../../src/config.ts";
import type { Database } from "../../src/db/client.ts";
import { ensureDefaultCommune } from "../../src/features/communes/service.ts";
import { resetClock, setClock, startingAt } from "../../src/lib/clock.ts";
import { depsOf } from "../../src/server.ts";
import { keepCookies } from "./cookie-jar.ts";
import { createTestDatabase } from "./db.ts";
import { TEST_PASSWORD } from "./factories.ts";

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The real app on a fresh database, for `app.request()` tests. Proxy headers are trusted, so tests set client addresses. */
export async function createTestApp(overrides: Partial<Config> = {}) {
  const database: Database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-app-"));
  const config = loadConfig({ TRUST_PROXY: "true", LOG_LEVEL: "silent" }, { dataDir, ...overrides });
  const commune = await ensureDefaultCommune({ db: database.db, commune: config.commune });
  const deps = depsOf(database, config, pino({ level: "silent" }));
  const app = createApp(deps);
  return {
    app,
    db: database.db,
    database,
    config,
    commune,
    async close() {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The test app on a clock set to `at` (an instant with its offset); closing it puts the real clock back. */
export async function createTestAppAt(at: string, overrides: Partial<Config> = {}): Promise<TestApp> {
  setClock(startingAt(at));
  const t = await createTestApp(overrides);
  return {
    ...t,
    async close() {
      resetClock();
      await t.close();
    },
  };
}

/**
 * The test app of the current file or suite: an empty object now, filled by a before() hook and
 * closed by an after() hook. At a file's top level before() hooks start at once, side by side, so
 * it serves files whose tests need nothing else set up there.
 */
export function useTestApp(overrides: Partial<Config> = {}): TestApp {
  const t = {} as TestApp;
  before(async () => {
    Object.assign(t, await createTestApp(overrides));
  });
  after(() => t.close());
  return t;
}

/**
 * A browser-like client for `app.request()`: keeps cookies, reads CSRF tokens out of forms,
 * sends forms and JSON. Each agent has its own client address.
 */
export class Agent {
  cookies = new Map<string, string>();
  lastHtml = "";
  static count = 0;
  readonly ip: string;

  constructor(
    readonly app: TestApp["app"],
    ip?: string,
  ) {
    Agent.count++;
    this.ip = ip ?? `10.0.${Math.floor(Agent.count / 250)}.${(Agent.count % 250) + 1}`;
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader());
    headers.set("x-forwarded-for", this.ip);
    const res = await this.app.request(path, { ...init, headers });
    keepCookies(this.cookies, res);
    return res;
  }

  async get(path: string) {
    const res = await this.request(path);
    this.lastHtml = await res.clone().text();
    return res;
  }

  /** The CSRF token of the last page fetched (its first form). */
  csrf(): string {
    const m = this.lastHtml.match(/name="_csrf" value="([^"]+)"/);
    if (!m?.[1]) throw new Error("no CSRF token on the last page");
    return m[1];
  }

  async postForm(
    path: string,
    fields: Record<string, string | string[]>,
    opts: { csrf?: string | null } = {},
  ) {
    const body = new URLSearchParams();
    const csrf = opts.csrf === undefined ? this.csrf() : opts.csrf;
    if (csrf !== null) body.append("_csrf", csrf);
    for (const [k, v] of Object.entries(fields))
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await this.request(path, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    this.lastHtml = await res.clone().text();
    return res;
  }

  /** Sends a multipart form (a file upload) with the CSRF token of the last page. */
  async postMultipart(path: string, form: FormData) {
    form.append("_csrf", this.csrf());
    const res = await this.request(path, { method: "POST", body: form });
    this.lastHtml = await res.clone().text();
    return res;
  }

  /** Signs in through the login form. */
  async login(username: string, password: string) {
    await this.get("/login");
    const res = await this.postForm("/login", { username, password, next: "/" });
    if (res.status !== 303) throw new Error(`login failed for ${username}: ${res.status}`);
    return res;
  }
}

/** A bearer token for an account, through the API. */
export async function apiToken(app: TestApp["app"], username: string, password: string): Promise<string> {
  const res = await app.request("/api/v1/auth/token", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "10.9.9.9" },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`token for ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** A new agent signed in through the login form as a factory-built account (the test password). */
export async function signedInAgent(app: TestApp["app"], username: string): Promise<Agent> {
  const agent = new Agent(app);
  await agent.login(username, TEST_PASSWORD);
  return agent;
}

/** A bearer token for a factory-built account (the test password), through the API. */
export function testToken(app: TestApp["app"], username: string): Promise<string> {
  return apiToken(app, username, TEST_PASSWORD);
}

export function bearer(token: string, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${token}`, ...extra };
}
