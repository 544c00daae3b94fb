import { emptyCounts, sameValues } from "../../../lib/row-checker.ts";
import { listAllHouseholdsOfCommune } from "../../households/repo.ts";
import { listTeamMemberKeysOfCommune } from "../../teams/repo.ts";
import { listAllVillagesOfCommune } from "../../villages/repo.ts";
import { checkVisitRow, VISIT_COLUMNS, type VisitInput } from "../../visits/check.ts";
import { insertVisitRow, listVisitValuesOfCommune, updateVisitRow } from "../../visits/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow } from "./by-code.ts";

type Visit = Awaited<ReturnType<typeof listVisitValuesOfCommune>>[number];
type Context = {
  households: Map<string, { id: number; code: string; villageId: number }>;
  /** village id + folded name → members of that village's team. */
  members: Map<string, { id: number }[]>;
  villageCodes: Map<number, string>;
  visits: Map<string, Visit>;
  seen: Map<string, number>;
};

const keyOf = (v: { householdId: number; date: string; memberId: number }) =>
  `${v.householdId}|${v.date}|${v.memberId}`;

/** Door-to-door visits (SPEC §4): by household + date + member; the member by name in the household's village. */
export const visitsKind: ImportKind<VisitInput, Context> = {
  name: "visits",
  permission: "visit.create",
  columns: VISIT_COLUMNS,
  async load(db, communeId) {
    const members = new Map<string, { id: number }[]>();
    for (const m of await listTeamMemberKeysOfCommune(db, communeId)) {
      const k = `${m.villageId}|${m.nameSearch}`;
      members.set(k, [...(members.get(k) ?? []), { id: m.id }]);
    }
    return {
      households: new Map((await listAllHouseholdsOfCommune(db, communeId)).map((h) => [h.code, h])),
      members,
      villageCodes: new Map((await listAllVillagesOfCommune(db, communeId)).map((v) => [v.id, v.code])),
      visits: new Map((await listVisitValuesOfCommune(db, communeId)).map((v) => [keyOf(v), v])),
      seen: new Map(),
    };
  },
  parse(get, ctx, rowNumber, today) {
    const { checker: c, value } = checkVisitRow(
      get,
      {
        household: (code) => ctx.households.get(code),
        membersNamed: (villageId, nameSearch) => ctx.members.get(`${villageId}|${nameSearch}`) ?? [],
        villageCode: (id) => ctx.villageCodes.get(id),
      },
      today,
    );
    if (value) noteFirstRow(ctx.seen, keyOf(value), rowNumber, c, null);
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  async write(db, communeId, rows, ctx) {
    const counts = emptyCounts();
    for (const { villageId: _v, ...r } of rows) {
      const existing = ctx.visits.get(keyOf(r));
      if (!existing) {
        const id = await insertVisitRow(db, { communeId, ...r, recordedBy: null });
        ctx.visits.set(keyOf(r), { id, ...r });
        counts.inserted++;
      } else if (sameValues(existing, { support: r.support, note: r.note })) counts.unchanged++;
      else {
        await updateVisitRow(db, existing.id, { support: r.support, note: r.note });
        ctx.visits.set(keyOf(r), { ...existing, support: r.support, note: r.note });
        counts.updated++;
      }
    }
    return counts;
  },
};
