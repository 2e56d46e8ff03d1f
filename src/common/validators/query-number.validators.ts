import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';

/** Largest offset a listing takes: far beyond any inventory, far below PostgreSQL's bigint. */
export const MAX_OFFSET = 1_000_000_000;

/**
 * A whole number in [min, max] from a query string, written in plain decimal digits. Number()
 * would take `1e20`, `0x10`, ` 1` and `` (as 0); such text stays text here and is refused.
 */
export function QueryInt(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value)),
    ValidateBy(
      {
        name: 'queryInt',
        constraints: [min, max],
        validator: {
          validate: (value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
          defaultMessage: () => `$property must be a whole number from ${min} to ${max}`,
        },
      },
      options,
    ),
  );
}

/**
 * The nextCursor of a listing keyed by a bigint id: its decimal digits, kept as text (ids beyond
 * 2^53 do not survive a JavaScript number), at most 18 digits so it always fits a bigint.
 */
export function IsIdCursor(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIdCursor',
      validator: {
        validate: (value) => typeof value === 'string' && /^[0-9]{1,18}$/.test(value),
        defaultMessage: () => '$property must be a nextCursor from this listing',
      },
    },
    options,
  );
}
