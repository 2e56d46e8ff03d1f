import type { FirmwareVersion } from './version';

/** The shapes a version range is made of; in their own file so the wildcard reader and the comparator rules need not import each other. */
export type Operator = '<' | '<=' | '>' | '>=' | '=' | '!=';

export interface Comparator {
  readonly op: Operator;
  readonly version: FirmwareVersion;
}

/** Comparators that must all hold (AND). A range is a list of clauses, any of which may hold (OR). */
export type Clause = readonly Comparator[];

export type Verdict = 'in' | 'out' | 'unknown';
