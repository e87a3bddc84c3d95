/** ONNX export: ModelGraph → ONNX bytes, TF.js LayersModel ↔ ModelGraph, and the parity check between them. */
export { exportOnnx, samePads, BATCH_DIM, PRODUCER_NAME, type ExportOptions } from './onnx-export.ts';
export { layersModelToGraph, SUPPORTED_LAYER_CLASSES } from './layers-model.ts';
export { graphToLayersModel } from './graph-to-layers.ts';
export { checkParity, referenceOutput, DEFAULT_PARITY_TOLERANCE, type ParityInput, type ParityReport } from './parity.ts';
