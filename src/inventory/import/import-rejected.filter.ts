import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Response } from 'express';
import { ImportRejectedDto } from './dto/device-import.dto';
import { ImportRejectedError } from './import-row';

/**
 * A refused import lists its row errors at the top level of the usual error body (`rows`), which
 * the global filter has no place for. Every other error still goes to the global filter.
 */
@Catch(ImportRejectedError)
export class ImportRejectedFilter implements ExceptionFilter {
  catch(exception: ImportRejectedError, host: ArgumentsHost): void {
    const body: ImportRejectedDto = { statusCode: 400, error: 'Bad Request', message: exception.message, rows: exception.rows };
    host.switchToHttp().getResponse<Response>().status(400).json(body);
  }
}
