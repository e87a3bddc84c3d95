/** Running exported models (ONNX Runtime), shared by the hub's evaluator and the agent's runtime. */
export { OnnxSession, loadOrt, type OnnxSessionOptions, type RunResult } from './onnx-session.ts';
export { defaultOrtPath, type OrtPath } from './ort-direct.ts';
export {
  reconstructionScore, reconstructionScores, forecastResidualScore, forecastResidualScores, isAnomaly,
  argmax, softmax, classifyBatch, type Classified,
} from './scores.ts';
