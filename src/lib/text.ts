/**
 * Vietnamese text folding, in one place: case and diacritics off, `đ` → `d`.
 * Serves search, header matching and value matching alike.
 */
export function foldVietnamese(input: string): string {
  return input
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .normalize("NFC");
}

/** Folded, with spaces and punctuation removed: for matching column headers and codes. */
export function foldKey(input: string): string {
  return foldVietnamese(input).replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Unicode NFC with outer white space trimmed and inner runs of white space collapsed. */
export function cleanText(input: string): string {
  return input.normalize("NFC").replace(/\s+/gu, " ").trim();
}

const collator = new Intl.Collator("vi", { sensitivity: "base" });

/** Vietnamese name order: given name (last word) first, then the full name. */
export function compareVietnameseNames(a: string, b: string): number {
  const given = (s: string) => s.trim().split(/\s+/).at(-1) ?? "";
  return collator.compare(given(a), given(b)) || collator.compare(a, b);
}
