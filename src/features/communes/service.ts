import type { Db } from "../../db/client.ts";
import { msg, validationError } from "../../lib/errors.ts";
import { cleanText } from "../../lib/text.ts";
import { parseInput } from "../../lib/validation.ts";
import type { Actor } from "../audit/service.ts";
import { currentPlan, type Plan } from "../indicators/plan.ts";
import { insertPlanRow } from "../plans/repo.ts";
import * as kit from "../service-kit.ts";
import {
  type CommuneRow,
  findCommuneByCode,
  findCommuneById,
  insertCommune,
  listCommunes,
  updateCommuneRow,
} from "./repo.ts";
import { COMMUNE_FIELD_LABELS, ZCreateCommune } from "./schema.ts";

/** The names a commune is shown under, and the province it belongs to. */
export type CommuneNames = { name: string; province: string };
/** A commune as the configuration or a template knows it: its code and its names. */
export type CommuneSeed = { code: string } & CommuneNames;

/**
 * The installation's first commune, created from the configuration when the database is new.
 * An installation starts with one commune; a province admin (or `bdhvs commune add`) adds others.
 */
export async function ensureDefaultCommune(opts: { db: Db; commune: CommuneSeed }): Promise<CommuneRow> {
  return opts.db.transaction(async (tx) => {
    const existing = await listCommunes(tx);
    if (existing[0]) return existing[0];
    return insertCommune(tx, {
      code: opts.commune.code,
      name: cleanText(opts.commune.name),
      province: cleanText(opts.commune.province),
    });
  });
}

export async function getDefaultCommune(db: Db): Promise<CommuneRow | undefined> {
  const [first] = await listCommunes(db);
  return first;
}

/** A commune's name without "Xã"/"Phường"/"Thị trấn", as plan files name it ("Tân Ninh"). */
export function bareCommuneName(name: string): string {
  return name.replace(/^(xã|phường|thị trấn)\s+/iu, "").trim();
}

/**
 * A commune's own plan made from the province's template plan (SPEC §3.3): the template's targets,
 * responsible offices and report schedule copied; the commune's name and code set; the template's
 * document number (it is another commune's decision) left out.
 */
export function planFromTemplate(template: Plan, commune: CommuneSeed): Plan {
  const { document: _document, ...rest } = structuredClone(template);
  return {
    ...rest,
    commune: bareCommuneName(commune.name),
    communeCode: commune.code,
    province: commune.province,
  };
}

/** The file name a commune's plan made from the template is listed under. */
export function templatePlanFileName(code: string, plan: Plan): string {
  return `ke-hoach-${code.toLowerCase()}-${plan.year}.json`;
}

/**
 * Adds a commune to the installation with its own plan made from the province's template
 * (`template`: the plan that ships unless given), in one transaction. A code already used is
 * refused with a message; nothing is written. The province defaults to the first commune's.
 */
export async function addCommune(opts: {
  db: Db;
  actor: Actor;
  input: unknown;
  template?: Plan;
}): Promise<CommuneRow> {
  const input = parseInput(ZCreateCommune, opts.input, COMMUNE_FIELD_LABELS);
  const template = opts.template ?? currentPlan();
  return opts.db.transaction(async (tx) => {
    if (await findCommuneByCode(tx, input.code))
      throw validationError({ code: msg("communes.v_code_taken", { code: input.code }) });
    const province = cleanText(
      input.province || (await getDefaultCommune(tx))?.province || template.province || "",
    );
    if (!province)
      throw validationError({ province: msg("v.required", { field: { key: "communes.field_province" } }) });
    const commune = await insertCommune(tx, { code: input.code, name: cleanText(input.name), province });
    const plan = planFromTemplate(template, commune);
    const planId = await insertPlanRow(tx, {
      communeId: commune.id,
      fileName: templatePlanFileName(commune.code, plan),
      year: plan.year,
      content: plan,
      loadedBy: null,
    });
    await kit.auditChange(tx, opts.actor, {
      action: "commune.create",
      entityId: commune.id,
      after: { ...commune, planId, planYear: plan.year },
      communeId: commune.id,
    });
    return commune;
  });
}

export async function renameCommune(
  opts: { db: Db; actor: Actor; communeId: number } & CommuneNames,
): Promise<CommuneRow> {
  return opts.db.transaction(async (tx) => {
    const before = await findCommuneById(tx, opts.communeId);
    const after = await updateCommuneRow(tx, opts.communeId, {
      name: cleanText(opts.name),
      province: cleanText(opts.province),
    });
    if (!before || !after) throw new Error(`commune ${opts.communeId} not found`);
    await kit.auditChange(tx, opts.actor, {
      action: "commune.update",
      entityId: after.id,
      before,
      after,
      communeId: after.id,
    });
    return after;
  });
}
