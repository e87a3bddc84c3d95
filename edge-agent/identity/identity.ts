/**
 * The device's ed25519 identity: dataDir/identity.key, created on first start with mode 0600
 * (shared/crypto/key-file.ts). The public key is what the hub registers at provisioning.
 */
import { join } from 'node:path';
import { loadOrCreateKeyFile } from '../../shared/crypto/key-file.ts';
import { toBase64, type KeyPair } from '../../shared/crypto/ed25519.ts';
import { IDENTITY_FILE } from '../agent-api.ts';

export interface Identity extends KeyPair {
  path: string;
  created: boolean;
  publicKeyBase64: string;
}

export function identityPath(dataDir: string): string {
  return join(dataDir, IDENTITY_FILE);
}

export function loadOrCreateIdentity(dataDir: string): Identity {
  const path = identityPath(dataDir);
  const { keys, created } = loadOrCreateKeyFile(path);
  return { ...keys, path, created, publicKeyBase64: toBase64(keys.publicKey) };
}
