/**
 * int8 quantisation of ONNX models: static QDQ (calibrated activations; weights per channel, or
 * per tensor where the channel scales are nearly equal; int32 bias) and dynamic MatMul/Gemm;
 * `inspectModel` validates an upload and says node by node what static quantisation would do.
 */
export { inspectModel, validateModel, MIN_OPSET, type ModelInfo, type NodeInfo, type TensorInfo } from './inspect.ts';
export { quantiseStatic, type StaticOptions, type QuantiseResult } from './static.ts';
export { quantiseDynamic } from './dynamic.ts';
export { DEFAULT_PERCENTILE, type CalibrationData } from './calibrate.ts';
export type { QuantReport, NodeReport, NodeStatus, WeightSummary } from './report.ts';
export { activationParams, quantiseWeightsPerChannel, quantiseLayerWeights, PER_TENSOR_MAX_SPREAD, quantiseBias, roundHalfEven, type ActivationType, type QParams } from './qmath.ts';
