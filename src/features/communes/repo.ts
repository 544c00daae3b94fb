import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { columnsOf } from "../../db/rows.ts";
import { communes } from "../../db/schema.ts";
import { now } from "../../lib/clock.ts";

const columns = columnsOf(communes, "id", "code", "name", "province", "demo");
export type CommuneRow = { id: number; code: string; name: string; province: string; demo: boolean };

export async function findCommuneById(db: Db, id: number): Promise<CommuneRow | undefined> {
  const [row] = await db.select(columns).from(communes).where(eq(communes.id, id));
  return row;
}

export async function findCommuneByCode(db: Db, code: string): Promise<CommuneRow | undefined> {
  const [row] = await db.select(columns).from(communes).where(eq(communes.code, code));
  return row;
}

export async function listCommunes(db: Db): Promise<CommuneRow[]> {
  return db.select(columns).from(communes).orderBy(asc(communes.id));
}

/** Every commune with its number of residents and of active admins (the province admin's list). */
export async function listCommuneSummaries(
  db: Db,
): Promise<(CommuneRow & { residents: number; admins: number })[]> {
  return db
    .select({
      ...columns,
      residents: sql<number>`(select count(*)::int from residents r where r.commune_id = communes.id)`,
      admins: sql<number>`(select count(*)::int from users u where u.commune_id = communes.id and u.role = 'admin' and u.disabled_at is null)`,
    })
    .from(communes)
    .orderBy(asc(communes.id));
}

export async function insertCommune(db: Db, values: Omit<CommuneRow, "id" | "demo">): Promise<CommuneRow> {
  const [row] = await db.insert(communes).values(values).returning(columns);
  return row!;
}

export async function updateCommuneRow(
  db: Db,
  id: number,
  values: Partial<Omit<CommuneRow, "id">>,
): Promise<CommuneRow | undefined> {
  const [row] = await db
    .update(communes)
    .set({ ...values, updatedAt: now() })
    .where(eq(communes.id, id))
    .returning(columns);
  return row;
}

export async function markCommuneDemo(db: Db, id: number) {
  await db.update(communes).set({ demo: true, updatedAt: now() }).where(eq(communes.id, id));
}

export async function markCommunesDemo(db: Db, ids: number[]) {
  if (ids.length > 0)
    await db.update(communes).set({ demo: true, updatedAt: now() }).where(inArray(communes.id, ids));
}
