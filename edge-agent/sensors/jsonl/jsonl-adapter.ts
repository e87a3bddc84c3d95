/**
 * The `jsonl` sensor: how a real device plugs in its sensors. Readings arrive as JSON lines
 * (format in parse-line.ts and the README) from a file, a named pipe or a command's stdout.
 * Bad lines are counted, logged at most every few seconds, and skipped; they never stop the agent.
 */
import { statSync } from 'node:fs';
import { EdgehiveError } from '../../../shared/errors/index.ts';
import type { JsonlSensorConfig } from '../../../shared/config/agent-config.ts';
import { RateLimitedLog } from '../../util/rate-limited-log.ts';
import type { SensorAdapter, SensorContext, SensorReading, SensorSink } from '../types.ts';
import { commandSource, fileSource, pipeSource, type LineSource } from './line-sources.ts';
import { parseReadingLine } from './parse-line.ts';

export class JsonlAdapter implements SensorAdapter {
  readonly stream: string;
  readonly features: readonly string[];
  /** Lines skipped because they did not parse into a reading. */
  badLines = 0;
  readings = 0;
  #source: LineSource | null = null;
  readonly #index: Map<string, number>;
  readonly #log: RateLimitedLog;

  constructor(private readonly config: JsonlSensorConfig, private readonly ctx: SensorContext) {
    if ((config.file === undefined) === (config.command === undefined)) {
      throw new EdgehiveError('EH_CONFIG_INVALID', `jsonl sensor ${config.stream}: give exactly one of "file" or "command"`);
    }
    this.stream = config.stream;
    this.features = config.features;
    this.#index = new Map(config.features.map((f, i) => [f, i]));
    this.#log = new RateLimitedLog(ctx.logger, 5000);
  }

  start(sink: SensorSink, resume: { lastTsMs: number | null }): void {
    const { file, command, follow } = this.config;
    let source: LineSource;
    // A file is read again from its start after a restart: skip what the buffer already has.
    let skipUpTo = -Infinity;
    if (command) source = commandSource(command);
    else if (isFifo(file!)) source = pipeSource(file!, follow);
    else {
      source = fileSource(file!, follow);
      skipUpTo = resume.lastTsMs ?? -Infinity;
    }
    this.#source = source;
    source.start({
      lines: (lines) => {
        const out: SensorReading[] = [];
        for (const line of lines) {
          if (line.trim() === '') continue;
          const r = parseReadingLine(line, this.features, this.#index, () => this.ctx.clock.now());
          if (!r.ok) {
            this.badLines += 1;
            this.#log.warn('bad-line', { stream: this.stream, reason: r.reason, badLines: this.badLines }, 'skipping a jsonl line that is not a reading');
          } else if (r.reading.tsMs > skipUpTo) out.push(r.reading);
        }
        if (out.length > 0) {
          this.readings += out.length;
          sink.push(out);
        }
      },
      end: (err) => {
        if (err) sink.error(new EdgehiveError('EH_SENSOR_FAILED', `jsonl sensor ${this.stream}: ${err.message}`, undefined, { cause: err }));
        else this.ctx.logger.info({ stream: this.stream }, 'jsonl source ended');
      },
      stderr: (line) => this.#log.info('stderr', { stream: this.stream, line: line.slice(0, 500) }, 'sensor command stderr'),
    });
  }

  async stop(): Promise<void> {
    const s = this.#source;
    this.#source = null;
    await s?.stop();
  }
}

function isFifo(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}
