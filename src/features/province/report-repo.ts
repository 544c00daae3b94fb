import { desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
import { findRowBy, insertRowId } from "../../db/rows.ts";
import { provinceReports, users } from "../../db/schema.ts";
import { now } from "../../lib/clock.ts";

export type ProvinceReportRow = {
  id: number;
  period: string;
  status: "draft" | "submitted";
  date: string;
  number: string | null;
  signedOn: string;
  signerName: string | null;
  createdByName: string | null;
  createdAt: Date;
  submittedByName: string | null;
  submittedAt: Date | null;
};

const creator = alias(users, "creator");
const submitter = alias(users, "submitter");

const columns = {
  id: provinceReports.id,
  period: provinceReports.period,
  status: provinceReports.status,
  date: provinceReports.date,
  number: provinceReports.number,
  signedOn: provinceReports.signedOn,
  signerName: provinceReports.signerName,
  createdByName: creator.displayName,
  createdAt: provinceReports.createdAt,
  submittedByName: submitter.displayName,
  submittedAt: provinceReports.submittedAt,
};

function selectRows(db: Db) {
  return db
    .select(columns)
    .from(provinceReports)
    .leftJoin(creator, eq(creator.id, provinceReports.createdBy))
    .leftJoin(submitter, eq(submitter.id, provinceReports.submittedBy));
}

/** The province's reports, newest period first (the province's scope: every row). */
export async function listProvinceReportRows(db: Db): Promise<ProvinceReportRow[]> {
  return selectRows(db).orderBy(desc(provinceReports.period), desc(provinceReports.id));
}

export async function findProvinceReportRow(db: Db, id: number): Promise<ProvinceReportRow | undefined> {
  const [row] = await selectRows(db).where(eq(provinceReports.id, id));
  return row;
}

/** A report's row locked for the rest of the transaction (submitting twice at once submits once). */
export async function lockProvinceReportRow(db: Db, id: number): Promise<{ status: string } | undefined> {
  const result = (await db.execute(
    sql`select status from province_reports where id = ${id} for update`,
  )) as unknown as { rows: { status: string }[] };
  return result.rows[0];
}

/** A submitted report's frozen content: the ReportModel JSON and the province's figures. */
export async function findProvinceReportSnapshot(
  db: Db,
  id: number,
): Promise<{ snapshot: unknown; figures: unknown } | undefined> {
  return findRowBy(
    db,
    provinceReports,
    { snapshot: provinceReports.snapshot, figures: provinceReports.figures },
    { id },
  );
}

export async function insertProvinceReportRow(
  db: Db,
  values: {
    period: string;
    date: string;
    number: string | null;
    signedOn: string;
    signerName: string | null;
    createdBy: number | null;
  },
): Promise<number> {
  return insertRowId(db, provinceReports, values);
}

export async function markProvinceReportSubmitted(
  db: Db,
  id: number,
  values: { snapshot: unknown; figures: unknown; submittedBy: number | null },
): Promise<void> {
  await db
    .update(provinceReports)
    .set({ status: "submitted", submittedAt: now(), updatedAt: now(), ...values })
    .where(eq(provinceReports.id, id));
}
