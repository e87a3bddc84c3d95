/** What the quantiser did, node by node: stored with the model variant and shown to uploaders. */
import type { QParams } from './qmath.ts';

export type NodeStatus = 'quantised' | 'folded' | 'float';

export interface WeightSummary {
  readonly tensor: string;
  readonly channels: number;
  readonly axis: number;
  readonly scaleMin: number;
  readonly scaleMax: number;
  /**
   * One scale and zero point for the whole weight (its channel scales spread by at most
   * the static options' perTensorMaxSpread); scaleMin/scaleMax are still the per-channel scales
   * it was judged on. false: one scale and zero point per channel.
   */
  readonly perTensor?: boolean;
}

export interface NodeReport {
  readonly name: string;
  readonly opType: string;
  readonly status: NodeStatus;
  /** How it was quantised (status quantised/folded) or why not (float). */
  readonly detail: string;
  readonly input?: QParams;
  readonly output?: QParams;
  readonly weight?: WeightSummary;
  /** Bias channels whose int32 value had to be clamped (should be 0). */
  readonly biasClamped?: number;
}

export interface QuantReport {
  readonly mode: 'static' | 'dynamic';
  readonly method?: 'minmax' | 'percentile';
  readonly percentile?: number;
  readonly activationType?: 'uint8' | 'int8';
  /** Weight precision inside the int8 tensors: 7 (|q| ≤ 63, the default; exact on x86 without VNNI) or 8. */
  readonly weightBits?: 7 | 8;
  readonly calibrationRows?: number;
  readonly nodes: readonly NodeReport[];
  readonly quantisedNodes: number;
  readonly floatNodes: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export function summarise(nodes: readonly NodeReport[]): { quantisedNodes: number; floatNodes: number } {
  return {
    quantisedNodes: nodes.filter((n) => n.status === 'quantised').length,
    floatNodes: nodes.filter((n) => n.status === 'float').length,
  };
}
