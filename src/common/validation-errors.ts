import { ValidationError } from 'class-validator';

/** Flattens nested class-validator errors into "path.to.field: reason" lines. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      // class-validator phrases messages with the bare property name; show the full path instead.
      const reason = message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
      lines.push(error.constraints?.whitelistValidation ? `${path}: is not an allowed field` : `${path}: ${reason}`);
    }
    if (error.children?.length) lines.push(...describeValidationErrors(error.children, path));
  }
  return lines;
}
