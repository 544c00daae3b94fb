import type { Db } from "../../db/client.ts";
import { maskCitizenId, maskPhone } from "../../lib/mask.ts";
import type { Cell, FileFormat } from "../../lib/tabular/read.ts";
import { formatFromName, writeRows } from "../../lib/tabular/write.ts";
import type { Permission, Scope } from "../auth/policy.ts";
import { IMPORT_KIND_SPECS } from "../imports/kinds/index.ts";
import { IMPORT_KINDS, type ImportKindName } from "../imports/types.ts";
import { listMarketRows, listVendorExportPage } from "../markets/repo.ts";
import {
  type KeysetPage,
  listActivitiesPage,
  listAttendancePage,
  listCertificationsPage,
  listHouseholdsPage,
  listIncidentsPage,
  listResidentsPage,
  listTeamMembersPage,
  listUnitsPage,
  listVillagesPage,
  listVisitsPage,
} from "./repo.ts";

/** The kinds an export writes: the importer's, so that every exported file imports again. */
export const EXPORT_KINDS = IMPORT_KINDS;
export type ExportKind = ImportKindName;

export function isExportKind(x: string): x is ExportKind {
  return (EXPORT_KINDS as readonly string[]).includes(x);
}

/**
 * The import columns an export leaves out: the village of a certification's or an attendance's
 * resident only helps the importer find the resident by name and birth date.
 */
const NOT_EXPORTED: Partial<Record<ExportKind, readonly string[]>> = {
  certifications: ["village"],
  attendance: ["village"],
};

/**
 * The header of each kind: the column keys of the import files (shared/data/README.md), in the
 * importer's order, so an exported file imports again unchanged.
 */
export const EXPORT_COLUMNS: Readonly<Record<ExportKind, readonly string[]>> = Object.fromEntries(
  EXPORT_KINDS.map((kind) => [
    kind,
    IMPORT_KIND_SPECS[kind].columns.map((c) => c.key).filter((key) => !NOT_EXPORTED[kind]?.includes(key)),
  ]),
) as Record<string, readonly string[]> as Record<ExportKind, readonly string[]>;

/** What a viewer must be allowed to read to download a kind (besides `export.run`). */
export const EXPORT_READ_PERMISSION: Record<ExportKind, Permission> = {
  villages: "village.read",
  units: "unit.read",
  households: "household.read",
  residents: "resident.read",
  certifications: "certification.read",
  activities: "activity.read",
  attendance: "attendance.read",
  team_members: "team.read",
  visits: "visit.read",
  incidents: "incident.read",
  markets: "market.read",
  vendors: "market.read",
};

/** Rows read per query, by default. */
const PAGE_SIZE = 2_000;

/** A birth date as the importer takes it back: `yyyy-mm-dd`, or the year alone when only that is known. */
const birthCell = (r: { birthDate: string; birthYearOnly: boolean }): string =>
  r.birthYearOnly ? r.birthDate.slice(0, 4) : r.birthDate;

/** Walks a kind by id (or by sort key, then id), one page per query, yielding each row's cells. */
async function* pages<R extends { id: number; sort?: string | null }>(
  read: (page: KeysetPage) => Promise<R[]>,
  cells: (row: R) => Cell[],
  limit: number,
): AsyncGenerator<Cell[]> {
  let afterId = 0;
  let afterSort: string | null = null;
  for (;;) {
    const rows = await read({ afterId, afterSort, limit });
    for (const row of rows) yield cells(row);
    if (rows.length < limit) return;
    afterId = rows.at(-1)!.id;
    afterSort = rows.at(-1)!.sort ?? null;
  }
}

