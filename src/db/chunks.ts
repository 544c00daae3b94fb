/**
 * Rows per multi-row INSERT. PGlite 0.5 aborts (a wasm `Aborted()` at COMMIT) after single INSERT
 * statements of a few hundred wide rows — seen with ~270 residents — so bulk writes go in chunks
 * well under that, on both databases (PostgreSQL does not mind).
 */
export const INSERT_CHUNK = 100;

/** Splits rows into chunks of at most `size`. */
export function chunks<T>(rows: readonly T[], size = INSERT_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
