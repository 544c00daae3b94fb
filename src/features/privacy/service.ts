import type { Db } from "../../db/client.ts";
import { now, todayInVietnam } from "../../lib/clock.ts";
import { AppError, msg } from "../../lib/errors.ts";
import type { MsgKey } from "../../lib/i18n/index.ts";
import { parseInput } from "../../lib/validation.ts";
import type { Actor } from "../audit/service.ts";
import type { Viewer } from "../auth/viewer.ts";
import { findResidentRow } from "../residents/repo.ts";
import * as kit from "../service-kit.ts";
import {
  findPrivacyRequestRow,
  insertPrivacyRequestRow,
  listPrivacyRequestRows,
  type PrivacyRequestFilter,
  type PrivacyRequestRow,
  updatePrivacyRequestRow,
} from "./repo.ts";
import { ZCreatePrivacyRequest, ZUpdatePrivacyRequest } from "./schema.ts";
import { addWorkingDays, type PrivacyRequestKind } from "./working-days.ts";

/** A request as the pages and the API show it. */
export type PrivacyRequestItem = {
  id: number;
  resident_id: number | null;
  resident_name: string | null;
  requester: string | null;
  received_on: string;
  kind: PrivacyRequestKind;
  due_on: string;
  status: PrivacyRequestRow["status"];
  refusal_reason: string | null;
  handled_by: string | null;
  handled_at: string | null;
  /** Still open after its due date (today in Vietnam). */
  overdue: boolean;
};

const OPEN = new Set(["received", "in_progress"]);

export function presentPrivacyRequest(row: PrivacyRequestRow, today = todayInVietnam()): PrivacyRequestItem {
  return {
    id: row.id,
    resident_id: row.residentId,
    resident_name: row.residentName,
    requester: row.requester,
    received_on: row.receivedOn,
    kind: row.kind,
    due_on: row.dueOn,
    status: row.status,
    refusal_reason: row.refusalReason,
    handled_by: row.handledByName,
    handled_at: row.handledAt ? row.handledAt.toISOString() : null,
    overdue: OPEN.has(row.status) && row.dueOn < today,
  };
}

const LABELS: Record<string, MsgKey> = {
  resident_id: "privacy.resident",
  requester: "privacy.requester",
  received_on: "privacy.received_on",
  kind: "privacy.kind",
  status: "privacy.status",
  refusal_reason: "privacy.refusal_reason",
};

/** The due date of a request: the kind's working days after the day it was received. */
export function dueDateOf(
  receivedOn: string,
  kind: PrivacyRequestKind,
  dueDays: Record<PrivacyRequestKind, number>,
) {
  return addWorkingDays(receivedOn, dueDays[kind]);
}

export async function listPrivacyRequests(opts: {
  db: Db;
  viewer: Viewer;
  filter: PrivacyRequestFilter & { overdue?: boolean | undefined };
  page: number;
  pageSize: number;
}) {
  const today = todayInVietnam();
  const { items, total } = await listPrivacyRequestRows(
    opts.db,
    opts.viewer.communeId,
    { status: opts.filter.status, overdueOn: opts.filter.overdue ? today : undefined },
    kit.pageWindow(opts),
  );
  return {
    items: items.map((r) => presentPrivacyRequest(r, today)),
    total,
    page: opts.page,
    pageSize: opts.pageSize,
  };
}

export async function getPrivacyRequest(opts: kit.RecordRead): Promise<PrivacyRequestItem> {
  const row = await findPrivacyRequestRow(opts.db, opts.viewer.communeId, opts.id);
  if (!row) throw new AppError("not_found", { message: msg("privacy.request_not_found") });
  return presentPrivacyRequest(row);
}

/** Records a request received; its due date is computed from the kind (working days, holidays off). */
export async function createPrivacyRequest(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  dueDays: Record<PrivacyRequestKind, number>;
  input: Record<string, unknown>;
}): Promise<PrivacyRequestItem> {
  const given = Object.fromEntries(
    Object.entries(opts.input).filter(
      ([, v]) => v !== undefined && !(typeof v === "string" && v.trim() === ""),
    ),
  );
  const input = parseInput(ZCreatePrivacyRequest, { received_on: todayInVietnam(), ...given }, LABELS);
  const communeId = opts.viewer.communeId;
  return opts.db.transaction(async (tx) => {
    if (input.resident_id !== undefined) {
      const r = await findResidentRow(tx, { kind: "commune", communeId }, input.resident_id);
      if (!r)
        throw new AppError("validation", {
          message: msg("error.validation"),
          fields: { resident_id: msg("privacy.no_resident", { id: input.resident_id }) },
        });
    }
    const dueOn = dueDateOf(input.received_on, input.kind, opts.dueDays);
    const id = await insertPrivacyRequestRow(tx, {
      communeId,
      residentId: input.resident_id ?? null,
      requester: input.requester ?? null,
      receivedOn: input.received_on,
      kind: input.kind,
      dueOn,
      status: "received",
      createdBy: opts.viewer.userId,
      createdAt: now(),
      updatedAt: now(),
    });
    // The requester's name is personal data: the audit copy names the resident by id only.
    await kit.auditChange(tx, opts.actor, {
      action: "privacy_request.create",
      entityId: id,
      after: {
        residentId: input.resident_id ?? null,
        kind: input.kind,
        receivedOn: input.received_on,
        dueOn,
      },
    });
    return presentPrivacyRequest((await findPrivacyRequestRow(tx, communeId, id))!);
  });
}

/** Moves a request on (in progress, done, refused with a reason); records who handled it and when. */
export async function updatePrivacyRequest(
  opts: kit.RecordWrite & { input: Record<string, unknown> },
): Promise<PrivacyRequestItem> {
  const input = parseInput(ZUpdatePrivacyRequest, opts.input, LABELS);
  const communeId = opts.viewer.communeId;
  return opts.db.transaction(async (tx) => {
    const row = await findPrivacyRequestRow(tx, communeId, opts.id);
    if (!row) throw new AppError("not_found", { message: msg("privacy.request_not_found") });
    const refusalReason = input.status === "refused" ? (input.refusal_reason ?? null) : null;
    await updatePrivacyRequestRow(tx, communeId, row.id, {
      status: input.status,
      refusalReason,
      handledBy: opts.viewer.userId,
      handledAt: now(),
      updatedAt: now(),
    });
    await kit.auditChange(tx, opts.actor, {
      action: "privacy_request.update",
      entityId: row.id,
      before: { status: row.status },
      after: { status: input.status, refused: refusalReason !== null },
    });
    return presentPrivacyRequest((await findPrivacyRequestRow(tx, communeId, row.id))!);
  });
}