function rowsOf(
  db: Db,
  kind: ExportKind,
  scope: Scope,
  mask: boolean,
  limit: number,
): AsyncGenerator<Cell[]> {
  const id = (v: string | null) => (mask ? maskCitizenId(v) : v);
  const phone = (v: string | null) => (mask ? maskPhone(v) : v);
  switch (kind) {
    case "villages":
      return pages(
        (p) => listVillagesPage(db, scope, p),
        (r) => [r.code, r.name],
        limit,
      );
    case "units":
      return pages(
        (p) => listUnitsPage(db, scope, p),
        (r) => [r.code, r.name, r.type],
        limit,
      );
    case "households":
      return pages(
        (p) => listHouseholdsPage(db, scope, p),
        (r) => [r.code, r.villageCode, r.headName, r.address, r.poor],
        limit,
      );
    case "residents":
      return pages(
        (p) => listResidentsPage(db, scope, p),
        (r) => [
          r.fullName,
          birthCell(r),
          r.gender,
          id(r.citizenId),
          phone(r.phone),
          r.villageCode,
          r.householdCode,
          r.status,
          r.groups.join(";") || null,
          r.unitCode,
          r.disabled,
          r.vneidLevel,
        ],
        limit,
      );
    case "certifications":
      return pages(
        (p) => listCertificationsPage(db, scope, p),
        (r) => [id(r.citizenId), r.fullName, birthCell(r), r.kind, r.date, r.source, r.reference],
        limit,
      );
    case "activities":
      return pages(
        (p) => listActivitiesPage(db, scope, p),
        (r) => [
          r.code,
          r.type,
          r.title,
          r.date,
          r.villageCode,
          r.unitCode,
          r.place,
          r.startTime,
          r.trainer,
          r.audience,
          r.notes,
        ],
        limit,
      );
    case "attendance":
      return pages(
        (p) => listAttendancePage(db, scope, p),
        (r) => [r.activityCode, r.date, id(r.citizenId), r.fullName, birthCell(r), r.present],
        limit,
      );
    case "team_members":
      return pages(
        (p) => listTeamMembersPage(db, scope, p),
        (r) => [r.villageCode, r.fullName, r.role, phone(r.phone), id(r.citizenId)],
        limit,
      );
    case "visits":
      return pages(
        (p) => listVisitsPage(db, scope, p),
        (r) => [r.householdCode, r.date, r.member, r.support.join(";") || null, r.note],
        limit,
      );
    case "incidents":
      return pages(
        (p) => listIncidentsPage(db, scope, p),
        (r) => [r.code, r.date, r.severity, r.kind, r.description, r.unitCode, r.resolvedDate],
        limit,
      );
    case "markets":
      return (async function* () {
        for (const r of await listMarketRows(db, scope, {})) yield [r.code, r.name, r.villageCode, r.kind];
      })();
    case "vendors":
      // A vendor's owner's citizen ID only for viewers who see IDs whole (blank, never masked, for the
      // others: the file still imports back unchanged, by household + name).
      return pages(
        (p) => listVendorExportPage(db, scope, p),
        (r) => [
          r.marketCode,
          r.stall,
          r.ownerName,
          mask ? null : r.citizenId,
          r.householdCode,
          r.goods,
          r.payments.join(";") || null,
          r.channels.join(";") || null,
        ],
        limit,
      );
  }
}

/**
 * Writes every record of a kind within `scope` to a `.csv` or `.xlsx` file (SPEC §7): the import
 * column keys as header, dates `yyyy-mm-dd` (a year-only birth date as the year), codes for fixed
 * values and references, lists joined by `;`, yes/no as `true`/`false`, formula-looking text escaped.
 * With `mask`, citizen ID and phone are masked (SPEC §8). Rows stream from the database page by page.
 * Throws `AppError` (bad_request) for a file that is neither `.csv` nor `.xlsx` when `format` is not given.
 */
export async function exportRecords(opts: {
  db: Db;
  kind: ExportKind;
  scope: Scope;
  mask: boolean;
  file: string;
  format?: FileFormat;
  /** Rows read per query (default 2,000). */
  pageSize?: number;
}): Promise<{ rows: number }> {
  const format = opts.format ?? formatFromName(opts.file);
  const rows = await writeRows(
    opts.file,
    { format, header: [...EXPORT_COLUMNS[opts.kind]], sheetName: opts.kind },
    rowsOf(opts.db, opts.kind, opts.scope, opts.mask, Math.max(1, opts.pageSize ?? PAGE_SIZE)),
  );
  return { rows };
}
