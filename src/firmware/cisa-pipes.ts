import { Clause, Comparator, LEADING_OPERATOR, Operator, readComparator } from './comparator';
import { constraintsToClauses } from './intervals';

/**
 * CISA's loose use of the vers pipe outside a `vers:` string, as its medical advisories write
 * it: `>= 1.0.0  | <= 1.3.1` (bounds: one interval), `BT03 | BT04 | BT06` (a list of exact
 * versions), `v17 | >= 20D29 | <= 20D32` (both). Read with the vers algorithm, leniently (see
 * intervals.ts), since that is the notation it imitates. A part with a version before its
 * operator (`v17D19 >= 20D29`) has no reading and is refused.
 */
export function parsePipeList(text: string): { clauses: Clause[] } | { error: string } {
  const parts = text
    .split('|')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return { error: 'there is nothing between the pipes' };
  const constraints: Comparator[] = [];
  for (const part of parts) {
    const op = (LEADING_OPERATOR.exec(part)?.[1] ?? '=') as Operator;
    const rest = LEADING_OPERATOR.test(part) ? part.slice(op.length) : part;
    if (/[<>=!]/.test(rest)) return { error: `${JSON.stringify(part)} puts a version before an operator` };
    const read = readComparator(op, rest);
    if ('error' in read) return read;
    constraints.push(...read);
  }
  return constraintsToClauses(constraints, 'lenient');
}
