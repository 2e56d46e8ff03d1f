/**
 * Errors a use case raises on purpose. The global filter maps each kind to one HTTP status,
 * so services never import HTTP concerns.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(kind: string, id: string) {
    super(`${kind} ${id} not found`);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
}

export class InvalidInputError extends DomainError {
  readonly status = 400;
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
}

/** A body in a media type the operation does not read (the message names Content-Type). */
export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
}
