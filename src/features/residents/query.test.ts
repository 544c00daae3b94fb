import assert from "node:assert/strict";
import { test } from "node:test";
import type { Role } from "../auth/policy.ts";
import type { Viewer } from "../auth/viewer.ts";
import { residentSearchOf } from "./query.ts";

const viewer = (role: Role): Viewer => ({
  userId: 1,
  username: "u",
  displayName: "U",
  role,
  communeId: 1,
  communeName: "Xã",
  villageIds: [],
  unitId: null,
  totpEnabled: false,
  scope: { kind: "commune", communeId: 1 } as Viewer["scope"],
});

test("a search text: digits as typed, words folded, citizen IDs only for a viewer who sees them", () => {
  assert.deepEqual(residentSearchOf(viewer("coordinator"), " 0012 "), { q: "0012", qCitizenId: true });
  assert.deepEqual(residentSearchOf(viewer("volunteer"), "Nguyễn Đức"), {
    q: "nguyen duc",
    qCitizenId: false,
  });
  assert.deepEqual(residentSearchOf(viewer("admin"), "   "), {});
  assert.deepEqual(residentSearchOf(viewer("admin"), undefined), {});
});
