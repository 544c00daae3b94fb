import { msg } from "../../../lib/errors.ts";
import { emptyCounts, RowChecker } from "../../../lib/row-checker.ts";
import {
  parseCertificationKind,
  parseCertificationSource,
  parseCitizenId,
  parseCivilDate,
  parseCode,
  parseOptional,
  parseText,
} from "../../../lib/values.ts";
import {
  type CertificationValues,
  findCertificationsByNaturalKeys,
  insertCertificationRows,
  updateCertificationRow,
} from "../../certifications/repo.ts";
import { listResidentKeysOfCommune } from "../../residents/repo.ts";
import { listAllVillagesOfCommune } from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow } from "./by-code.ts";

type Row = Omit<CertificationValues, "communeId">;
type Person = { id: number; villageId: number };
type Context = {
  byCitizenId: Map<string, Person>;
  byNameBirth: Map<string, Person[]>;
  villages: Map<string, number>;
  seen: Map<string, number>;
};

const nameBirth = (name: string, birth: string) => `${name}|${birth}`;
const dmy = (iso: string) => iso.split("-").reverse().join("/");

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
  async load(db, communeId) {
    const byCitizenId = new Map<string, Person>();
    const byNameBirth = new Map<string, Person[]>();
    for (const r of await listResidentKeysOfCommune(db, communeId)) {
      const person = { id: r.id, villageId: r.villageId };
      if (r.citizenId) byCitizenId.set(r.citizenId, person);
      const k = nameBirth(r.fullName, r.birthDate);
      byNameBirth.set(k, [...(byNameBirth.get(k) ?? []), person]);
    }
    const villages = new Map((await listAllVillagesOfCommune(db, communeId)).map((v) => [v.code, v.id]));
    return { byCitizenId, byNameBirth, villages, seen: new Map() };
  },
  parse(get, ctx, rowNumber, today) {
    const c = new RowChecker();
    const kind = c.take("kind", parseCertificationKind(get("kind")));
    // A certification may be dated ahead (a planned confirmation): indicators count only those dated on or before D.
    const date = c.take("date", parseCivilDate(get("date"), { today }));
    const source = c.take("source", parseCertificationSource(get("source")));
    const reference = c.take("reference", parseText(get("reference"), { max: 100 }));

    // The resident: by citizen ID, else by full name + birth date (+ village when given).
    let residentId: number | undefined;
    const citizenId = c.take(
      "citizen_id",
      parseOptional(get("citizen_id"), (raw) => parseCitizenId(raw)),
    );
    if (citizenId) {
      residentId = ctx.byCitizenId.get(citizenId)?.id;
      if (residentId === undefined)
        c.fail("citizen_id", msg("import.resident_not_found_cccd", { value: citizenId }));
    } else if (citizenId === null) {
      const name = c.take("full_name", parseText(get("full_name"), { max: 200 }));
      const birth = c.take(
        "birth_date",
        parseOptional(get("birth_date"), (raw) => parseCivilDate(raw, { today, allowYearOnly: true })),
      );
      const villageCode = c.take(
        "village",
        parseOptional(get("village"), (raw) => parseCode(raw)),
      );
      const villageId = villageCode ? ctx.villages.get(villageCode) : undefined;
      if (villageCode && villageId === undefined)
        c.fail("village", msg("import.village_unknown", { code: villageCode }));
      if (!name || !birth) {
        if (name !== undefined && birth !== undefined)
          c.fail("citizen_id", msg("import.resident_needs_identity"));
      } else if (!villageCode || villageId !== undefined) {
        const all = ctx.byNameBirth.get(nameBirth(name, birth.date)) ?? [];
        const found = villageId === undefined ? all : all.filter((p) => p.villageId === villageId);
        if (found.length === 0) {
          c.fail("full_name", msg("import.resident_not_found_name", { name, date: dmy(birth.date) }));
        } else if (found.length > 1) {
          c.fail(
            "full_name",
            msg("import.resident_ambiguous", { name, date: dmy(birth.date), count: found.length }),
          );
        } else residentId = found[0]!.id;
      }
    }
    if (c.ok && residentId !== undefined) {
      const key = `${residentId}|${kind}|${source}|${date!.date}`;
      noteFirstRow(ctx.seen, key, rowNumber, c, null);
    }
    if (!c.ok || residentId === undefined) return { errors: c.errors, warnings: c.warnings };
    return {
      value: { residentId, kind: kind!, date: date!.date, source: source!, reference: reference || null },
      errors: [],
      warnings: c.warnings,
    };
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
