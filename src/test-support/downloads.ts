import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Cell, readRows } from "../lib/tabular/read.ts";

/** The rows of a downloaded CSV or XLSX answer, read back through the importers' reader. */
export async function downloadedRows(res: Response, ext: "csv" | "xlsx"): Promise<Cell[][]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-download-"));
  const file = path.join(dir, `download.${ext}`);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const rows: Cell[][] = [];
  for await (const r of readRows(file)) rows.push(r.cells);
  fs.rmSync(dir, { recursive: true, force: true });
  return rows;
}
