import { QueryFailedError } from 'typeorm';

interface PgError {
  code?: string;
  constraint?: string;
}

function pg(e: unknown): PgError | null {
  if (!(e instanceof QueryFailedError)) return null;
  const d = e.driverError as PgError | undefined;
  return { code: d?.code ?? (e as PgError).code, constraint: d?.constraint ?? (e as PgError).constraint };
}

/** The unique index a failed statement violated, or null when it failed for another reason. */
export function uniqueViolation(e: unknown): string | null {
  const err = pg(e);
  return err?.code === '23505' ? (err.constraint ?? 'unknown') : null;
}

export function foreignKeyViolation(e: unknown): string | null {
  const err = pg(e);
  return err?.code === '23503' ? (err.constraint ?? 'unknown') : null;
}

/**
 * The SQLSTATE when PostgreSQL refused a statement for the values in it (class 22, data
 * exception: a NUL byte, a value too long, a number out of range; class 23, a constraint), as
 * opposed to the database being away or overloaded. Retrying the same values fails again.
 */
export function dataError(e: unknown): string | null {
  const code = pg(e)?.code;
  return code && (code.startsWith('22') || code.startsWith('23')) ? code : null;
}
