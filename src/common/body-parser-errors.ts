import { BadRequestException, HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';

/**
 * body-parser fails before any route runs, with messages written for developers ("Unexpected
 * end of JSON input"). Translate them into the API's own field-naming errors.
 */
export function bodyParserErrors(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const type = (err as { type?: string })?.type;
  if (type === 'entity.parse.failed') return next(new BadRequestException('body: is not valid JSON'));
  if (type === 'entity.too.large') return next(new PayloadTooLargeException('body: request body is larger than the allowed limit'));
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return next(new UnsupportedMediaTypeException('body: unsupported encoding'));
  if (err instanceof HttpException) return next(err);
  next(err);
}
