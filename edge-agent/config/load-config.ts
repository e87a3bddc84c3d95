/**
 * Reads and validates an agent config file. Errors name the file and the bad field by its JSON
 * path ("/uplink/ackTimeoutMs: Expected integer"). dataDir, sensor files and the CA file are
 * resolved relative to the config file's folder.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseAgentConfig, type AgentConfig } from '../../shared/config/agent-config.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';

function invalid(source: string, path: string, message: string): EdgehiveError {
  return new EdgehiveError('EH_CONFIG_INVALID', `${source} is invalid: ${path}: ${message}`, { problems: [{ path, message }] });
}

/** Checks the schema cannot express: each fails naming the field. */
export function checkAgentConfig(config: AgentConfig, source: string): AgentConfig {
  const { uplink } = config;
  if (uplink.reconnectMinMs > uplink.reconnectMaxMs) {
    throw invalid(source, '/uplink/reconnectMinMs', `${uplink.reconnectMinMs} is above reconnectMaxMs ${uplink.reconnectMaxMs}`);
  }
  config.sensors.forEach((s, i) => {
    if (s.kind === 'jsonl' && (s.file === undefined) === (s.command === undefined)) {
      throw invalid(source, `/sensors/${i}`, 'a jsonl sensor needs exactly one of "file" or "command"');
    }
    if (s.kind === 'jsonl' && new Set(s.features).size !== s.features.length) {
      throw invalid(source, `/sensors/${i}/features`, 'feature names must be unique');
    }
    if (['events', 'drift', 'fl'].includes(s.stream)) {
      throw invalid(source, `/sensors/${i}/stream`, `"${s.stream}" is reserved for records`);
    }
  });
  const streams = config.sensors.map((s) => s.stream);
  const dup = streams.find((s, i) => streams.indexOf(s) !== i);
  if (dup !== undefined) throw invalid(source, `/sensors/${streams.lastIndexOf(dup)}/stream`, `stream "${dup}" is used by another sensor`);
  return config;
}

/** Parses an already-read config document; paths in it are resolved against `baseDir`. */
export function parseAgentConfigDocument(doc: unknown, source: string, baseDir: string): AgentConfig {
  const config = checkAgentConfig(parseAgentConfig(doc, source), source);
  config.dataDir = resolve(baseDir, config.dataDir);
  if (config.hub.caFile) config.hub.caFile = resolve(baseDir, config.hub.caFile);
  if (config.bundles.rootFile) config.bundles.rootFile = resolve(baseDir, config.bundles.rootFile);
  for (const s of config.sensors) if (s.kind === 'jsonl' && s.file) s.file = resolve(baseDir, s.file);
  return config;
}

export function loadAgentConfig(path: string): AgentConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `cannot read agent config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `agent config ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseAgentConfigDocument(doc, `agent config ${file}`, dirname(file));
}
