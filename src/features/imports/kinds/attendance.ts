import { msg } from "../../../lib/errors.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import { emptyCounts, RowChecker } from "../../../lib/row-checker.ts";
import { parseCode, parseOptional, parseYesNo } from "../../../lib/values.ts";
import { parseActivityDate } from "../../activities/check.ts";
import {
  findAttendanceOfSessions,
  insertSessionRow,
  listActivityValuesOfCommune,
  listSessionKeysOfCommune,
  upsertAttendanceRows,
} from "../../activities/repo.ts";
import {
  indexResidents,
  matchResident,
  type ResidentIndex,
  readResidentKeys,
} from "../../certifications/resolve.ts";
import { listResidentKeysOfCommune } from "../../residents/repo.ts";
import { listAllVillagesOfCommune } from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow } from "./by-code.ts";

type Row = { activityId: number; date: string; residentId: number; present: boolean };
type Context = ResidentIndex & {
  activities: Map<string, { id: number; date: string }>;
  /** activity id + date → session id. */
  sessions: Map<string, number>;
  seen: Map<string, number>;
};

const dmy = (iso: string) => formatDate("vi", iso);
const sessionKey = (activityId: number, date: string) => `${activityId}|${date}`;

/**
 * Attendance (SPEC §4, §5): a resident present or absent at a session of an activity, keyed by
 * activity + session date + resident. The session is the row's date (the activity's own date when
 * empty) and is created when the activity has none that day; the resident is found like a
 * certification's (citizen ID, else name + birth date, + village when given).
 */
export const attendanceKind: ImportKind<Row, Context> = {
  name: "attendance",
  permission: "attendance.record",
  columns: [
    { key: "activity", aliases: ["Mã hoạt động", "Hoạt động", "Mã lớp", "Activity"], required: true },
    { key: "date", aliases: ["Ngày", "Ngày học", "Buổi học", "Date"] },
    { key: "citizen_id", aliases: ["Số CCCD", "CCCD", "Số định danh cá nhân", "Số định danh", "Citizen ID"] },
    { key: "full_name", aliases: ["Họ và tên", "Họ tên", "Full name", "Name"] },
    {
      key: "birth_date",
      aliases: ["Ngày sinh", "Ngày tháng năm sinh", "Năm sinh", "Birth date", "Date of birth"],
    },
    { key: "village", aliases: ["Thôn", "Mã thôn", "Village"] },
    { key: "present", aliases: ["Có mặt", "Tham dự", "Present"] },
  ],
  async load(db, communeId, who) {
    const index = indexResidents(
      await listResidentKeysOfCommune(db, communeId, who),
      await listAllVillagesOfCommune(db, communeId),
    );
    const activities = new Map(
      (await listActivityValuesOfCommune(db, communeId)).map((a) => [a.code, { id: a.id, date: a.date }]),
    );
    const sessions = new Map(
      (await listSessionKeysOfCommune(db, communeId)).map((s) => [sessionKey(s.activityId, s.date), s.id]),
    );
    return { ...index, activities, sessions, seen: new Map() };
  },
  parse(get, ctx, rowNumber, today) {
    const c = new RowChecker();
    const code = c.take("activity", parseCode(get("activity")));
    const activity = code === undefined ? undefined : ctx.activities.get(code);
    if (code !== undefined && !activity)
      c.fail("activity", msg("attendance.activity_unknown", { value: code }));
    const date = c.take(
      "date",
      parseOptional(get("date"), (raw) => parseActivityDate(raw, today)),
    );
    const present = c.take("present", parseOptional(get("present"), parseYesNo)) ?? false;
    const keys = readResidentKeys(get, c, today);
    const residentId = keys ? matchResident(keys, ctx, c) : undefined;
    const day = date?.date ?? activity?.date;
    if (day && present && day > today)
      c.fail("present", msg("attendance.future_present", { date: dmy(day), today: dmy(today) }));
    if (!c.ok || !activity || !day || residentId === undefined)
      return { errors: c.errors, warnings: c.warnings };
    noteFirstRow(ctx.seen, `${activity.id}|${day}|${residentId}`, rowNumber, c, null);
    if (!c.ok) return { errors: c.errors, warnings: c.warnings };
    return {
      value: { activityId: activity.id, date: day, residentId, present },
      errors: [],
      warnings: c.warnings,
    };
  },
  async write(db, communeId, rows, ctx) {
    const counts = emptyCounts();
    const sessionIds: number[] = [];
    for (const r of rows) {
      const k = sessionKey(r.activityId, r.date);
      let id = ctx.sessions.get(k);
      if (id === undefined) {
        id = await insertSessionRow(db, { communeId, activityId: r.activityId, date: r.date, notes: null });
        ctx.sessions.set(k, id);
      }
      sessionIds.push(id);
    }
    const onRecord = new Map(
      (await findAttendanceOfSessions(db, [...new Set(sessionIds)])).map((a) => [
        `${a.sessionId}|${a.residentId}`,
        a.present,
      ]),
    );
    const changed = rows.flatMap((r, i) => {
      const sessionId = sessionIds[i]!;
      const was = onRecord.get(`${sessionId}|${r.residentId}`);
      if (was === undefined) counts.inserted++;
      else if (was === r.present) {
        counts.unchanged++;
        return [];
      } else counts.updated++;
      return [{ communeId, sessionId, residentId: r.residentId, present: r.present }];
    });
    await upsertAttendanceRows(db, changed);
    return counts;
  },
};
