/**
 * Timestamptz `expr` as text exactly as JavaScript's Date#toISOString writes it (UTC, milliseconds,
 * 'Z'): to_char's MS truncates the microseconds as a Date does. For reads whose rows go straight to
 * JSON: a report page holds about a thousand instants, and parsing each into a Date only to write
 * it back cost its share of the page (issue 15).
 */
export const isoInstantSql = (expr: string): string => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
