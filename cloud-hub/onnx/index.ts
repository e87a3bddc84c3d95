/** The ONNX format: schema subset (onnx.proto → generated/), codec, and graph-building helpers. */
export { decodeModel, encodeModel, defaultOpset, IR_VERSION, OPSET, MS_DOMAIN, onnx, type ModelProto, type GraphProto } from './codec.ts';
export { DataType, attr, floatData, floatTensor, int8Tensor, int32Tensor, int64Tensor, node, tensorValueInfo, uint8Tensor, type DataTypeCode } from './build.ts';
