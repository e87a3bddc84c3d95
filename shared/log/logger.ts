/**
 * Structured logs through pino. Secrets are redacted at construction, so a key or token can never
 * reach a log line by accident.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password', '*.password', 'token', '*.token', 'seed', '*.seed', 'privateKey', '*.privateKey',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
];

export interface LoggerOptions { name: string; level?: string; destination?: NodeJS.WritableStream }

export function createLogger(opts: LoggerOptions): Logger {
  const level = opts.level ?? process.env.EDGEHIVE_LOG_LEVEL ?? 'info';
  const options = { name: opts.name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return opts.destination ? pino(options, opts.destination as pino.DestinationStream) : pino(options, pino.destination(2));
}

/** A logger that drops everything; for benchmarks and quiet tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
