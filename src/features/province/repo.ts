import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { compareText } from "../../lib/collation.ts";
import type { CommuneRow } from "../communes/repo.ts";

export type ProvinceCommuneRow = {
  commune: CommuneRow;
  /** The commune has loaded a plan of its own (else the plan that ships is in force). */
  planLoaded: boolean;
  /** No residents and no villages yet: the commune has no data to show. */
  empty: boolean;
  /** The commune's data version (data_versions; 0 before its first write), read with the row. */
  version: number;
};

/** Every commune of the installation (the province's scope), by name, with what the ranking needs. */
export async function listCommunesWithPlans(db: Db): Promise<ProvinceCommuneRow[]> {
  const result = (await db.execute(sql`
    select c.id, c.code, c.name, c.province, c.demo,
      exists (select 1 from plans p where p.commune_id = c.id and p.active) as plan_loaded,
      not exists (select 1 from residents r where r.commune_id = c.id)
        and not exists (select 1 from villages v where v.commune_id = c.id) as empty,
      coalesce((select d.version from data_versions d where d.commune_id = c.id), 0) as version
    from communes c
    order by c.name, c.id`)) as unknown as {
    rows: {
      id: number;
      code: string;
      name: string;
      province: string;
      demo: boolean;
      plan_loaded: boolean;
      empty: boolean;
      version: number | string;
    }[];
  };
  return result.rows
    .map((r) => ({
      commune: { id: Number(r.id), code: r.code, name: r.name, province: r.province, demo: r.demo },
      planLoaded: r.plan_loaded,
      empty: r.empty,
      version: Number(r.version),
    }))
    .sort((a, b) => compareText(a.commune.name, b.commune.name));
}
