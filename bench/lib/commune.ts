import type { openDatabase } from "../../src/db/client.ts";
import { communes } from "../../src/db/schema.ts";

/** Migrates a fresh data folder and adds the one commune the PGlite benches fill; its id. */
export async function migrateWithBenchCommune(database: Awaited<ReturnType<typeof openDatabase>>) {
  await database.migrate();
  const [commune] = await database.db
    .insert(communes)
    .values({ code: "BENCH", name: "Xã Thử", province: "Tỉnh Thử" })
    .returning();
  return commune!.id;
}
