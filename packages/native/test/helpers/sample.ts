import { createRequire } from 'node:module';
import type { NativeBuffer } from '../../src/index.js';
import { sampleBinary } from './build-addons.js';

/** The functions of test/addon-sample/sample.cc. */
export interface SampleAddon {
  createImage(width: number, height: number, channels: number): NativeBuffer;
  createImageHandle(width: number, height: number, channels: number): object;
  createCounterHandle(): object;
  imageInfo(handle: unknown): [number, number, number, number];
  exportHandleImage(handle: unknown): NativeBuffer;
  stridedSum(value: unknown): number;
  fillFloat64(value: unknown, x: number): void;
  holdBuffer(value: unknown): number;
  releaseHeld(): boolean;
  heldSum(): number | undefined;
  releaseTwice(value: unknown): [number, number, boolean, number];
  exportBytes(size: number): NativeBuffer;
  exportPattern(size: number, byte: number): NativeBuffer;
  exportBadLayout(kind: number): never;
  counters(): { liveImages: number; releasedBlocks: number; releasedOffThread: number };
  checkLayout(
    memorySize: number,
    offset: number,
    itemsize: number,
    format: string | null,
    len: number,
    shape: number[] | null,
    strides: number[] | null,
  ): number;
  emptyCall(): void;
  borrowRelease(value: unknown): void;
  borrowReleaseLoop(value: unknown, count: number): void;
}

export const sample: SampleAddon = createRequire(import.meta.url)(sampleBinary) as SampleAddon;

/** Forces full garbage collections and lets finalizers run. */
export async function collectGarbage(rounds = 6): Promise<void> {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let round = 0; round < rounds; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
