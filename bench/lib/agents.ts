/**
 * Devices for the ingest benchmark: each with its own identity, provisioned at the hub, its own
 * agent.db (a copy of a pre-filled outbox) and, once started, its own MQTT connection.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { Agent } from '../../edge-agent/agent.ts';
import { BUFFER_FILE } from '../../edge-agent/agent-api.ts';
import { loadOrCreateIdentity } from '../../edge-agent/identity/identity.ts';
import { parseAgentConfig, type AgentConfig } from '../../shared/config/agent-config.ts';
import { silentLogger } from './util.ts';

export const deviceId = (i: number): string => `dev-${String(i).padStart(4, '0')}`;

/**
 * Creates `count` device directories under `root`, each with a fresh identity registered at the
 * hub and a copy of `templateDb` as its outbox. Returns the agents' configs (defaults elsewhere).
 */
export async function provisionDevices(hub: HubHandle, root: string, count: number, templateDb: string | null, over: Partial<AgentConfig> = {}): Promise<AgentConfig[]> {
  const configs: AgentConfig[] = new Array<AgentConfig>(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const id = deviceId(i);
      const dataDir = join(root, id);
      mkdirSync(dataDir, { recursive: true });
      const identity = loadOrCreateIdentity(dataDir);
      const { agentConfig } = await hub.provision({ id, profile: 'bench', publicKey: identity.publicKeyBase64 });
      if (templateDb) copyFileSync(templateDb, join(dataDir, BUFFER_FILE));
      configs[i] = parseAgentConfig({ ...agentConfig, dataDir, log: { level: 'silent' }, ...over }, `agent config of ${id}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, count) }, worker));
  return configs;
}

/** Agents without sensors: they only send what their outbox holds. */
export function makeAgents(configs: readonly AgentConfig[]): Agent[] {
  const logger = silentLogger();
  return configs.map((c) => new Agent(c, { logger, sensors: [] }));
}

export function outboxRecords(agents: readonly Agent[]): number {
  let n = 0;
  for (const a of agents) n += a.stats().outboxRecords;
  return n;
}
