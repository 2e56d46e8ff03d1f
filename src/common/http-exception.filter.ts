import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { Response } from 'express';
import { DomainError } from './domain-errors';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: string[];
  details?: unknown;
}

/**
 * The one place errors become HTTP: `{statusCode, error, message}` always; domain errors map to
 * their status; anything unexpected is a 500 that shows no internals (no stack, no SQL).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error({ err: exception }, 'unhandled error');
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      return this.body(exception.status, exception.message, undefined, exception.details);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      if (typeof raw === 'string') return this.body(status, raw);
      const r = raw as { message?: unknown; fields?: string[]; details?: unknown };
      const message = Array.isArray(r.message) ? r.message.join('; ') : String(r.message ?? exception.message);
      return this.body(status, message, r.fields, r.details);
    }
    return this.body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }

  private body(statusCode: number, message: string, fields?: string[], details?: unknown): ErrorBody {
    const out: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
    if (fields?.length) out.fields = fields;
    if (details !== undefined) out.details = details;
    return out;
  }
}
