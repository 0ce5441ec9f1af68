import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { handleTypeName, isHandleReleased, isNativeHandle, releaseHandle, NativeError } from '../src/index.js';
import { collectGarbage, sample } from './helpers/sample.js';

describe('native handles (std::shared_ptr passed to JavaScript and back)', () => {
  it('round-trips a shared_ptr and counts references', () => {
    const handle = sample.createImageHandle(7, 5, 3);
    expect(isNativeHandle(handle)).toBe(true);
    expect(handleTypeName(handle)).toBe('Image');
    // The handle holds one reference; imageInfo holds a second while it runs.
    expect(sample.imageInfo(handle)).toEqual([7, 5, 3, 2]);
  });

  it('exposes no integer pointer and cannot be edited', () => {
    const handle = sample.createImageHandle(1, 1, 1);
    expect(Object.isFrozen(handle)).toBe(true);
    const values = [...Object.values(handle), ...Object.getOwnPropertySymbols(handle).map((key) => (handle as Record<symbol, unknown>)[key])];
    for (const value of values) expect(typeof value === 'number' || typeof value === 'bigint').toBe(false);
    expect(() => Object.defineProperty(handle, 'typeName', { value: 'Counter' })).toThrow(TypeError);
  });

  it('checks the type tag on unwrap', () => {
    expectErrorCode(() => sample.imageInfo(sample.createCounterHandle()), 'ERR_NATIVE_HANDLE_TYPE', { family: NativeError });
    expectErrorCode(() => sample.imageInfo({}), 'ERR_NATIVE_NOT_A_HANDLE', { family: NativeError });
    expectErrorCode(() => sample.imageInfo({ typeName: 'Image' }), 'ERR_NATIVE_NOT_A_HANDLE', { family: NativeError });
    const forged = Object.create(sample.createImageHandle(1, 1, 1)) as object;
    expectErrorCode(() => sample.imageInfo(forged), 'ERR_NATIVE_NOT_A_HANDLE', { family: NativeError });
    expect(isNativeHandle({})).toBe(false);
    expect(isNativeHandle(42)).toBe(false);
    expectErrorCode(() => handleTypeName({}), 'ERR_NATIVE_NOT_A_HANDLE', { family: NativeError });
  });

  it('releaseHandle drops the reference now; later unwraps are refused', async () => {
    await collectGarbage();
    const live = sample.counters().liveImages;
    const handle = sample.createImageHandle(2, 2, 1);
    expect(sample.counters().liveImages).toBe(live + 1);
    releaseHandle(handle);
    releaseHandle(handle);
    expect(isHandleReleased(handle)).toBe(true);
    expect(sample.counters().liveImages).toBe(live);
    expectErrorCode(() => sample.imageInfo(handle), 'ERR_BUFFER_RELEASED', { family: NativeError });
  });

  it('drops the reference when the handle is garbage-collected', async () => {
    await collectGarbage();
    const live = sample.counters().liveImages;
    const refs: { handle?: object } = { handle: sample.createImageHandle(3, 3, 1) };
    expect(sample.counters().liveImages).toBe(live + 1);
    delete refs.handle;
    await collectGarbage();
    expect(sample.counters().liveImages).toBe(live);
  });

  it('lets a handle and a buffer share one object: the pixels outlive the released handle', async () => {
    await collectGarbage();
    const live = sample.counters().liveImages;
    const handle = sample.createImageHandle(4, 2, 1);
    const refs: { pixels?: object } = { pixels: sample.exportHandleImage(handle) };
    releaseHandle(handle);
    expect(sample.counters().liveImages).toBe(live + 1);
    expect(sample.stridedSum(refs.pixels)).toBe((7 * 8) / 2);
    delete refs.pixels;
    await collectGarbage();
    expect(sample.counters().liveImages).toBe(live);
  });
});
