import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

type IssueType = OperationOutcomeIssue['code'];

const ISSUE_TYPE: Record<number, IssueType> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  429: 'throttled',
};

/** The service's `{statusCode, message}` error as an R4 OperationOutcome, for FHIR clients. */
export function toOperationOutcome(statusCode: number, message: string): OperationOutcome {
  const code = ISSUE_TYPE[statusCode] ?? (statusCode >= 500 ? 'exception' : 'processing');
  return { resourceType: 'OperationOutcome', issue: [{ severity: statusCode >= 500 ? 'fatal' : 'error', code, diagnostics: message }] };
}
