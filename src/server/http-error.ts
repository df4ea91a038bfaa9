/** Typed HTTP errors: every failure the API reports has a status, a code and a message. */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { LendstatsError, type ErrorCode } from '../domain/errors.js';

export type ApiErrorCode =
  | ErrorCode
  | 'NOT_FOUND'
  | 'READ_ONLY'
  | 'FORBIDDEN'
  | 'TOKEN_REQUIRED'
  | 'RUN_IN_PROGRESS'
  | 'NO_LOG_FILE'
  | 'INTERNAL';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** How the core's typed errors map to HTTP. */
const STATUS_BY_CODE: Record<ErrorCode, ContentfulStatusCode> = {
  BAD_INPUT: 400,
  BAD_ARGUMENT: 400,
  UNKNOWN_POSITION: 404,
  AMBIGUOUS_POSITION: 400,
  INVALID_POSITION_DATA: 422,
  NO_RATE_DATA: 422,
  OUT_OF_RANGE: 422,
  DATABASE_UNAVAILABLE: 503,
  DATABASE_BUSY: 409,
};

/** The ApiError for any thrown value; unknown errors become a 500 that names no internals. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof LendstatsError) {
    return new ApiError(STATUS_BY_CODE[error.code], error.code, error.message);
  }
  return new ApiError(500, 'INTERNAL', 'internal error; see the server log');
}

export function errorBody(error: ApiError): { error: { code: string; message: string } } {
  return { error: { code: error.code, message: error.message } };
}
