/**
 * The hub's key material at start: loaded from the key directory as it is (a production fleet
 * made its root offline with `edgehive keys init-root` and gave the hub only the signing key,
 * the signed list and the roots), or, when the directory has no root at all, a development root
 * generated there once, with a warning that says where its private keys lie.
 */
import { existsSync } from 'node:fs';
import { initDevTrust, keyPaths, loadHubTrust, rootOf, type HubTrust } from '../../shared/bundle/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';

export function openHubTrust(dir: string, fleet: string, nowMs: number, logger: Logger): HubTrust {
  const paths = keyPaths(dir);
  if (!existsSync(paths.root(1))) {
    const trust = initDevTrust(dir, fleet, nowMs);
    logger.warn(
      { keysDir: dir, rootPrivateKeys: paths.offline },
      `no root in ${dir}: generated a DEVELOPMENT root (3 keys, threshold 2) and a signing key. Its private root keys are in ${paths.offline}; ` +
      'anyone who can read them can make every device trust any bundle. A production fleet makes its root offline with `edgehive keys init-root` ' +
      'and gives the hub only signing-key.json, signing-keys.json and roots/',
    );
    return trust;
  }
  const trust = loadHubTrust(dir, nowMs);
  const root = rootOf(trust);
  if (root.fleet !== fleet) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `the keys in ${dir} are for fleet ${root.fleet}, but this hub serves fleet ${fleet}; point keys.dir at the fleet's own key directory`, { dir, keysFleet: root.fleet, fleet });
  }
  if (existsSync(paths.offline)) {
    logger.warn({ rootPrivateKeys: paths.offline }, `root private keys are on the hub (${paths.offline}); move them offline once the fleet leaves development`);
  }
  return trust;
}
