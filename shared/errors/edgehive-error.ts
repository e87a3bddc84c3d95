import { ErrorCodes, type ErrorCode } from './codes.ts';

/** The one error class of edgehive: a stable `code`, a message for a person, optional details. */
export class EdgehiveError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message ?? ErrorCodes[code], options);
    this.name = 'EdgehiveError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details?: Readonly<Record<string, unknown>> } {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function isEdgehiveError(e: unknown, code?: ErrorCode): e is EdgehiveError {
  return e instanceof EdgehiveError && (code === undefined || e.code === code);
}
