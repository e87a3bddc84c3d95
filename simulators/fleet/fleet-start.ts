/**
 * Where fleet time starts for a run. Now, unless devices in a reused data directory already hold
 * readings stamped later (an earlier run at speed), in which case after the newest of them, so a
 * device never produces a timestamp twice.
 */
import { join } from 'node:path';
import { BUFFER_FILE } from '../../edge-agent/agent-api.ts';
import { readAgentDb } from './agent-db.ts';

export function fleetStartMs(dataDir: string, deviceIds: readonly string[], periodMs: number, nowMs = Date.now()): number {
  let start = nowMs;
  for (const id of deviceIds) {
    const db = readAgentDb(join(dataDir, 'devices', id, BUFFER_FILE));
    for (const ts of Object.values(db?.lastTs ?? {})) if (ts !== null && ts + periodMs > start) start = ts + periodMs;
  }
  // Whole periods from the epoch: timestamps are then round numbers.
  return Math.ceil(start / periodMs) * periodMs;
}
