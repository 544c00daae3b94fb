import { and, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import { chunks } from "../../db/chunks.ts";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { certifications, residents, villages } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import { now } from "../../lib/clock.ts";
import type { Scope } from "../auth/policy.ts";
import { residentSearchWhere } from "../residents/repo.ts";

export type CertificationValues = {
  communeId: number;
  residentId: number;
  kind: "basic" | "vneid";
  date: string;
  source: "vneid" | "platform" | "school" | "course";
  reference: string | null;
};

export type CertificationRow = CertificationValues & { id: number };

export const certificationColumns = {
  id: certifications.id,
  communeId: certifications.communeId,
  residentId: certifications.residentId,
  kind: certifications.kind,
  date: certifications.date,
  source: certifications.source,
  reference: certifications.reference,
};

/**
 * Certifications matching (resident, kind, source, date), their natural key: read by resident (the
 * key's first column, indexed) with one array parameter, matched here.
 */
export async function findCertificationsByNaturalKeys(
  db: Db,
  keys: Pick<CertificationValues, "residentId" | "kind" | "source" | "date">[],
): Promise<CertificationRow[]> {
  if (keys.length === 0) return [];
  const wanted = new Set(keys.map((k) => `${k.residentId}|${k.kind}|${k.source}|${k.date}`));
  const ids = [...new Set(keys.map((k) => k.residentId))];
  const rows = await db
    .select(certificationColumns)
    .from(certifications)
    .where(sql`${certifications.residentId} = any(${sql.param(ids)}::integer[])`);
  return rows.filter((r) => wanted.has(`${r.residentId}|${r.kind}|${r.source}|${r.date}`));
}

export async function insertCertificationRows(db: Db, rows: CertificationValues[]) {
  for (const chunk of chunks(rows)) await db.insert(certifications).values(chunk);
}

export async function updateCertificationRow(db: Db, id: number, values: Partial<CertificationValues>) {
  await db
    .update(certifications)
    .set({ ...values, updatedAt: now() })
    .where(sql`${certifications.id} = ${id}`);
}

export async function listCertificationsOfResident(db: Db, residentId: number): Promise<CertificationRow[]> {
  return db
    .select(certificationColumns)
    .from(certifications)
    .where(sql`${certifications.residentId} = ${residentId}`)
    .orderBy(certifications.date, certifications.id);
}

export async function insertCertificationRow(db: Db, row: CertificationValues): Promise<number> {
  const [r] = await db.insert(certifications).values(row).returning({ id: certifications.id });
  return r!.id;
}

export async function deleteCertificationRow(db: Db, id: number): Promise<void> {
  await rowKit.deleteRowById(db, certifications, id);
}

// --- reading, in a viewer's scope ----------------------------------------------

/** A certification with its resident's identity and village, as the list, the pages and the API show it. */
export type CertificationListRow = CertificationRow & {
  fullName: string;
  birthDate: string;
  birthYearOnly: boolean;
  citizenId: string | null;
  villageId: number;
  villageCode: string;
  villageName: string;
};

const listColumns = {
  ...certificationColumns,
  ...rowKit.columnsOf(residents, "fullName", "birthDate", "birthYearOnly", "citizenId", "villageId"),
  villageCode: villages.code,
  villageName: villages.name,
};

/** A certification is in a scope when its resident is: a village team's villages, a school's students. */
const scoped = (scope: Scope) =>
  scopeWhere(scope, {
    commune: certifications.communeId,
    village: residents.villageId,
    resident: residents.id,
    unit: residents.unitId,
  });

/** The certifications a list shows and a record page opens, with their resident and village. */
const records = rowKit.scopedRecords({
  select: (db: Db) =>
    db
      .select(listColumns)
      .from(certifications)
      .innerJoin(residents, eq(residents.id, certifications.residentId))
      .innerJoin(villages, eq(villages.id, residents.villageId))
      .$dynamic(),
  id: certifications.id,
  scope: scoped,
});

export type CertificationFilter = {
  villageId?: number | undefined;
  unitId?: number | undefined;
  kind?: string | undefined;
  source?: string | undefined;
  /** Civil dates yyyy-mm-dd, both ends included. */
  from?: string | undefined;
  to?: string | undefined;
  /** Folded part of the resident's name, or digits (start of a citizen ID, when the viewer may search by it). */
  q?: string | undefined;
  qCitizenId?: boolean;
};

function filterWhere(scope: Scope, f: CertificationFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [scoped(scope)];
  if (f.villageId !== undefined) conds.push(eq(residents.villageId, f.villageId));
  if (f.unitId !== undefined) conds.push(eq(residents.unitId, f.unitId));
  if (f.kind) conds.push(sql`${certifications.kind} = ${f.kind}`);
  if (f.source) conds.push(sql`${certifications.source} = ${f.source}`);
  if (f.from) conds.push(gte(certifications.date, f.from));
  if (f.to) conds.push(lte(certifications.date, f.to));
  if (f.q) conds.push(residentSearchWhere(f.q, f.qCitizenId));
  return and(...conds);
}

/** Certifications of a scope, the latest first. */
export const listCertificationRows = rowKit.pagedList<Scope, CertificationFilter, CertificationListRow>({
  where: filterWhere,
  rows: (db, where) =>
    records.select(db).where(where).orderBy(desc(certifications.date), desc(certifications.id)),
  counted: { table: certifications, joins: [[residents, eq(residents.id, certifications.residentId)]] },
});

/** One certification, if its resident lies in the viewer's scope. */
export const findCertificationRow = records.find;

/**
 * The residents of a scope a certification's keys may name (POST /api/v1/certifications): those with
 * the citizen ID, or with the full name and birth date. Few rows, matched by certifications/resolve.ts.
 */
export async function findResidentCandidates(
  db: Db,
  scope: Scope,
  keys: { citizenId: string } | { fullName: string; birthDate: string },
) {
  const key =
    "citizenId" in keys
      ? eq(residents.citizenId, keys.citizenId)
      : and(eq(residents.fullName, keys.fullName), eq(residents.birthDate, keys.birthDate));
  return db
    .select(rowKit.columnsOf(residents, "id", "citizenId", "fullName", "birthDate", "villageId"))
    .from(residents)
    .where(
      and(
        key,
        scopeWhere(scope, {
          commune: residents.communeId,
          village: residents.villageId,
          resident: residents.id,
          unit: residents.unitId,
        }),
      ),
    );
}
