import { emptyCounts, RowChecker } from "../../../lib/row-checker.ts";
import { readCertificationFields } from "../../certifications/check.ts";
import {
  type CertificationValues,
  findCertificationsByNaturalKeys,
  insertCertificationRows,
  updateCertificationRow,
} from "../../certifications/repo.ts";
import {
  indexResidents,
  matchResident,
  type ResidentIndex,
  readResidentKeys,
} from "../../certifications/resolve.ts";
import { listResidentKeysOfCommune } from "../../residents/repo.ts";
import { listAllVillagesOfCommune } from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow } from "./by-code.ts";

type Row = Omit<CertificationValues, "communeId">;
type Context = ResidentIndex & { seen: Map<string, number> };

export const certificationsKind: ImportKind<Row, Context> = {
  name: "certifications",
  permission: "certification.create",
  columns: [
    { key: "citizen_id", aliases: ["Số CCCD", "CCCD", "Số định danh cá nhân", "Số định danh", "Citizen ID"] },
    { key: "full_name", aliases: ["Họ và tên", "Họ tên", "Full name", "Name"] },
    {
      key: "birth_date",
      aliases: ["Ngày sinh", "Ngày tháng năm sinh", "Năm sinh", "Birth date", "Date of birth"],
    },
    { key: "village", aliases: ["Thôn", "Mã thôn", "Village"] },
    { key: "kind", aliases: ["Loại", "Loại chứng nhận", "Kind"], required: true },
    { key: "date", aliases: ["Ngày cấp", "Ngày xác nhận", "Ngày", "Date"], required: true },
    { key: "source", aliases: ["Nguồn", "Nguồn cấp", "Source"], required: true },
    { key: "reference", aliases: ["Số hiệu", "Số chứng nhận", "Reference"] },
  ],
  async load(db, communeId, who) {
    const index = indexResidents(
      await listResidentKeysOfCommune(db, communeId, who),
      await listAllVillagesOfCommune(db, communeId),
    );
    return { ...index, seen: new Map() };
  },
  parse(get, ctx, rowNumber, today) {
    const c = new RowChecker();
    const fields = readCertificationFields(get, c, today);

    // The resident: by citizen ID, else by full name + birth date (+ village when given).
    const keys = readResidentKeys(get, c, today);
    const residentId = keys ? matchResident(keys, ctx, c) : undefined;
    if (c.ok && fields && residentId !== undefined) {
      const key = `${residentId}|${fields.kind}|${fields.source}|${fields.date}`;
      noteFirstRow(ctx.seen, key, rowNumber, c, null);
    }
    if (!c.ok || !fields || residentId === undefined) return { errors: c.errors, warnings: c.warnings };
    return { value: { residentId, ...fields }, errors: [], warnings: c.warnings };
  },
  async write(db, communeId, rows) {
    const counts = emptyCounts();
    const existing = new Map(
      (await findCertificationsByNaturalKeys(db, rows)).map((r) => [
        `${r.residentId}|${r.kind}|${r.source}|${r.date}`,
        r,
      ]),
    );
    const fresh: CertificationValues[] = [];
    for (const r of rows) {
      const found = existing.get(`${r.residentId}|${r.kind}|${r.source}|${r.date}`);
      if (!found) fresh.push({ communeId, ...r });
      else if ((found.reference ?? null) === r.reference) counts.unchanged++;
      else {
        await updateCertificationRow(db, found.id, { reference: r.reference });
        counts.updated++;
      }
    }
    await insertCertificationRows(db, fresh);
    counts.inserted += fresh.length;
    return counts;
  },
};
