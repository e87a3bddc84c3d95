/**
 * What the shadow integration tests share: versions registered by hand (a one-matrix ONNX model
 * whose scale sets how well it reconstructs the readings, so a test picks a good or a bad one),
 * and a device that is a real MQTT client: it installs what its retained desired state names,
 * follows the shadow bundle's chunks (and sees them cleared), and publishes ReportedState
 * protobufs with the shadow figures the test scripts.
 */
import type { MqttClient } from 'mqtt';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { DataType, floatTensor, node, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import type { Recipe } from '../../cloud-hub/recipes/schema.ts';
import { fitPreprocess, serialisePreprocessSpec } from '../../shared/features/index.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';
import type { Encodable } from '../../shared/protocol/messages.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import { buildModel } from '../support/onnx-models.ts';
import { connectDevice, publish, type TestDevice } from './hub-helpers.ts';
import { testRecipe } from './registry-pipeline.ts';

export const MODEL = 'pump-ae';
export const FEATURES = ['f0', 'f1'];
const WINDOW = 4;

/** y = k·x: k 1 reconstructs perfectly (score 0), k 0 scores every window by its energy. */
function scaled(k: number): Uint8Array {
  return buildModel({
    input: tensorValueInfo('x', DataType.FLOAT, ['N', WINDOW, FEATURES.length]),
    output: tensorValueInfo('y', DataType.FLOAT, ['N', WINDOW, FEATURES.length]),
    initialisers: [floatTensor('W', [2, 2], Float32Array.from([k, 0, 0, k]))],
    nodes: [node('MatMul', ['x', 'W'], ['y'], [], 'scale')],
  });
}

export const rows = Array.from({ length: 64 }, (_, i) => [Math.sin(i / 3), Math.cos(i / 5)]);

/** Registers a ready fp32 version of `model` (scale k, stored anomaly threshold) for profile rpi4. */
export async function register(hub: HubHandle, k: number, threshold: number, recipe: Recipe = testRecipe(MODEL)): Promise<number> {
  const spec = fitPreprocess(rows, { features: FEATURES, imputation: { method: 'last' }, normalisation: 'zscore', window: { length: WINDOW, stride: 2 } });
  const v = await hub.registry.register({
    recipe,
    dataRange: { source: 'store', group: 'line', fromMs: 0, toMs: 1, rows: rows.length },
    files: { 'model.fp32.onnx': scaled(k), 'preprocess.json': new TextEncoder().encode(serialisePreprocessSpec(spec)) },
    complete: {
      status: 'ready', preprocess: spec,
      metrics: { fp32: {}, threshold: { threshold, rule: 'quantile', quantile: 0.99, windows: 30 } },
      variants: [{ variant: 'fp32', file: 'model.fp32.onnx', accepted: true }],
      plan: [{ profile: 'rpi4', variant: 'fp32', reason: 'profile rpi4: fp32', estimates: {} }],
    },
  });
  return v.version;
}

export type Stats = NonNullable<Encodable['reported']['shadow']>;

export const GOOD: Stats = { phase: 'running', inferences: 300, agreement: 0.98, championLatencyP99Ms: 4, challengerLatencyP99Ms: 4.5, challengerErrors: 0, scoreJs: 0.03 };

/** A device that runs what its desired state names and reports the shadow figures it is given. */
export class ShadowDevice {
  active: string | null = null;
  shadow: string | null = null;
  shadowStats: Stats | null = null;
  /** Retained chunk topics of its shadow bundle now held by the broker (an empty payload clears one). */
  readonly chunks = new Set<string>();
  #c: MqttClient | null = null;
  readonly #topics;

  /** `hub` is asked on each connect, so the device follows a restarted hub to its new port. */
  constructor(private readonly hub: () => HubHandle, private readonly fleet: string, readonly d: TestDevice, private readonly model = MODEL) {
    this.#topics = topicsFor(fleet);
  }

  async connect(): Promise<void> {
    const c = await connectDevice(this.hub().mqttUrl, this.fleet, this.d);
    this.#c = c;
    c.on('message', (topic, payload) => {
      if (topic.includes('/bundles/')) {
        if (payload.length > 0) this.chunks.add(topic);
        else this.chunks.delete(topic);
        return;
      }
      const m = decode('desired', new Uint8Array(payload));
      this.active = m.bundleId || null;
      const next = m.shadowBundleId || null;
      // A device dropped (closed by the test) while it acts on a message simply misses that step.
      if (next && next !== this.shadow) c.subscribeAsync(this.#topics.bundleChunks(next), { qos: 1 }).catch(() => undefined);
      this.shadow = next;
      this.report().catch(() => undefined);
    });
    await c.publishAsync(this.#topics.device(this.d.id, 'status'), Buffer.from(encode('status', { online: true, agentVersion: '0.3.0', profile: 'rpi4', tsMs: Date.now() })), { qos: 1, retain: true });
    await c.subscribeAsync(this.#topics.device(this.d.id, 'desired'), { qos: 1 });
  }

  get client(): MqttClient {
    return this.#c!;
  }

  async report(): Promise<void> {
    await publish(this.#c!, this.#topics.device(this.d.id, 'reported'), encode('reported', {
      tsMs: Date.now(), desiredBundle: this.active ?? '', profile: 'rpi4', agentVersion: '0.3.0', phase: this.active ? 'active' : 'idle',
      ...(this.active ? { active: { bundleId: this.active, model: this.model, version: 1, healthy: true }, inferences: 500, inferenceErrors: 0, latencyP99Ms: 4 } : {}),
      ...(this.shadow && this.shadowStats ? { shadow: { ...this.shadowStats, bundleId: this.shadow } } : {}),
    }));
  }

  /** Drops the connection as a hub restart would; what it knew of its twin is forgotten. */
  async close(): Promise<void> {
    await this.#c?.endAsync(true).catch(() => undefined);
    this.#c = null;
    this.active = null;
    this.shadow = null;
    this.chunks.clear();
  }
}
