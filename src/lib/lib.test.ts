import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareNames } from "./collation.ts";
import { en } from "./i18n/en.ts";
import { formatNumber, formatPercent, t } from "./i18n/index.ts";
import { vi } from "./i18n/vi.ts";
import { foldKey, foldVietnamese } from "./text.ts";

describe("Vietnamese text", () => {
  test("folding drops case and diacritics, đ becomes d", () => {
    assert.equal(foldVietnamese("Nguyễn Văn Ấn"), "nguyen van an");
    assert.equal(foldVietnamese("ĐỖ THỊ ĐÀO"), "do thi dao");
    assert.equal(foldKey("Ngày sinh (dd/mm/yyyy)"), "ngaysinhddmmyyyy");
    // Decomposed input (NFD, as some Excel files carry it) folds the same.
    assert.equal(foldVietnamese("Nguyễn".normalize("NFD")), "nguyen");
  });

  test("names sort by given name first, the Vietnamese way", () => {
    const names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Ánh", "Phạm Văn An"];
    assert.deepEqual(names.sort(compareNames), ["Nguyễn Thị An", "Phạm Văn An", "Lê Ánh", "Trần Văn Bình"]);
  });
});

describe("the i18n catalog", () => {
  test("English has every Vietnamese key, with the same placeholders", () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
      assert.ok(en[key] !== undefined, key);
      assert.deepEqual(holes(en[key]), holes(vi[key]), key);
    }
  });

  test("placeholders are filled, nested labels translated", () => {
    assert.equal(t("vi", "v.required", { field: { key: "field.username" } }), "Vui lòng nhập Tên đăng nhập.");
    assert.equal(t("en", "v.too_short", { field: "X", min: 3 }), "X must be at least 3 characters.");
  });

  test("a placeholder without a value stays as written; a value is put in as it is", () => {
    assert.equal(
      t("en", "v.too_short", { field: "$& {min}" }),
      "$& {min} must be at least {min} characters.",
    );
  });

  test("numbers and percentages read the same each time they are written, -0 and 0 apart", () => {
    for (let round = 0; round < 2; round++) {
      assert.equal(formatNumber("vi", 25123), "25.123");
      assert.equal(formatNumber("en", 25123), "25,123");
      assert.equal(formatNumber("vi", 2.14, { digits: 1 }), "2,1");
      assert.equal(formatNumber("en", 2.14, { digits: 1, sign: true }), "+2.1");
      assert.equal(formatNumber("en", 0, { sign: true }), "0");
      assert.equal(formatNumber("en", -0), "-0");
      assert.equal(formatNumber("en", 0), "0");
      assert.equal(formatPercent("vi", 0.929), "92,9\u00a0%");
      assert.equal(formatPercent("vi", 0.78, 1, { fixed: true }), "78,0\u00a0%");
      assert.equal(formatPercent("en", 1), "100%");
    }
  });

  test("Vietnamese text is stored in NFC", () => {
    for (const [key, value] of Object.entries(vi)) assert.equal(value, value.normalize("NFC"), key);
  });
});
