/**
 * For the deployment tests: registered model versions whose plans give rpi4 fp32, rpi5 int8 and
 * nothing for rpi-zero-2w, and scripted devices: real MQTT clients with real ed25519 identities
 * that speak the device protocol (status birth, desired state in, reported state out) and answer
 * a desired bundle the way the test tells them to (install it, fail it, or keep quiet).
 */
import type { MqttClient } from 'mqtt';
import { DataType, floatTensor, node, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import { quantiseDynamic } from '../../cloud-hub/quantise/index.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { fitPreprocess, serialisePreprocessSpec } from '../../shared/features/index.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';
import { buildModel, seeded } from '../support/onnx-models.ts';
import { connectDevice, publish, topic, type TestDevice, type TestHub } from './hub-helpers.ts';
import { testRecipe } from './registry-pipeline.ts';

const T0 = Date.UTC(2026, 0, 1);
const WINDOW = 4;
const FEATURES = ['f0', 'f1'];

function mixer(seed: number): Uint8Array {
  const rand = seeded(seed);
  return buildModel({
    input: tensorValueInfo('x', DataType.FLOAT, ['N', WINDOW, FEATURES.length]),
    output: tensorValueInfo('y', DataType.FLOAT, ['N', WINDOW, FEATURES.length]),
    initialisers: [floatTensor('W', [2, 2], Float32Array.from({ length: 4 }, () => rand() * 2 - 1)), floatTensor('B', [2], Float32Array.from([0.05, -0.05]))],
    nodes: [node('MatMul', ['x', 'W'], ['m'], [], 'mix'), node('Add', ['m', 'B'], ['y'], [], 'bias')],
  });
}

/** Registers a ready version of `name`: fp32 for rpi4, int8 for rpi5, nothing fits rpi-zero-2w. */
export async function registerVersion(t: TestHub, name: string, seed: number): Promise<number> {
  const rows = Array.from({ length: 64 }, (_, i) => [Math.sin(i / 3), Math.cos(i / 5)]);
  if (!(await t.hub.store.getDevice('trainer-src'))) {
    await t.hub.provision({ id: 'trainer-src', group: 'training', profile: 'rpi4', publicKey: toBase64(generateKeyPair().publicKey) });
    await t.hub.store.writeTelemetry([{
      device: 'trainer-src', stream: 'vib', firstSeq: 1, features: FEATURES, droppedTotal: 0, backlog: 0, receivedAtMs: T0,
      readings: rows.map((values, i) => ({ tsMs: T0 + i * 1000, values })),
    }]);
  }
  const spec = fitPreprocess(rows, { features: FEATURES, imputation: { method: 'last' }, normalisation: 'zscore', window: { length: WINDOW, stride: 2 } });
  const fp32 = mixer(seed);
  const int8 = (await quantiseDynamic(fp32)).model;
  const v = await t.hub.registry.register({
    recipe: testRecipe(name),
    dataRange: { source: 'store', device: 'trainer-src', fromMs: T0, toMs: T0 + 63_000, rows: rows.length },
    files: { 'model.fp32.onnx': fp32, 'model.int8.onnx': int8, 'preprocess.json': new TextEncoder().encode(serialisePreprocessSpec(spec)) },
    complete: {
      status: 'ready', preprocess: spec,
      metrics: { fp32: { mse: 0.01 }, int8: { mse: 0.012 } },
      variants: [{ variant: 'fp32', file: 'model.fp32.onnx', accepted: true }, { variant: 'int8', file: 'model.int8.onnx', accepted: true }],
      plan: [
        { profile: 'rpi4', variant: 'fp32', reason: 'profile rpi4: fp32', estimates: {} },
        { profile: 'rpi5', variant: 'int8', reason: 'profile rpi5: int8', estimates: {} },
        { profile: 'rpi-zero-2w', variant: null, reason: 'profile rpi-zero-2w: estimated latency 412 ms, over inferenceLatencyBudgetMs 250 ms', estimates: {} },
      ],
    },
  });
  return v.version;
}

/** How a scripted device answers a desired bundle. */
export type Behaviour = 'install' | 'fail' | 'quiet';

export class ScriptedDevice {
  behaviour: Behaviour = 'install';
  active: string | null = null;
  desired: string | null = null;
  /** Figures it reports for the bundle it runs. */
  figures = { inferences: 500, inferenceErrors: 0, latencyP99Ms: 4 };
  #client: MqttClient | null = null;

  constructor(private readonly t: TestHub, readonly d: TestDevice, readonly profile: string) {}

  async connect(): Promise<void> {
    const c = await connectDevice(this.t.hub.mqttUrl, this.t.fleet, this.d);
    this.#client = c;
    c.on('message', (_topic, payload) => {
      const m = decode('desired', new Uint8Array(payload));
      this.desired = m.bundleId || null;
      void this.#answer().catch((e: unknown) => { console.error(`scripted device ${this.d.id}:`, e); });
    });
    await c.publishAsync(topic(this.t.fleet, this.d.id, 'status'), Buffer.from(encode('status', {
      online: true, agentVersion: '0.3.0', profile: this.profile, tsMs: Date.now(),
    })), { qos: 1, retain: true });
    await c.subscribeAsync(topic(this.t.fleet, this.d.id, 'desired'), { qos: 1 });
  }

  /** Reports as its behaviour says about the desired bundle it holds now. */
  async #answer(): Promise<void> {
    if (this.behaviour === 'quiet') return;
    const want = this.desired;
    if (this.behaviour === 'fail' && want !== null && want !== this.active) {
      await this.report({ phase: 'rolled-back', failedBundle: want, errorCode: 'EH_BUNDLE_HEALTH', errorMessage: 'health check output off by 0.4' });
      return;
    }
    this.active = want;
    await this.report({ phase: want === null ? 'idle' : 'active' });
  }

  /** Answers the desired state it holds now (after a change of behaviour). */
  answerNow(): Promise<void> {
    return this.#answer();
  }

  async report(more: { phase: string; failedBundle?: string; errorCode?: string; errorMessage?: string }): Promise<void> {
    const running = this.active !== null;
    await publish(this.#client!, topic(this.t.fleet, this.d.id, 'reported'), encode('reported', {
      tsMs: Date.now(), desiredBundle: this.desired ?? '', profile: this.profile, agentVersion: '0.3.0',
      ...(running ? { active: { bundleId: this.active!, model: 'pump-ae', version: 1, healthy: true } } : {}),
      ...(running ? this.figures : {}),
      ...more,
    }));
  }

  async close(): Promise<void> {
    await this.#client?.endAsync().catch(() => undefined);
  }
}

export async function provisionScripted(t: TestHub, id: string, group: string, profile: string): Promise<ScriptedDevice> {
  const keys = generateKeyPair();
  await t.hub.provision({ id, group, profile, publicKey: toBase64(keys.publicKey) });
  return new ScriptedDevice(t, { id, keys, lastTs: 0 }, profile);
}
