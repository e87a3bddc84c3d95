/**
 * Pure: which version is the champion, and which devices run the challenger in shadow.
 *
 * The champion is the version the model's newest completed deployment rolled out (what the
 * fleet runs by decision of an operator or an earlier promotion), else the newest ready version
 * before the challenger. Shadow devices are online, report a bundle of the champion active and healthy,
 * belong to no running or halted deployment (a rollout would overwrite their desired state), and
 * have a profile the challenger has a bundle for; per group the first `perGroup` by id, so the
 * choice is the same after a restart.
 */
import type { DeploymentRecord, ReportedRecord } from '../store/rollout-store.ts';
import type { DeviceRecord } from '../store/types.ts';

export function championOf(
  model: string, challenger: number,
  completed: readonly Pick<DeploymentRecord, 'source' | 'state'>[],
  versions: readonly { version: number; status: string }[],
): number | null {
  for (const d of completed) {
    if (d.state !== 'completed' || !('model' in d.source) || d.source.model !== model) continue;
    if (d.source.version !== challenger) return d.source.version;
  }
  const ready = versions.filter((v) => v.status === 'ready' && v.version < challenger).map((v) => v.version);
  return ready.length > 0 ? Math.max(...ready) : null;
}

export interface SelectInput {
  model: string;
  /** Bundles built from the champion version: a device running one of them runs the champion. */
  championBundles: ReadonlySet<string>;
  devices: readonly Pick<DeviceRecord, 'id' | 'group' | 'profile' | 'online'>[];
  reports: ReadonlyMap<string, ReportedRecord>;
  /** Devices owned by a running or halted deployment. */
  owned: ReadonlySet<string>;
  /** Only these groups; null: every group with a device running the champion. */
  groups: readonly string[] | null;
  perGroup: number;
  /** Whether the challenger has a bundle for the profile. */
  fits: (profile: string) => boolean;
}

export interface Chosen { device: string; group: string; profile: string; championBundle: string }

export function chooseShadowDevices(i: SelectInput): Map<string, Chosen[]> {
  const out = new Map<string, Chosen[]>();
  for (const g of i.groups ?? []) out.set(g, []);
  const sorted = [...i.devices].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const d of sorted) {
    if (i.groups && !i.groups.includes(d.group)) continue;
    const r = i.reports.get(d.id);
    if (!d.online || !r || !r.activeBundle || !r.healthy || !i.championBundles.has(r.activeBundle)) continue;
    if (i.owned.has(d.id) || !i.fits(d.profile)) continue;
    const list = out.get(d.group) ?? [];
    if (list.length < i.perGroup) list.push({ device: d.id, group: d.group, profile: d.profile, championBundle: r.activeBundle });
    out.set(d.group, list);
  }
  return out;
}
