import { ApiConflictResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/** A 409 for an operation that refuses a duplicate; the description says which. */
export const ApiDuplicateResponse = (description: string) => ApiConflictResponse({ type: ErrorResponseDto, description });
