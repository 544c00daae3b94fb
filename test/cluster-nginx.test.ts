/**
 * The nginx configuration of several app processes (test/helpers/cluster.ts, docs/operations.md)
 * against two stand-in upstreams that count what reaches them: a 503 of a busy process (admission
 * control) sends a GET on to the other process, never a POST (no double write); a process that
 * answered 503 is not set aside (the `max_fails=1` cascade of docs/scaling.md); with every process
 * refusing connects nginx answers its own Vietnamese 503 with Retry-After. Needs no database.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort, nginxBinary, nginxConfig, startNginx } from "./helpers/cluster.ts";

type Upstream = {
  port: number;
  /** Requests seen, as "METHOD /path". */
  seen: string[];
  /** What it answers besides /healthz. */
  mode: "busy" | "ok";
  close(): Promise<void>;
};

async function startUpstream(name: string): Promise<Upstream> {
  const port = await freePort();
  const u: Upstream = { port, seen: [], mode: "ok", close: async () => {} };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/healthz") return void res.writeHead(200).end("ok");
      u.seen.push(`${req.method} ${req.url}`);
      if (u.mode === "busy") return void res.writeHead(503, { "retry-after": "2" }).end("busy");
      res.writeHead(200, { "content-type": "text/plain" }).end(name);
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  u.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return u;
}

const skip = nginxBinary() ? false : "nginx is not installed (Debian: apt-get install nginx-light)";

describe("nginx in front of several processes", { skip }, () => {
  let dir: string;
  let a: Upstream;
  let b: Upstream;
  let nginx: Awaited<ReturnType<typeof startNginx>>;
  const reset = () => {
    a.seen.length = 0;
    b.seen.length = 0;
  };
  /** Runs `body` while the two upstreams answer as `modes` says; afterwards both answer again. */
  const whileAnswering = async (modes: [Upstream["mode"], Upstream["mode"]], body: () => Promise<void>) => {
    [a.mode, b.mode] = modes;
    try {
      await body();
    } finally {
      a.mode = "ok";
      b.mode = "ok";
    }
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-nginx-"));
    a = await startUpstream("a");
    b = await startUpstream("b");
    nginx = await startNginx(dir, [a.port, b.port]);
  });
  after(async () => {
    await nginx?.stop();
    await a?.close();
    await b?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the configuration caps connections per process and sets none aside on one failure", () => {
    const conf = nginxConfig(dir, 1, [3001, 3002]);
    assert.match(conf, /server 127\.0\.0\.1:3001 max_fails=0 max_conns=\d+;/);
    assert.doesNotMatch(conf, /max_fails=1 /);
    assert.match(conf, /proxy_next_upstream error timeout http_502 http_503 http_504;/);
    assert.doesNotMatch(conf, /non_idempotent/);
  });

  test("a GET refused 503 by a busy process is answered by the other one", async () => {
    await whileAnswering(["busy", "ok"], async () => {
      for (let i = 0; i < 6; i++) {
        reset();
        const res = await fetch(`${nginx.url}/residents?i=${i}`);
        assert.equal(res.status, 200);
        assert.equal(await res.text(), "b");
        // Round robin: every other request tries the busy process first, which is never set aside.
        assert.ok(a.seen.length <= 1 && b.seen.length === 1, JSON.stringify([a.seen, b.seen]));
      }
      reset();
      for (let i = 0; i < 4; i++) await (await fetch(`${nginx.url}/again?i=${i}`)).arrayBuffer();
      assert.ok(a.seen.length >= 1, "the busy process is still tried (max_fails=0)");
    });
  });

  test("a POST refused 503 is passed back to the client, never sent to another process", async () => {
    await whileAnswering(["busy", "busy"], async () => {
      for (let i = 0; i < 4; i++) {
        reset();
        const res = await fetch(`${nginx.url}/visits?i=${i}`, { method: "POST", body: "x=1" });
        assert.equal(res.status, 503);
        assert.equal(res.headers.get("retry-after"), "2");
        await res.arrayBuffer();
        assert.equal(a.seen.length + b.seen.length, 1, `one process got the POST: ${[...a.seen, ...b.seen]}`);
      }
      // The GET, by contrast, is tried on both before the 503 comes back.
      reset();
      const res = await fetch(`${nginx.url}/dashboard`);
      assert.equal(res.status, 503);
      await res.arrayBuffer();
      assert.equal(a.seen.length + b.seen.length, 2);
    });
  });

  test("with no process reachable, nginx answers its own 503 page with Retry-After", async () => {
    const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-nginx-"));
    const dead = [await freePort(), await freePort()];
    const live = await startUpstream("healthz");
    // startNginx waits for /healthz through nginx: one live upstream, then it goes away.
    const n = await startNginx(dir2, [live.port, ...dead]);
    try {
      await live.close();
      const res = await fetch(`${n.url}/residents`);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get("retry-after"), "2");
      assert.match(await res.text(), /Máy chủ đang bận/);
    } finally {
      await n.stop();
      fs.rmSync(dir2, { recursive: true, force: true });
    }
  });
});
