/**
 * The demo's model loop: once the simulated pumps have sent some data, the hub trains the
 * shipped pump-anomaly recipe on it (the hub's own training job: worker thread, export, int8,
 * gates, device-profile plan) and the demo prints the job's progress and the version it made,
 * then rolls that version out to the pumps in waves (demo-rollout.ts).
 */
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { Job } from '../../cloud-hub/jobs/schema.ts';
import { resolveRecipe } from '../../cloud-hub/recipes/index.ts';
import type { DeploymentStatus } from '../../cloud-hub/rollouts/schema.ts';
import { runDemoRollout } from './demo-rollout.ts';

export interface DemoTraining { stop(): void }

/** `onRolledOut` runs once the version's rollout has completed on every pump (the demo chains the drift loop there). */
export function scheduleDemoTraining(hub: () => HubHandle, afterMs: number, print: (l: string) => void, onRolledOut?: (end: DeploymentStatus) => void): DemoTraining {
  let stopped = false;
  let unsubscribe: (() => void) | null = null;
  const timer = setTimeout(() => {
    void (async () => {
      if (stopped) return;
      const recipe = resolveRecipe('pump-anomaly');
      const h = hub();
      let job: Job;
      try {
        job = await h.jobs.start({ recipe, data: { group: 'pumps' }, actor: 'demo' });
      } catch (e) {
        print(`training: could not start (${(e as Error).message})`);
        return;
      }
      print(`training ${recipe.name} on the pumps' readings so far: job ${job.id} (GET /api/v1/jobs/${job.id})`);
      let lastEpoch = -1;
      let lastMessage = '';
      const sub = h.jobs.subscribe(job.id, (_kind, j) => {
        const p = j.progress;
        if (p?.stage === 'train' && p.epoch !== undefined && p.epoch !== lastEpoch) {
          lastEpoch = p.epoch;
          print(`training: epoch ${p.epoch}/${p.epochs} loss ${p.loss?.toPrecision(3)}${p.valLoss !== undefined ? ` val ${p.valLoss.toPrecision(3)}` : ''} on ${p.backend}, ETA ${Math.round((p.etaMs ?? 0) / 1000)} s`);
        } else if (p && p.stage !== 'train' && p.message && p.message !== lastMessage) {
          lastMessage = p.message;
          print(`training: ${p.stage}: ${p.message}`);
        }
      });
      unsubscribe = sub?.unsubscribe ?? null;
      const done = await h.jobs.wait(job.id);
      unsubscribe?.();
      if (done.state !== 'succeeded' || done.version === null) {
        print(`training: ${done.state}${done.error ? `: ${done.error.message}` : ''}`);
        return;
      }
      const v = await h.registry.getVersion(recipe.name, done.version);
      print(`model ${recipe.name} v${v.version} ${v.status}: ${v.statusReason ?? ''}`);
      for (const variant of v.variants) print(`  ${variant.variant.padEnd(5)} ${variant.bytes} bytes${variant.accepted ? '' : ` (refused: ${variant.reason ?? ''})`}`);
      for (const p of v.plan) print(`  ${p.profile.padEnd(18)} → ${p.variant ?? 'none'}: ${p.reason}`);
      if (stopped || v.status !== 'ready') return;
      const end = await runDemoRollout(h, { model: recipe.name, version: v.version, group: 'pumps', soakMs: 10_000 }, print)
        .catch((e: unknown) => { if (!stopped) print(`rollout: ${(e as Error).message}`); return null; });
      if (!stopped && end?.state === 'completed') onRolledOut?.(end);
    })();
  }, afterMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe?.();
    },
  };
}
