import { emptyCounts, sameValues } from "../../../lib/row-checker.ts";
import { listResidentKeysOfCommune } from "../../residents/repo.ts";
import { checkTeamMemberRow, TEAM_MEMBER_COLUMNS, type TeamMemberInput } from "../../teams/check.ts";
import {
  ensureTeamOfVillage,
  insertTeamMemberRow,
  listTeamMemberValuesOfCommune,
  updateTeamMemberRow,
} from "../../teams/repo.ts";
import { listAllVillagesOfCommune, type VillageRow } from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow } from "./by-code.ts";

type Member = Awaited<ReturnType<typeof listTeamMemberValuesOfCommune>>[number];
type Context = {
  villages: Map<string, VillageRow>;
  residents: Map<string, { id: number }>;
  /** village id + full name → the member on record (the natural key). */
  members: Map<string, Member>;
  teams: Map<number, number>;
  seen: Map<string, number>;
};

const keyOf = (villageId: number, fullName: string) => `${villageId}|${fullName}`;

/** Team members (SPEC §4): by village + full name; a citizen ID links the member to the resident. */
export const teamMembersKind: ImportKind<TeamMemberInput, Context> = {
  name: "team_members",
  permission: "team.update",
  columns: TEAM_MEMBER_COLUMNS,
  async load(db, communeId) {
    const residents = new Map<string, { id: number }>();
    for (const r of await listResidentKeysOfCommune(db, communeId))
      if (r.citizenId) residents.set(r.citizenId, { id: r.id });
    const members = new Map<string, Member>();
    const teams = new Map<number, number>();
    for (const m of await listTeamMemberValuesOfCommune(db, communeId)) {
      members.set(keyOf(m.villageId, m.fullName), m);
      teams.set(m.villageId, m.teamId);
    }
    return {
      villages: new Map((await listAllVillagesOfCommune(db, communeId)).map((v) => [v.code, v])),
      residents,
      members,
      teams,
      seen: new Map(),
    };
  },
  parse(get, ctx, rowNumber) {
    const { checker: c, value } = checkTeamMemberRow(get, {
      village: (code) => ctx.villages.get(code),
      residentByCitizenId: (id) => ctx.residents.get(id),
    });
    if (value) noteFirstRow(ctx.seen, keyOf(value.villageId, value.fullName), rowNumber, c, "full_name");
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  async write(db, communeId, rows, ctx) {
    const counts = emptyCounts();
    for (const { villageId, ...r } of rows) {
      const existing = ctx.members.get(keyOf(villageId, r.fullName));
      // A row without a citizen ID keeps a link made earlier (from a form).
      const values = { ...r, residentId: r.residentId ?? existing?.residentId ?? null };
      if (existing) {
        if (sameValues(existing, values)) counts.unchanged++;
        else {
          await updateTeamMemberRow(db, existing.id, values);
          ctx.members.set(keyOf(villageId, r.fullName), { ...existing, ...values });
          counts.updated++;
        }
        continue;
      }
      let teamId = ctx.teams.get(villageId);
      if (teamId === undefined) {
        teamId = (await ensureTeamOfVillage(db, communeId, villageId)).id;
        ctx.teams.set(villageId, teamId);
      }
      const id = await insertTeamMemberRow(db, { communeId, teamId, ...values });
      ctx.members.set(keyOf(villageId, r.fullName), { id, teamId, villageId, ...values });
      counts.inserted++;
    }
    return counts;
  },
};
