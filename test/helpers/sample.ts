import assert from "node:assert/strict";
import path from "node:path";
import { after, before } from "node:test";
import type { Database, Db } from "../../src/db/client.ts";
import { cliActor } from "../../src/features/audit/service.ts";
import { ensureDefaultCommune } from "../../src/features/communes/service.ts";
import { runImport } from "../../src/features/imports/engine.ts";
import type { ImportKindName } from "../../src/features/imports/types.ts";
import { createTestDatabase } from "./db.ts";

/** The sample registry of /work/shared/data (docs/ and the issues' examples use it). */
export const SAMPLE = path.resolve("../shared/data/sample");

/** Every clean file of the sample, in the order they import (each kind's parents before it). */
export const SAMPLE_FILES: readonly (readonly [ImportKindName, string])[] = [
  ["villages", "villages.csv"],
  ["units", "units.csv"],
  ["households", "households.csv"],
  ["residents", "residents.xlsx"],
  ["certifications", "certifications.csv"],
  ["activities", "activities.csv"],
  ["attendance", "attendance.csv"],
  ["team_members", "team_members.csv"],
  ["visits", "visits.csv"],
  ["incidents", "incidents.csv"],
];

/** The sample's files from the first up to the one of `last`, in import order. */
export function sampleFilesThrough(last: ImportKindName): readonly (readonly [ImportKindName, string])[] {
  const end = SAMPLE_FILES.findIndex(([kind]) => kind === last);
  if (end < 0) throw new Error(`no sample file for ${last}`);
  return SAMPLE_FILES.slice(0, end + 1);
}

/** Imports sample files (`[kind, file]`) into a commune as the command line would, asserting each goes in whole. */
export async function importSampleFiles(
  db: Db,
  communeId: number,
  files: readonly (readonly [ImportKindName, string])[],
  today: string,
): Promise<void> {
  for (const [kind, file] of files) {
    const r = await runImport({
      db,
      communeId,
      kind,
      file: path.join(SAMPLE, file),
      actor: cliActor(communeId),
      today,
    });
    assert.equal(r.ok, true, `sample ${kind}: ${JSON.stringify(r.errors?.slice(0, 3))}`);
  }
}

/** The sample's commune, the one the sample files belong to. */
export const SAMPLE_COMMUNE = { code: "TANNINH", name: "Xã Tân Ninh", province: "Thanh Hóa" };

/**
 * A fresh test database holding the sample's commune (and nothing else), for the current file or
 * suite: an empty object now, filled by a before() hook and closed by an after() hook (like
 * useTestApp, for files that set nothing else up in a top-level before()).
 */
export function useSampleCommuneDatabase(): Database & { communeId: number } {
  const database = {} as Database & { communeId: number };
  before(async () => {
    const made = await createTestDatabase();
    const commune = await ensureDefaultCommune({ db: made.db, commune: SAMPLE_COMMUNE });
    Object.assign(database, made, { communeId: commune.id });
  });
  after(() => database.close());
  return database;
}
