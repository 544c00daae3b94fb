import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FAMILY as DEMO_FAMILY, rng as random } from "../features/demo/generate.ts";
import { compareNames, nameSortKey, sortKey, sortKeyTables } from "./collation.ts";

const collator = new Intl.Collator("vi");
const byKey = (key: (s: string) => string) => (a: string, b: string) => {
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

const FAMILY = [...DEMO_FAMILY, "Âu", "Ưng", "Ông", "Ôn", "Ơn"];
const MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thu", "Xuân", "Quốc", "Thanh", "Gia", "Bảo"];
const GIVEN = [
  "An",
  "Ân",
  "Ấn",
  "Ăn",
  "Anh",
  "Ánh",
  "Bình",
  "Cường",
  "Dũng",
  "Đạt",
  "Dung",
  "Đông",
  "Giang",
  "Hà",
  "Hải",
  "Hạnh",
  "Hoa",
  "Hòa",
  "Hỏa",
  "Khoa",
  "Lan",
  "Long",
  "Mai",
  "Nga",
  "Ngà",
  "Ngã",
  "Ngả",
  "Ngạ",
  "Oanh",
  "Ơn",
  "Ôn",
  "On",
  "Phúc",
  "Quân",
  "Sơn",
  "Tâm",
  "Thảo",
  "Uyên",
  "Ưng",
  "Út",
  "Vân",
  "Xuân",
  "Yến",
  "Ê",
  "E",
  "Ế",
];

describe("Vietnamese sort keys", () => {
  test("the cases a commune sees: đ after d, ă/â after a, ê after e, ô/ơ after o, ư after u, tones second", () => {
    const sorted = (xs: string[]) => [...xs].sort(byKey(sortKey));
    assert.deepEqual(sorted(["Đạt", "Dũng", "Dung"]), ["Dung", "Dũng", "Đạt"]);
    assert.deepEqual(sorted(["Ân", "Ăn", "Ấn", "An", "Anh"]), ["An", "Anh", "Ăn", "Ân", "Ấn"]);
    assert.deepEqual(sorted(["Ê", "Ế", "E", "F"]), ["E", "Ê", "Ế", "F"]);
    assert.deepEqual(sorted(["Ơn", "Ôn", "On", "Ốc"]), ["On", "Ốc", "Ôn", "Ơn"]);
    assert.deepEqual(sorted(["Ưng", "Út", "Ung", "Vân"]), ["Ung", "Út", "Ưng", "Vân"]);
    // Tones: none < huyền < hỏi < ngã < sắc < nặng, and only after the letters.
    assert.deepEqual(sorted(["Ngạ", "Ngá", "Ngã", "Ngả", "Ngà", "Nga", "Ngab"]), [
      "Nga",
      "Ngà",
      "Ngả",
      "Ngã",
      "Ngá",
      "Ngạ",
      "Ngab",
    ]);
    // The example, given name first.
    assert.deepEqual(["Nguyễn Văn Đạt", "Nguyễn Văn Dũng"].sort(byKey(nameSortKey)), [
      "Nguyễn Văn Dũng",
      "Nguyễn Văn Đạt",
    ]);
  });

  test("keys order 4 000 generated names as Intl.Collator('vi') does", () => {
    const next = random(17);
    const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)] as T;
    const names = new Set<string>();
    while (names.size < 4000) {
      const parts = [
        pick(FAMILY),
        ...(next() < 0.8 ? [pick(MIDDLE)] : []),
        ...(next() < 0.2 ? [pick(MIDDLE)] : []),
        pick(GIVEN),
      ];
      let name = parts.join(" ");
      if (next() < 0.05) name = name.toUpperCase();
      if (next() < 0.05) name = name.toLowerCase();
      names.add(name);
    }
    const list = [...names];
    assert.deepEqual([...list].sort(byKey(sortKey)), [...list].sort(collator.compare));
    assert.deepEqual([...list].sort(byKey(nameSortKey)), [...list].sort(compareNames));
  });

  test("keys agree with Intl.Collator('vi') on every pair of random strings of the table's characters", () => {
    const next = random(42);
    const chars = [...sortKeyTables().from];
    for (let i = 0; i < 20_000; i++) {
      const word = () =>
        Array.from(
          { length: 1 + Math.floor(next() * 4) },
          () => chars[Math.floor(next() * chars.length)],
        ).join("");
      const a = word();
      const b = word();
      const expected = Math.sign(collator.compare(a, b));
      // The collator ignores nothing here and breaks no tie by code point; a tie is a tie for the keys too.
      assert.equal(Math.sign(byKey(sortKey)(a, b)), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });

  test("keys are printable ASCII for the table's characters", () => {
    assert.match(sortKey(sortKeyTables().from), /^[\x20-\x7e]+$/);
  });
});
