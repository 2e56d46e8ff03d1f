import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Request, Response } from 'express';
import { ErrorBody, HttpExceptionFilter } from '../../common/http-exception.filter';
import { FHIR_JSON } from './fhir-media-type';
import { toOperationOutcome } from './operation-outcome';

/**
 * FHIR clients announce themselves with `Accept: application/fhir+json` and expect errors as an
 * OperationOutcome; everyone else gets the service's usual `{statusCode, error, message}`.
 * Status and message still come from the global filter, so errors map to statuses in one place;
 * only the envelope changes.
 */
@Catch()
export class FhirErrorFilter implements ExceptionFilter {
  private readonly errors = new HttpExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if ((request.headers.accept ?? '').toLowerCase().includes(FHIR_JSON)) {
      const send = response.json.bind(response);
      response.json = (body: ErrorBody) => send(toOperationOutcome(body.statusCode, body.message));
      response.type(FHIR_JSON);
    } else {
      // The route's own Content-Type header (FHIR JSON) is already set before the handler runs.
      response.type('application/json');
    }
    this.errors.catch(exception, host);
  }
}
