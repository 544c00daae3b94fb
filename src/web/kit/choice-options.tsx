/**
 * A select's choices: first the empty one (`blank`: "all", "none"), then each option, the one whose
 * value is `value` selected. Served by the list filters and the public site's village pickers alike.
 */
export function ChoiceOptions(p: {
  blank: string;
  options: readonly { value: string; label: string }[];
  value: string | undefined;
}) {
  return (
    <>
      <option value="">{p.blank}</option>
      {p.options.map((o) => (
        <option value={o.value} selected={o.value === p.value}>
          {o.label}
        </option>
      ))}
    </>
  );
}
