import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCivilDate, formatInstant, parseTimeOfDay } from "./dates.ts";
import { formatDate, formatDateTime } from "./i18n/index.ts";

test("an instant is HH:mm dd/mm/yyyy in Vietnam time, in both languages, whatever TZ says", () => {
  const at = new Date("2026-12-01T08:33:00Z");
  assert.equal(formatInstant(at), "15:33 01/12/2026");
  assert.equal(formatDateTime("vi", at), "15:33 01/12/2026");
  assert.equal(formatDateTime("en", at), "15:33 01/12/2026");
  // 23:30 UTC on 31 December is already the new year in Hà Nội.
  assert.equal(formatInstant(Date.parse("2026-12-31T23:30:00Z")), "06:30 01/01/2027");
  assert.equal(formatInstant("2026-06-15T02:05:00.000Z"), "09:05 15/06/2026");
  assert.equal(formatInstant(new Date("2026-06-15T17:00:00+07:00")), "17:00 15/06/2026");
});

test("a civil date is dd/mm/yyyy, never shifted", () => {
  assert.equal(formatCivilDate("2027-03-05"), "05/03/2027");
  assert.equal(formatDate("en", "2026-01-01"), "01/01/2026");
  assert.equal(formatCivilDate("—"), "—");
});

test("times of day are read in the ways people write them and kept as HH:mm", () => {
  assert.equal(parseTimeOfDay("7:30"), "07:30");
  assert.equal(parseTimeOfDay("19:30:00"), "19:30");
  assert.equal(parseTimeOfDay("19h30"), "19:30");
  assert.equal(parseTimeOfDay("8h"), "08:00");
  assert.equal(parseTimeOfDay("14g15"), "14:15");
  assert.equal(parseTimeOfDay("25:00"), null);
  assert.equal(parseTimeOfDay("chiều"), null);
});
