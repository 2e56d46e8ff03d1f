import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A finite number with at most `places` decimals. class-validator's IsNumber({maxDecimalPlaces})
 * splits the number's text at the dot and throws on exponent notation (1e-7 has no dot): a 500.
 */
export function isDecimal(value: unknown, places: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(places)) === value;
}

export function IsDecimal(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDecimal',
      constraints: [places],
      validator: {
        validate: (value) => isDecimal(value, places),
        defaultMessage: () => `$property must be a number with at most ${places} decimal place${places === 1 ? '' : 's'}`,
      },
    },
    options,
  );
}
