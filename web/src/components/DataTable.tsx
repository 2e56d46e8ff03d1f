import type { ComponentChildren } from 'preact';
import { ScrollRegion } from './ScrollRegion';

/** One column: its header, how a row fills its cell, and an optional class on that cell (`num`). */
export interface Column<T> {
  header: string;
  cell: (row: T) => ComponentChildren;
  class?: string;
}

/**
 * Every data table of the console: `table.data` in its own named, focusable scroller
 * (ScrollRegion, WCAG 1.4.10), header cells with `scope="col"`.
 *
 * - `columns` may hold `false` for a column this person does not see (`writes && {...}`).
 * - `rows` is `null` or `undefined` while loading: the table shows its header alone.
 * - `empty`: once loaded with no row, this sentence stands in place of the table; without it the
 *   table stays, header only.
 * - `caption`: visually hidden unless `captionShown` (screen readers announce it either way).
 */
export function DataTable<T>(props: {
  label: string;
  columns: Array<Column<T> | false>;
  rows: readonly T[] | null | undefined;
  rowKey: (row: T, index: number) => string;
  /** Extra attributes on a row (`data-device-id`), for scripts and tests that find a row by its record. */
  rowData?: (row: T) => Record<`data-${string}`, string>;
  caption?: ComponentChildren;
  captionShown?: boolean;
  empty?: ComponentChildren;
  class?: string;
}) {
  const columns = props.columns.filter((c): c is Column<T> => c !== false);
  const rows = props.rows ?? [];
  if (props.rows && rows.length === 0 && props.empty !== undefined) return <p>{props.empty}</p>;
  return (
    <ScrollRegion label={props.label}>
      <table class={props.class ? `data ${props.class}` : 'data'}>
        {props.caption !== undefined && <caption class={props.captionShown ? undefined : 'visually-hidden'}>{props.caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={props.rowKey(row, i)} {...props.rowData?.(row)}>
              {columns.map((c) => (
                <td key={c.header} class={c.class}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
