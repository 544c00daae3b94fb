import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { Logger } from "pino";
import type { Database } from "../../db/client.ts";
import type { Snapshot } from "./format.ts";
import { takeSnapshot } from "./service.ts";

/**
 * The local admin channel of a server running on the embedded database. PGlite has one process:
 * the server holds the data folder, so `bdhvs backup` cannot open it. The server listens on a Unix
 * socket inside the data folder, `DATA_DIR/bdhvs.sock`, mode 0600 — only the operating-system user
 * that owns the data (who could read the database files anyway) can connect. It answers
 * `POST /snapshot` (the server takes the snapshot in its own transaction and sends it back) and
 * `POST /user` (a `bdhvs user` command, run on the server's database; what it prints comes back).
 * Nothing listens on the network for this.
 */
export function socketPath(dataDir: string): string {
  return path.join(dataDir, "bdhvs.sock");
}

/** What `bdhvs user` prints, run by the server for a command sent over the channel. */
export type CommandAnswer = { stdout: string; stderr: string; exitCode: number };

export async function startBackupChannel(opts: {
  database: Database;
  dataDir: string;
  logger: Logger;
  /** `POST /user`: a `bdhvs user` command (JSON) run by the server on its database. */
  user?: (body: unknown) => Promise<CommandAnswer>;
}): Promise<{ close(): Promise<void> }> {
  const file = socketPath(opts.dataDir);
  fs.rmSync(file, { force: true }); // left by a process that died (we hold the folder's lock)
  const server = http.createServer((req, res) => {
    if (req.method === "POST" && req.url === "/user" && opts.user) {
      const run = opts.user;
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          res.writeHead(400).end();
          return;
        }
        run(body).then(
          (answer) => {
            opts.logger.info({ exitCode: answer.exitCode }, "user command run over the local channel");
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
          },
          (err) => {
            opts.logger.error({ err }, "user command failed");
            res
              .writeHead(500, { "content-type": "text/plain; charset=utf-8" })
              .end(String((err as Error).message));
          },
        );
      });
      return;
    }
    if (req.method !== "POST" || req.url !== "/snapshot") {
      res.writeHead(404).end();
      return;
    }
    const started = performance.now();
    takeSnapshot({ database: opts.database }).then(
      (snap) => {
        const { body, ...meta } = snap;
        opts.logger.info(
          { rows: meta.rows, bytes: body.length, ms: Math.round(performance.now() - started) },
          "backup snapshot sent over the local channel",
        );
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end(Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`), body]));
      },
      (err) => {
        opts.logger.error({ err }, "backup snapshot failed");
        res
          .writeHead(500, { "content-type": "text/plain; charset=utf-8" })
          .end(String((err as Error).message));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(file, () => resolve());
  });
  fs.chmodSync(file, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          fs.rmSync(file, { force: true });
          resolve();
        });
      }),
  };
}

/** Asks the server holding `dataDir` for a snapshot over its local channel. */
export function requestSnapshot(dataDir: string): Promise<Snapshot> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath: socketPath(dataDir), path: "/snapshot", method: "POST" },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const all = Buffer.concat(chunks);
          if (res.statusCode !== 200) {
            reject(new Error(all.toString("utf8") || `HTTP ${res.statusCode}`));
            return;
          }
          const nl = all.indexOf(0x0a);
          const meta = JSON.parse(all.subarray(0, nl).toString("utf8")) as Omit<Snapshot, "body">;
          resolve({ ...meta, body: all.subarray(nl + 1) });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Sends a `bdhvs user` command to the server holding `dataDir`; answers what the command prints. */
export function requestUserCommand(dataDir: string, command: unknown): Promise<CommandAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath: socketPath(dataDir),
        path: "/user",
        method: "POST",
        headers: { "content-type": "application/json" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200) reject(new Error(text || `HTTP ${res.statusCode}`));
          else resolve(JSON.parse(text) as CommandAnswer);
        });
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(command));
  });
}
