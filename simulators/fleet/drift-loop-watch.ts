/**
 * What the drift loop (drift-loop.ts) watches at the hub, through its store and managers only:
 * the drift rows the ingest committed, the audit log the policy and shadow managers write, the
 * shadow evaluation record. Each wait polls (the loop must not depend on being subscribed at the
 * right instant) and ends in EH_STATE naming what it waited for.
 */
import type { DriftPolicy } from '../../cloud-hub/drift/policy.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { DriftRow } from '../../cloud-hub/store/drift-store.ts';
import type { ShadowEvaluationRecord } from '../../cloud-hub/store/shadow-store.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';

const POLL_MS = 200;
const MAX_ROWS = 100_000;

export async function poll(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw new EdgehiveError('EH_STATE', `drift loop: stopped while waiting for ${what}`);
    if (await check()) return;
    if (Date.now() > until) throw new EdgehiveError('EH_STATE', `drift loop: gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export interface Watched { names: readonly string[]; psi: number; ks: number; minSamples: number }

export function watchedFeatures(p: DriftPolicy): Watched {
  return { names: p.drifting.features ?? [], psi: p.drifting.psi, ks: p.drifting.ks, minSamples: p.drifting.minSamples };
}

/** Per device and seq, whether a judged report crossed a watched feature's threshold (null: unjudged). */
export function judgedReports(rows: readonly DriftRow[], w: Watched): Array<{ device: string; seq: number; tsMs: number; receivedMs: number; version: string; drifting: boolean; figures: string }> {
  const by = new Map<string, DriftRow[]>();
  for (const r of rows) {
    const k = `${r.device}\u0000${r.seq}`;
    by.set(k, [...(by.get(k) ?? []), r]);
  }
  const out = [];
  for (const list of by.values()) {
    const watched = list.filter((r) => w.names.length === 0 || w.names.includes(r.feature));
    if (watched.length === 0 || Math.max(...watched.map((r) => r.samples)) < w.minSamples) continue;
    const first = list[0]!;
    const crossed = watched.filter((r) => r.alarm && (r.psi > w.psi || r.ks > w.ks));
    out.push({
      device: first.device, seq: first.seq, tsMs: first.tsMs, receivedMs: first.receivedMs, version: first.modelVersion, drifting: crossed.length > 0,
      figures: watched.map((r) => `${r.feature} PSI ${r.psi.toFixed(2)} KS ${r.ks.toFixed(2)}`).join(', '),
    });
  }
  return out.sort((a, b) => a.receivedMs - b.receivedMs || a.seq - b.seq);
}

async function rowsOf(hub: HubHandle, model: string, fromMs: number): Promise<DriftRow[]> {
  return hub.store.drift.queryDrift({ model, fromMs, limit: MAX_ROWS });
}

export interface Seen { atMs: number; detail: string }

/** The first judged report of a drifted device past a watched threshold. */
export async function awaitDriftDetected(hub: HubHandle, q: { model: string; devices: readonly string[]; fromMs: number; features: Watched; timeoutMs: number; signal?: AbortSignal }): Promise<Seen> {
  let seen: Seen | null = null;
  await poll('a drift alarm from a drifted pump', async () => {
    const hit = judgedReports(await rowsOf(hub, q.model, q.fromMs), q.features).find((r) => r.drifting && q.devices.includes(r.device));
    if (hit) seen = { atMs: hit.receivedMs, detail: `${hit.device} report ${hit.seq}: ${hit.figures}` };
    return hit !== undefined;
  }, q.timeoutMs, q.signal);
  return seen!;
}

export interface TriggerSeen extends Seen { jobId: string | null; drifting: string[]; share: number }

/** The policy's `drift.trigger` audit entry after fromMs. */
export async function awaitTrigger(hub: HubHandle, q: { model: string; fromMs: number; timeoutMs: number; signal?: AbortSignal }): Promise<TriggerSeen> {
  let seen: TriggerSeen | null = null;
  await poll('the drift policy to trigger retraining', async () => {
    const a = (await hub.store.listAudit(200)).find((e) => e.action === 'drift.trigger' && e.target === q.model && e.atMs >= q.fromMs);
    if (!a) return false;
    const v = (a.details?.verdict ?? {}) as { drifting?: string[]; share?: number; reasons?: string[] };
    const jobId = typeof a.details?.jobId === 'string' ? a.details.jobId : null;
    seen = { atMs: a.atMs, jobId, drifting: v.drifting ?? [], share: v.share ?? 0, detail: `${(v.reasons ?? []).join('; ')}; training job ${jobId ?? 'none'} (actor ${a.actor})` };
    return true;
  }, q.timeoutMs, q.signal);
  return seen!;
}

export interface Decided { record: ShadowEvaluationRecord; detail: string }

function heldOutLine(r: ShadowEvaluationRecord): string {
  return r.heldOut.map((h) => `${h.passed ? 'passed' : 'failed'}: ${h.reason}`).join('; ');
}

/** The challenger's shadow evaluation: started (onStart once), then ended (promoted, retired, refused). */
export async function awaitDecision(hub: HubHandle, q: { model: string; version: number; timeoutMs: number; signal?: AbortSignal; onStart: (r: ShadowEvaluationRecord, detail: string) => void }): Promise<Decided> {
  let started = false;
  let rec: ShadowEvaluationRecord | null = null;
  await poll(`the shadow evaluation of ${q.model} v${q.version} to end`, async () => {
    const r = await hub.shadow.current(q.model);
    if (!r || r.version !== q.version) return false;
    if (!started && r.state !== 'refused') {
      started = true;
      q.onStart(r, `v${r.version} beside champion v${r.championVersion} on ${r.devices.map((d) => d.device).join(', ')}; held-out gate ${heldOutLine(r)}`);
    }
    rec = r;
    return r.state !== 'running';
  }, q.timeoutMs, q.signal);
  const r = rec! as ShadowEvaluationRecord;
  const f = r.verdict?.figures;
  const figures = f ? `; min inferences ${f.minInferences}, lowest agreement ${f.minAgreement?.toFixed(3) ?? '-'}, highest latency ratio ${f.maxLatencyRatio?.toFixed(2) ?? '-'}, error rate ${f.errorRate ?? '-'}` : '';
  const why = r.state === 'refused' ? `; held-out gate ${heldOutLine(r)}` : '';
  return { record: r, detail: `${r.state}${r.reason ? `: ${r.reason}` : ''}${r.verdict ? ` (${r.verdict.reasons.join('; ')})` : ''}${figures}${why}` };
}

/** Every drifted device sends a judged report about `version` under every watched threshold. */
export async function awaitDriftCleared(hub: HubHandle, q: { model: string; version: number; devices: readonly string[]; fromMs: number; features: Watched; timeoutMs: number; signal?: AbortSignal }): Promise<Seen> {
  let seen: Seen | null = null;
  await poll(`judged clean reports on v${q.version} from ${q.devices.join(', ')}`, async () => {
    const reports = judgedReports(await rowsOf(hub, q.model, q.fromMs), q.features).filter((r) => r.version === String(q.version));
    const clean = q.devices.map((d) => reports.find((r) => r.device === d && !r.drifting));
    if (clean.some((c) => c === undefined)) return false;
    seen = { atMs: Math.max(...clean.map((c) => c!.receivedMs)), detail: clean.map((c) => `${c!.device} report ${c!.seq}: ${c!.figures}`).join('; ') };
    return true;
  }, q.timeoutMs, q.signal);
  return seen!;
}
