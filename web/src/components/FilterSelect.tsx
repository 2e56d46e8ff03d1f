/**
 * One filter of a filter bar: a labelled select whose first choice, "any", is no filter.
 * `options` are values, or [value, text] pairs; values read with underscores as spaces by default.
 */
export function FilterSelect(props: {
  label: string;
  value: string | undefined;
  options: ReadonlyArray<string | readonly [string, string]>;
  onChange: (value: string) => void;
  /** The first choice's text; null when the select has no "any" (a sort order). */
  any?: string | null;
}) {
  const any = props.any === undefined ? 'any' : props.any;
  return (
    <label>
      {props.label}
      <select value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {any !== null && <option value="">{any}</option>}
        {props.options.map((o) => {
          const [value, text] = typeof o === 'string' ? [o, o.replace(/_/g, ' ')] : o;
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </select>
    </label>
  );
}
