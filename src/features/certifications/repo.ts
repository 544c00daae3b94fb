import { sql } from "drizzle-orm";
import { chunks } from "../../db/chunks.ts";
import type { Db } from "../../db/client.ts";
import { certifications } from "../../db/schema.ts";

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
    .set({ ...values, updatedAt: new Date() })
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
