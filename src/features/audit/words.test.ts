import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { translator } from "../../lib/i18n/index.ts";
import { EXPORT_KINDS } from "../exports/service.ts";
import { IMPORT_KINDS } from "../imports/types.ts";
import { auditActionText } from "./words.ts";

const vi = translator("vi");
const en = translator("en");

/** Every action the code records: the literal ones, and the kinds of imports and exports. */
function recordedActions(): string[] {
  const root = path.resolve(import.meta.dirname, "../..");
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts")) {
        // `action: "x.y"`, and each choice of `action: cond ? "x.y" : "x.z"`.
        for (const line of fs.readFileSync(p, "utf8").matchAll(/action: [^\n]*/g))
          for (const m of line[0].matchAll(/^action: "([a-z_]+)"|"([a-z_]+\.[a-z_]+)"/g))
            found.add((m[1] ?? m[2])!);
      }
    }
  };
  walk(root);
  return [...found];
}

test("every action the code records reads as words in both languages", () => {
  const actions = [
    ...recordedActions(),
    ...IMPORT_KINDS.map((k) => `import.${k}`),
    ...EXPORT_KINDS.map((k) => `export.${k}`),
    "household.view_identity_list",
  ];
  assert.ok(actions.length > 50, `the scan finds the actions (${actions.length})`);
  for (const a of actions) {
    for (const t of [vi, en]) {
      const text = auditActionText(t, a);
      assert.notEqual(text, a, `${a} has words`);
      assert.doesNotMatch(text, /[a-z]+\.[a-z_]+|\{what\}/, `${a}: ${text}`);
    }
  }
});

test("examples", () => {
  assert.equal(auditActionText(vi, "login.success"), "Đăng nhập thành công");
  assert.equal(auditActionText(vi, "resident.update"), "Sửa người dân");
  assert.equal(auditActionText(vi, "export.residents"), "Xuất dữ liệu: người dân");
  assert.equal(
    auditActionText(vi, "resident.view_identity_list"),
    "Xem danh sách người dân có số định danh, số điện thoại",
  );
  assert.equal(auditActionText(en, "village.delete"), "Removed a village");
  assert.equal(auditActionText(vi, "something.new"), "something.new");
});
