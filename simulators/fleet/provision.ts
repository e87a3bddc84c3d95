/**
 * Provisioning a virtual device: its identity is created first (as a real device would at first
 * start), then its public key is registered with the hub, either in-process (HubHandle.provision)
 * or over the HTTP API with an admin token (POST /api/v1/devices).
 */
import { join } from 'node:path';
import { loadOrCreateKeyFile } from '../../shared/crypto/key-file.ts';
import { toBase64 } from '../../shared/crypto/ed25519.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { IDENTITY_FILE } from '../../edge-agent/agent-api.ts';
import type { ProvisionInput, ProvisionResult } from '../../cloud-hub/hub-api.ts';
import type { DeviceSpec } from './layout.ts';

export type HubAgentConfig = ProvisionResult['agentConfig'];

export interface Provisioner {
  provision(input: ProvisionInput): Promise<HubAgentConfig>;
}

/** Provisions through a hub running in this process. */
export function inProcessProvisioner(hub: { provision(input: ProvisionInput, actor?: string): Promise<ProvisionResult> }): Provisioner {
  return { provision: async (input) => (await hub.provision(input, 'simulator')).agentConfig };
}

/** Provisions through the hub's HTTP API. */
export function httpProvisioner(apiUrl: string, token: string): Provisioner {
  const url = new URL('/api/v1/devices', apiUrl).toString();
  return {
    async provision(input) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input),
        });
      } catch (e) {
        throw new EdgehiveError('EH_STATE', `cannot reach the hub API at ${url}: ${(e as Error).message}; is the hub running (edgehive hub)?`, undefined, { cause: e });
      }
      const text = await res.text();
      if (!res.ok) throw new EdgehiveError('EH_STATE', `provisioning ${input.id} failed: HTTP ${res.status} ${text.slice(0, 300)}`);
      const body = JSON.parse(text) as Partial<ProvisionResult> & Partial<HubAgentConfig>;
      const cfg = body.agentConfig ?? (body as HubAgentConfig);
      if (!cfg || typeof cfg.hub?.mqttUrl !== 'string') throw new EdgehiveError('EH_STATE', `provisioning ${input.id}: the hub's answer has no agentConfig.hub.mqttUrl`);
      return cfg;
    },
  };
}

/** Creates (or loads) the device's identity in `dir` and registers it. */
export async function provisionDevice(p: Provisioner, spec: DeviceSpec, dir: string): Promise<HubAgentConfig> {
  const { keys } = loadOrCreateKeyFile(join(dir, IDENTITY_FILE));
  return p.provision({ id: spec.id, group: spec.group, profile: spec.profile, publicKey: toBase64(keys.publicKey) });
}
