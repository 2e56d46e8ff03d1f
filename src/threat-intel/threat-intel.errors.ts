import { DomainError } from '../common/domain-errors';

/** A feed larger than the service reads (HTTP_IMPORT_LIMIT_BYTES). */
export class FeedTooLargeError extends DomainError {
  readonly status = 413;
}
