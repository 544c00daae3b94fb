import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { desc, like } from "drizzle-orm";
import { pino } from "pino";
import { createTestDatabase } from "../../../test/helpers/db.ts";
import { loadConfig } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents } from "../../db/schema.ts";
import { fixedClock, setClock } from "../../lib/clock.ts";
import { readHeader } from "./format.ts";
import { listScheduled, runScheduledBackup } from "./schedule.ts";

describe("scheduled backups", () => {
  let database: Database;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-sched-"));
  const logger = pino({ level: "silent" });
  const clock = fixedClock("2026-06-15T02:00:00Z");
  before(async () => {
    setClock(clock);
    database = await createTestDatabase();
  });
  after(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("writes dated, encrypted files and keeps the BACKUP_KEEP newest", async () => {
    const config = loadConfig(
      { LOG_LEVEL: "silent", BACKUP_KEY: "mật khẩu sao lưu", BACKUP_KEEP: "2" },
      { dataDir: dir },
    );
    assert.equal(config.backup.dir, path.join(dir, "backups"));
    for (let i = 0; i < 3; i++) {
      const r = await runScheduledBackup({ database, config, logger });
      assert.equal(r.ok, true);
      clock.advance(24 * 3_600_000);
    }
    const files = listScheduled(config.backup.dir);
    assert.deepEqual(files, ["bdhvs-20260617-020000.bdhvs", "bdhvs-20260616-020000.bdhvs"]);
    const { header } = readHeader(files[0]!, fs.readFileSync(path.join(config.backup.dir, files[0]!)));
    assert.equal(header.encryption?.cipher, "aes-256-gcm");
    const [last] = await database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(like(auditEvents.action, "backup.%"))
      .orderBy(desc(auditEvents.id));
    assert.equal(last!.action, "backup.scheduled");
  });

  test("a failure (the folder cannot be created) is logged and audited, and leaves no file", async () => {
    const blocker = path.join(dir, "not-a-folder");
    fs.writeFileSync(blocker, "x");
    const config = loadConfig(
      { LOG_LEVEL: "silent", BACKUP_DIR: path.join(blocker, "backups") },
      { dataDir: dir },
    );
    const lines: string[] = [];
    const log = pino({ level: "error" }, { write: (l: string) => lines.push(l) });
    const r = await runScheduledBackup({ database, config, logger: log });
    assert.equal(r.ok, false);
    assert.match(lines.join(""), /scheduled backup failed/);
    const [last] = await database.db
      .select({ action: auditEvents.action, after: auditEvents.after })
      .from(auditEvents)
      .where(like(auditEvents.action, "backup.%"))
      .orderBy(desc(auditEvents.id));
    assert.equal(last!.action, "backup.failed");
    assert.match(JSON.stringify(last!.after), /ENOTDIR|EEXIST/);
  });
});
