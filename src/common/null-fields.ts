/** Where @nestjs/swagger keeps each @ApiProperty's options (its DECORATORS.API_MODEL_PROPERTIES, not exported). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/**
 * The fields of a validated request DTO (nested DTOs too) that hold null where the API contract
 * does not say `nullable`. class-validator's IsOptional lets null through like undefined, and
 * PartialType makes every update field IsOptional: `{"serialNumber": null}` reached a NOT NULL
 * column and failed there as a 500. The OpenAPI metadata is the contract clients read, so a field
 * is nullable exactly when its @ApiProperty says so (a device's patientRef: null unlinks).
 */
export function nullFieldsNotAllowed(dto: object, parent = ''): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(dto)) {
    const path = parent ? `${parent}.${key}` : key;
    if (value === null) {
      const property = Reflect.getMetadata(API_MODEL_PROPERTIES, Object.getPrototypeOf(dto), key) as { nullable?: boolean } | undefined;
      if (!property?.nullable) lines.push(`${path}: must not be null`);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isDto(item)) lines.push(...nullFieldsNotAllowed(item, `${path}[${i}]`));
      });
    } else if (isDto(value)) {
      lines.push(...nullFieldsNotAllowed(value, path));
    }
  }
  return lines;
}

/** An instance of a request DTO class (class-transformer built it), not a plain object or a Date. */
function isDto(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto !== Object.prototype && proto !== null && !(value instanceof Date);
}
