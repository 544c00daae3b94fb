import zlib from "node:zlib";

/**
 * Hostile spreadsheet files for the hardening and fuzz tests, small on disk: zip bombs whose parts
 * inflate to gigabytes are built from one compressed block repeated, without compressing gigabytes.
 */

/** The data of one zip part: its compressed bytes and how it is stored. */
export type ZipData = { name: string; data: Buffer; method: 0 | 8; size: number; crc: number };

/** A part deflated (or stored) from text. */
export function part(name: string, text: string | Buffer, stored = false): ZipData {
  const raw = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  return {
    name,
    data: stored ? raw : zlib.deflateRawSync(raw),
    method: stored ? 0 : 8,
    size: raw.length,
    crc: zlib.crc32(raw),
  };
}

/**
 * A deflated part of `head`, then `unit` repeated `times` times, then `tail`: each unit's block is
 * compressed once (a full flush resets the dictionary, so the block stands alone) and repeated.
 * 1 GB of rows costs a few MB and no time to build.
 */
export function bombPart(name: string, head: string, unit: string, times: number, tail: string): ZipData {
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH };
  const headBlock = zlib.deflateRawSync(Buffer.from(head, "utf8"), flush);
  const unitBytes = Buffer.from(unit, "utf8");
  const unitBlock = zlib.deflateRawSync(unitBytes, flush);
  const tailBlock = zlib.deflateRawSync(Buffer.from(tail, "utf8"));
  const blocks: Buffer[] = [headBlock];
  for (let i = 0; i < times; i++) blocks.push(unitBlock);
  blocks.push(tailBlock);
  const size = Buffer.byteLength(head) + unitBytes.length * times + Buffer.byteLength(tail);
  return {
    name,
    data: Buffer.concat(blocks),
    method: 8,
    size: Math.min(size, 0xfffffffe),
    crc: 0,
  };
}

/**
 * The fields a local header (from byte 4) and its central directory entry (from byte 6) share:
 * version needed, flags (UTF-8 names), method, time and date, CRC, both sizes, name length.
 */
function writeEntryFields(header: Buffer, at: number, p: ZipData, nameLength: number) {
  header.writeUInt16LE(20, at);
  header.writeUInt16LE(0x0800, at + 2);
  header.writeUInt16LE(p.method, at + 4);
  header.writeUInt16LE(0x21, at + 8);
  header.writeUInt32LE(p.crc >>> 0, at + 10);
  header.writeUInt32LE(p.data.length, at + 14);
  header.writeUInt32LE(p.size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

/** A zip of these parts, in this order. */
export function zipOf(parts: ZipData[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, p, name.length);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    writeEntryFields(central, 6, p, name.length);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const dirSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

export const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The parts every workbook needs around its one sheet (`xl/worksheets/sheet1.xml`) and shared strings. */
export function workbookParts(withSharedStrings: boolean): ZipData[] {
  return [
    part(
      "xl/workbook.xml",
      `<workbook ${NS} xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    part(
      "xl/_rels/workbook.xml.rels",
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        (withSharedStrings
          ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`
          : "") +
        "</Relationships>",
    ),
  ];
}

/** An inline-string cell. */
export const inline = (text: string) => `<c t="inlineStr"><is><t>${text}</t></is></c>`;

/** An .xlsx whose one sheet is `header` then `rowXml` repeated `times` times (a zip bomb when large). */
export function xlsxBomb(header: string[], rowXml: string, times: number): Buffer {
  const head = `<worksheet ${NS}><sheetData><row>${header.map(inline).join("")}</row>`;
  // 1,000 rows per unit: fewer, larger blocks.
  const perUnit = Math.min(1000, times);
  const unit = rowXml.repeat(perUnit);
  const sheet = bombPart(
    "xl/worksheets/sheet1.xml",
    head,
    unit,
    Math.ceil(times / perUnit),
    "</sheetData></worksheet>",
  );
  return zipOf([...workbookParts(false), sheet]);
}

/** An .xlsx whose shared-strings table holds `count` strings of `length` characters each (a bomb when large). */
export function sharedStringsBomb(count: number, length: number): Buffer {
  const perUnit = Math.max(1, Math.min(count, 1000, Math.floor((1 << 20) / (length + 16))));
  const unit = `<si><t>${"a".repeat(length)}</t></si>`.repeat(perUnit);
  const rest = `<si><t>${"a".repeat(length)}</t></si>`.repeat(count % perUnit);
  const sst = bombPart(
    "xl/sharedStrings.xml",
    `<sst ${NS}>`,
    unit,
    Math.floor(count / perUnit),
    `${rest}</sst>`,
  );
  const sheet = part(
    "xl/worksheets/sheet1.xml",
    `<worksheet ${NS}><sheetData><row><c t="s"><v>0</v></c></row></sheetData></worksheet>`,
  );
  return zipOf([...workbookParts(true), sst, sheet]);
}

/** Peak resident memory above the start while `work` runs, sampled every 20 ms (MB). */
export async function peakRssGrowthMb<T>(work: () => Promise<T>): Promise<{ value: T; mb: number }> {
  // The garbage of earlier work (the test before, a refusal under the default cap) is collected
  // first where the runner exposes the collector (scripts/run-tests.ts passes --expose-gc).
  globalThis.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, mb: (peak - start) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}
