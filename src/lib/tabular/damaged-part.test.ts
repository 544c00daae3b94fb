/**
 * A workbook whose relations part cannot be inflated is refused with the app's message, every
 * time. ExcelJS's parsers listen to a part's stream only once they start: when the inflate failed
 * while the next part was being opened, the read waited forever (found by the fuzz test on Node 24;
 * on Node 20, one read in a few dozen of the same file). Each read here has its own deadline.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { NS, part, zipOf } from "../../../test/helpers/hostile.ts";
import { AppError } from "../errors.ts";
import { readRows } from "./read.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-damaged-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Reads `file` to the end; "hung" when it neither ends nor fails within `ms`. */
async function outcome(file: string, ms: number): Promise<"rows" | "refused" | "hung"> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), ms);
  });
  const read = (async () => {
    try {
      for await (const _ of readRows(file)) {
        // drained
      }
      return "rows" as const;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return "refused" as const;
    }
  })();
  try {
    return await Promise.race([read, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

test("a part that cannot be inflated is refused, never a read that waits forever", async () => {
  const broken = part("xl/_rels/workbook.xml.rels", "<Relationships/>");
  broken.data = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]); // no deflate block starts so
  const file = path.join(dir, "broken.xlsx");
  fs.writeFileSync(
    file,
    zipOf([
      part(
        "xl/workbook.xml",
        `<workbook ${NS}><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      broken,
      part(
        "xl/worksheets/sheet1.xml",
        `<worksheet ${NS}><sheetData>${"<row/>".repeat(20_000)}</sheetData></worksheet>`,
      ),
    ]),
  );
  const seen = new Map<string, number>();
  for (let i = 0; i < 300; i++) {
    const r = await outcome(file, 10_000);
    seen.set(r, (seen.get(r) ?? 0) + 1);
    if (r === "hung") break;
  }
  assert.deepEqual(Object.fromEntries(seen), { refused: 300 });
});
