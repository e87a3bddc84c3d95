export * from './topics.ts';
export * from './acl.ts';
export * from './codec.ts';
export * from './limits.ts';
export * from './streams.ts';
export type * from './messages.ts';
export { Messages, type WireKind } from './messages.ts';
