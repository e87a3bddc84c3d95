/** Semantic versions x.y.z, for a bundle's minimum agent version. */
import { EdgehiveError } from '../errors/index.ts';

const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parse(v: string): { nums: [number, number, number]; pre: string | undefined } {
  const m = SEMVER.exec(v);
  if (!m) throw new EdgehiveError('EH_BAD_REQUEST', `"${v}" is not a version of the form x.y.z`);
  return { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] };
}

/**
 * Negative when a < b, 0 when equal, positive when a > b. A pre-release (1.2.0-rc.1) sorts
 * before its release, so a release candidate of the minimum version does not qualify; build
 * metadata is ignored.
 */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = pa.nums[i]! - pb.nums[i]!;
    if (d !== 0) return Math.sign(d);
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === undefined) return 1;
  if (pb.pre === undefined) return -1;
  return pa.pre < pb.pre ? -1 : 1;
}
