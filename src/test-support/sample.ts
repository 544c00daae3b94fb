import type { ImportKindName } from "../features/imports/types.ts";

/** The sample data's files, each with its import kind, in the order they import (parents first). */
export const SAMPLE_FILES: [ImportKindName, string][] = [
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
