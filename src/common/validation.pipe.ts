import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { nullFieldsNotAllowed } from './null-fields';
import { describeValidationErrors } from './validation-errors';

const refuse = (lines: string[]) => new BadRequestException({ message: lines.join('; '), fields: lines });

/** Strict input: unknown fields are refused, null only where documented, every 400 names its field. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = await super.transform(value, metadata);
    if (metadata.type === 'body' && dto !== null && typeof dto === 'object' && dto !== value) {
      const lines = nullFieldsNotAllowed(dto);
      if (lines.length) throw refuse(lines);
    }
    return dto;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => refuse(describeValidationErrors(errors)),
  });
}
