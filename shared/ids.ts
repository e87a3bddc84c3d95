import { EdgehiveError } from './errors/index.ts';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type DeviceId = Brand<string, 'DeviceId'>;
export type FleetId = Brand<string, 'FleetId'>;
export type GroupId = Brand<string, 'GroupId'>;
export type BundleId = Brand<string, 'BundleId'>;
export type StreamName = Brand<string, 'StreamName'>;

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidId(s: unknown): s is string {
  return typeof s === 'string' && ID_PATTERN.test(s);
}

function make<T extends string>(what: string) {
  return (s: string): T => {
    if (!isValidId(s)) {
      throw new EdgehiveError('EH_ID_INVALID', `${what} ${JSON.stringify(s)} is not valid: use 1-64 characters from A-Z a-z 0-9 _ -`, { what, value: s });
    }
    return s as T;
  };
}

export const deviceId = make<DeviceId>('device id');
export const fleetId = make<FleetId>('fleet id');
export const groupId = make<GroupId>('group id');
export const bundleId = make<BundleId>('bundle id');
export const streamName = make<StreamName>('stream name');
