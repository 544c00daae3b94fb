import type { Child } from "hono/jsx";

/** The head of a hand-drawn table: one row of column headings (`<th scope="col">`), in their order. */
export function ColumnHeads(p: { heads: readonly Child[] }) {
  return (
    <thead>
      <tr>
        {p.heads.map((head) => (
          <th scope="col">{head}</th>
        ))}
      </tr>
    </thead>
  );
}
