// The kit's assertion serves every package's tests.
export { expectBufferError } from '@interop/core/testing';

export const bytes = (...values: number[]): Uint8Array<ArrayBuffer> => new Uint8Array(values);
export const text = (value: string): Uint8Array<ArrayBuffer> => new Uint8Array(new TextEncoder().encode(value));
