import { ListTable, type ListTableProps } from "./table.tsx";

/** A section's list under its own heading (h2), which is also the table's caption. */
export function HeadedTable<R>(p: ListTableProps<R>) {
  return (
    <>
      <h2>{p.caption}</h2>
      <ListTable {...p} />
    </>
  );
}
