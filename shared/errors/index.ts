export { ErrorCodes, type ErrorCode } from './codes.ts';
export { EdgehiveError, isEdgehiveError } from './edgehive-error.ts';
