/**
 * Real app processes (the compiled server, `bin/bdhvs.js serve`) and an nginx in front of them, on
 * loopback, for the tests of several processes (issue 18.4).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { keepCookies } from "./cookie-jar.ts";

const BIN = path.resolve("bin/bdhvs.js");

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The environment of a spawned server: nothing of the outer shell's database leaks in. */
function childEnv(extra: Record<string, string>) {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !["DATABASE_URL", "TEST_DATABASE_URL", "DATA_DIR", "PORT"].includes(k)) e[k] = v;
  }
  return { ...e, LOG_LEVEL: "silent", HOST: "127.0.0.1", ...extra };
}

/** Waits until `url` answers 200 (or throws after `ms`). */
export async function waitFor(url: string, ms = 60_000): Promise<void> {
  const until = performance.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
    await sleep(100);
  }
}

export type AppProcess = {
  port: number;
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (if still running), then waits for the exit. */
  stop(): Promise<void>;
};

/** Starts `bdhvs serve` on `port` against `databaseUrl` and waits for its /healthz. */
export async function startAppProcess(opts: {
  port: number;
  databaseUrl: string;
  dataDir: string;
  env?: Record<string, string>;
}): Promise<AppProcess> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", String(opts.port)], {
    env: childEnv({ DATABASE_URL: opts.databaseUrl, DATA_DIR: opts.dataDir, ...opts.env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${opts.port}`;
  const alive = () => child.exitCode === null && child.signalCode === null;
  await Promise.race([
    waitFor(`${url}/healthz`),
    exited.then(() => {
      throw new Error(`server on ${opts.port} exited at start:\n${out}`);
    }),
  ]);
  return {
    port: opts.port,
    url,
    child,
    output: () => out,
    async kill() {
      if (alive()) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (alive()) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The nginx binary (Debian's nginx-light or nginx), or undefined. */
export function nginxBinary(): string | undefined {
  for (const p of ["/usr/sbin/nginx", "/usr/bin/nginx"]) if (fs.existsSync(p)) return p;
  return undefined;
}

/**
 * Connections nginx opens to one app process at most: the app's default MAX_IN_FLIGHT (64) plus
 * its queue (8 × 64 = 512). More would only wait in the process's accept queue; with `max_conns` nginx sends
 * them to another process instead, and with every process full answers its own 503 (`@busy`).
 */
export const NGINX_MAX_CONNS = 576;

/**
 * The nginx configuration of docs/operations.md ("Several app processes"), generated for a test:
 * idempotent requests that meet a dead or busy (503) process go on to the next one; POSTs never
 * do (nginx leaves out non-idempotent methods unless told `non_idempotent`). `max_fails=0`: a 503
 * of a busy process, or a slow connect, does not set the process aside for `fail_timeout` — with
 * `max_fails=1 fail_timeout=10s` a loaded machine marked both processes down and every request got
 * "no live upstreams" (docs/scaling.md). A dead process on loopback refuses connects at once, so
 * trying it again costs nothing.
 */
export function nginxConfig(
  dir: string,
  listen: number,
  upstreams: number[],
  opts: { maxConns?: number } = {},
): string {
  const asRoot = process.getuid?.() === 0;
  const maxConns = opts.maxConns ?? NGINX_MAX_CONNS;
  return `${asRoot ? "user root;\n" : ""}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 60m;
  upstream bdhvs {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=0 max_conns=${maxConns};`).join("\n")}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${listen};
    location / {
      proxy_pass http://bdhvs;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_tries 3;
      proxy_next_upstream_timeout 10s;
      # nginx's own errors (every process full or gone), not the app's answers.
      error_page 502 504 = @busy;
    }
    location @busy {
      default_type "text/html; charset=utf-8";
      add_header Retry-After 2 always;
      add_header Cache-Control no-store always;
      return 503 '<!DOCTYPE html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Máy chủ đang bận</title><h1>Máy chủ đang bận</h1><p>Máy chủ đang bận phục vụ nhiều người. Vui lòng thử lại sau vài giây.</p><p lang="en">The server is busy. Please try again in a few seconds.</p></html>';
    }
  }
}
`;
}

/** Starts nginx with a generated configuration in `dir`; `stop()` ends it. */
export async function startNginx(dir: string, upstreams: number[], opts: { maxConns?: number } = {}) {
  const bin = nginxBinary();
  if (!bin) throw new Error("nginx is not installed (Debian: apt-get install nginx-light)");
  const port = await freePort();
  const conf = path.join(dir, "nginx.conf");
  fs.writeFileSync(conf, nginxConfig(dir, port, upstreams, opts));
  execFileSync(bin, ["-t", "-q", "-p", dir, "-c", conf], { stdio: "pipe" });
  const child = spawn(bin, ["-p", dir, "-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/healthz`, 20_000);
  return {
    url,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGQUIT");
      await exited;
    },
  };
}

/** A browser-like client of a base URL: keeps cookies, reads the CSRF token of the last page. */
export class HttpAgent {
  cookies = new Map<string, string>();
  lastHtml = "";

  constructor(public base: string) {}

  /** The same session, against another base URL (another process). */
  at(base: string): HttpAgent {
    const other = new HttpAgent(base);
    other.cookies = this.cookies;
    return other;
  }

  async request(p: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(`${this.base}${p}`, { ...init, headers, redirect: "manual" });
    keepCookies(this.cookies, res);
    return res;
  }

  async get(p: string): Promise<Response> {
    const res = await this.request(p);
    this.lastHtml = await res.text();
    return res;
  }

  csrf(): string {
    const m = this.lastHtml.match(/name="_csrf" value="([^"]+)"/);
    if (!m?.[1]) throw new Error(`no CSRF token on the last page:\n${this.lastHtml.slice(0, 500)}`);
    return m[1];
  }

  async postForm(p: string, fields: Record<string, string>): Promise<Response> {
    const body = new URLSearchParams({ _csrf: this.csrf(), ...fields });
    const res = await this.request(p, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    this.lastHtml = await res.text();
    return res;
  }

  async postMultipart(p: string, form: FormData): Promise<Response> {
    form.append("_csrf", this.csrf());
    const res = await this.request(p, { method: "POST", body: form });
    this.lastHtml = await res.text();
    return res;
  }

  async login(username: string, password: string) {
    await this.get("/login");
    const res = await this.postForm("/login", { username, password, next: "/" });
    if (res.status !== 303) throw new Error(`login failed for ${username}: ${res.status}`);
  }
}
