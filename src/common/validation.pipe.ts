import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { describeValidationErrors } from './validation-errors';

/** Strict input: unknown fields are refused, types converted, every 400 names its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const lines = describeValidationErrors(errors);
      return new BadRequestException({ message: lines.join('; '), fields: lines });
    },
  });
}
