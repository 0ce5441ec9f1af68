// The arithmetic of vectors and matrices. Every loop runs over one concrete TypedArray type so V8
// keeps it monomorphic: float64 and complex work in Float64Array; narrower integers and float32
// are widened to Float64Array (exact for integers: the sums stay far below 2^53) and narrowed once
// on store, which wraps integers modulo 2^bits as C++ does; 32-bit integers use Math.imul so
// products wrap instead of losing bits; 64-bit integers use bigint arrays, whose stores wrap.
import type { AnyData, BigData, ElementInfo, NumberData } from './element-info.js';
import type { AnyValue } from './values.js';

/** A storage array reinterpreted or widened for arithmetic. */
type Work =
  | { readonly kind: 'real'; readonly data: Float64Array }
  | { readonly kind: 'complex'; readonly data: Float64Array }
  | { readonly kind: 'int32'; readonly data: Int32Array }
  | { readonly kind: 'bigint'; readonly data: BigInt64Array };

function work(info: ElementInfo, data: AnyData): Work {
  switch (info.kind) {
    case 'float64':
      return { kind: 'real', data: data as Float64Array };
    case 'small':
      return { kind: 'real', data: Float64Array.from(data as NumberData) };
    case 'int32':
      return { kind: 'int32', data: data instanceof Int32Array ? data : new Int32Array(data.buffer, data.byteOffset, data.length) };
    case 'bigint':
      return { kind: 'bigint', data: data instanceof BigInt64Array ? data : new BigInt64Array(data.buffer, data.byteOffset, data.length) };
    case 'complex':
      return { kind: 'complex', data: data instanceof Float64Array ? data : Float64Array.from(data as NumberData) };
  }
}

/** A zeroed work array for results that will land in `out`, and the step that stores it there. */
function workOut(info: ElementInfo, out: AnyData): { work: Work; store: () => void } {
  const direct = info.kind === 'float64' || info.kind === 'int32' || info.kind === 'bigint' || out instanceof Float64Array;
  if (direct) return { work: work(info, out), store: noop };
  const wide = new Float64Array(out.length);
  return { work: { kind: info.kind === 'complex' ? 'complex' : 'real', data: wide }, store: () => (out as NumberData).set(wide) };
}

function noop(): void {}

/** Converts a scalar to the element type as C++ would (wrap, truncate, round to float32). */
export function castScalar(info: ElementInfo, value: number | bigint): number | bigint {
  const scratch = info.create(1);
  (scratch as unknown as (number | bigint)[])[0] = value;
  return scratch[0]!;
}

export function addInto(a: AnyData, b: AnyData, out: AnyData, sign: 1 | -1): void {
  const n = out.length;
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    const x = a as BigData;
    const y = b as BigData;
    if (sign === 1) for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!;
    else for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!;
    return;
  }
  const x = a as NumberData;
  const y = b as NumberData;
  const o = out;
  if (sign === 1) for (let i = 0; i < n; i++) o[i] = x[i]! + y[i]!;
  else for (let i = 0; i < n; i++) o[i] = x[i]! - y[i]!;
}

/** `out = a * factor`, with `factor` already validated for the type. */
export function scaleInto(info: ElementInfo, a: AnyData, factor: AnyValue, out: AnyData): void {
  const n = out.length;
  if (info.kind === 'bigint') {
    const s = factor as bigint;
    const x = a as BigData;
    const o = out as BigData;
    for (let i = 0; i < n; i++) o[i] = x[i]! * s;
  } else if (info.kind === 'complex') {
    const [sr, si] = factor as readonly [number, number];
    const x = a as NumberData;
    const o = out as NumberData;
    for (let i = 0; i < n; i += 2) {
      const re = x[i]!;
      const im = x[i + 1]!;
      o[i] = re * sr - im * si;
      o[i + 1] = re * si + im * sr;
    }
  } else if (info.kind === 'int32') {
    const s = castScalar(info, factor as number) as number;
    const x = a as NumberData;
    const o = out as NumberData;
    for (let i = 0; i < n; i++) o[i] = Math.imul(x[i]!, s);
  } else {
    const s = castScalar(info, factor as number) as number;
    const x = a as NumberData;
    const o = out as NumberData;
    for (let i = 0; i < n; i++) o[i] = x[i]! * s;
  }
}

/** Sum of `a[i] * b[i]` (no conjugation, as vnl's dot_product), in the element type. */
export function dot(info: ElementInfo, a: AnyData, b: AnyData): AnyValue {
  const wa = work(info, a);
  const wb = work(info, b);
  const n = a.length;
  switch (wa.kind) {
    case 'real': {
      const x = wa.data;
      const y = wb.data as Float64Array;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[i]! * y[i]!;
      return castScalar(info, sum);
    }
    case 'int32': {
      const x = wa.data;
      const y = wb.data as Int32Array;
      let sum = 0;
      for (let i = 0; i < n; i++) sum = (sum + Math.imul(x[i]!, y[i]!)) | 0;
      return castScalar(info, sum);
    }
    case 'bigint': {
      const x = wa.data;
      const y = wb.data as BigInt64Array;
      let sum = 0n;
      for (let i = 0; i < n; i++) sum += x[i]! * y[i]!;
      return castScalar(info, sum);
    }
    case 'complex': {
      const x = wa.data;
      const y = wb.data as Float64Array;
      let re = 0;
      let im = 0;
      for (let i = 0; i < n; i += 2) {
        const xr = x[i]!;
        const xi = x[i + 1]!;
        const yr = y[i]!;
        const yi = y[i + 1]!;
        re += xr * yr - xi * yi;
        im += xr * yi + xi * yr;
      }
      return [castScalar(info, re) as number, castScalar(info, im) as number];
    }
  }
}

/** `out (rows) = A (rows x columns) * x (columns)`. */
export function matrixVector(info: ElementInfo, a: AnyData, rows: number, columns: number, x: AnyData, out: AnyData): void {
  const wa = work(info, a);
  const wx = work(info, x);
  const { work: wo, store } = workOut(info, out);
  switch (wa.kind) {
    case 'real': {
      const m = wa.data;
      const v = wx.data as Float64Array;
      const o = wo.data as Float64Array;
      for (let i = 0; i < rows; i++) {
        const row = i * columns;
        let sum = 0;
        for (let j = 0; j < columns; j++) sum += m[row + j]! * v[j]!;
        o[i] = sum;
      }
      break;
    }
    case 'int32': {
      const m = wa.data;
      const v = wx.data as Int32Array;
      const o = wo.data as Int32Array;
      for (let i = 0; i < rows; i++) {
        const row = i * columns;
        let sum = 0;
        for (let j = 0; j < columns; j++) sum = (sum + Math.imul(m[row + j]!, v[j]!)) | 0;
        o[i] = sum;
      }
      break;
    }
    case 'bigint': {
      const m = wa.data;
      const v = wx.data as BigInt64Array;
      const o = wo.data as BigInt64Array;
      for (let i = 0; i < rows; i++) {
        const row = i * columns;
        let sum = 0n;
        for (let j = 0; j < columns; j++) sum += m[row + j]! * v[j]!;
        o[i] = sum;
      }
      break;
    }
    case 'complex': {
      const m = wa.data;
      const v = wx.data as Float64Array;
      const o = wo.data as Float64Array;
      for (let i = 0; i < rows; i++) {
        const row = i * columns * 2;
        let re = 0;
        let im = 0;
        for (let j = 0; j < columns; j++) {
          const mr = m[row + 2 * j]!;
          const mi = m[row + 2 * j + 1]!;
          const vr = v[2 * j]!;
          const vi = v[2 * j + 1]!;
          re += mr * vr - mi * vi;
          im += mr * vi + mi * vr;
        }
        o[2 * i] = re;
        o[2 * i + 1] = im;
      }
      break;
    }
  }
  store();
}

/**
 * Rows of B processed per pass of the matrix product: a block of B small enough (~256 KiB) to
 * stay in cache while every row of A streams past it. The per-element summation order is still
 * k = 0, 1, 2..., so blocking changes speed, never results.
 */
function kBlock(columns: number): number {
  return Math.max(8, Math.floor(32768 / Math.max(1, columns)));
}

/**
 * Real float64 product `c (n x p) += a (n x m) * b (m x p)`: i-k-j order over blocks of k, two
 * rows of A and four rows of B per pass of the innermost loop (each loaded B element feeds two
 * rows of C, each C element is loaded and stored once per four k). The additions are written
 * left to right, so every C element still sums its products in k = 0, 1, 2... order: the result
 * is bit-identical to the textbook loop, only faster.
 */
export function matmulFloat64(a: Float64Array, b: Float64Array, c: Float64Array, n: number, m: number, p: number): void {
  const block = kBlock(p);
  for (let k0 = 0; k0 < m; k0 += block) {
    const k1 = Math.min(m, k0 + block);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const ci = i * p;
      const cj = ci + p;
      const ai = i * m;
      const aj = ai + m;
      let k = k0;
      for (; k + 3 < k1; k += 4) {
        const a0 = a[ai + k]!;
        const a1 = a[ai + k + 1]!;
        const a2 = a[ai + k + 2]!;
        const a3 = a[ai + k + 3]!;
        const d0 = a[aj + k]!;
        const d1 = a[aj + k + 1]!;
        const d2 = a[aj + k + 2]!;
        const d3 = a[aj + k + 3]!;
        const b0 = k * p;
        const b1 = b0 + p;
        const b2 = b1 + p;
        const b3 = b2 + p;
        for (let j = 0; j < p; j++) {
          const x0 = b[b0 + j]!;
          const x1 = b[b1 + j]!;
          const x2 = b[b2 + j]!;
          const x3 = b[b3 + j]!;
          c[ci + j] = c[ci + j]! + a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
          c[cj + j] = c[cj + j]! + d0 * x0 + d1 * x1 + d2 * x2 + d3 * x3;
        }
      }
      for (; k < k1; k++) {
        const aik = a[ai + k]!;
        const ajk = a[aj + k]!;
        const bk = k * p;
        for (let j = 0; j < p; j++) {
          const x = b[bk + j]!;
          c[ci + j]! += aik * x;
          c[cj + j]! += ajk * x;
        }
      }
    }
    for (; i < n; i++) {
      const ci = i * p;
      const ai = i * m;
      for (let k = k0; k < k1; k++) {
        const aik = a[ai + k]!;
        const bk = k * p;
        for (let j = 0; j < p; j++) c[ci + j]! += aik * b[bk + j]!;
      }
    }
  }
}

function matmulInt32(a: Int32Array, b: Int32Array, c: Int32Array, n: number, m: number, p: number): void {
  const block = kBlock(p);
  for (let k0 = 0; k0 < m; k0 += block) {
    const k1 = Math.min(m, k0 + block);
    for (let i = 0; i < n; i++) {
      const ci = i * p;
      const ai = i * m;
      for (let k = k0; k < k1; k++) {
        const aik = a[ai + k]!;
        const bk = k * p;
        for (let j = 0; j < p; j++) c[ci + j] = c[ci + j]! + Math.imul(aik, b[bk + j]!);
      }
    }
  }
}

function matmulBigInt(a: BigInt64Array, b: BigInt64Array, c: BigInt64Array, n: number, m: number, p: number): void {
  for (let i = 0; i < n; i++) {
    const ci = i * p;
    const ai = i * m;
    for (let k = 0; k < m; k++) {
      const aik = a[ai + k]!;
      const bk = k * p;
      for (let j = 0; j < p; j++) c[ci + j] = c[ci + j]! + aik * b[bk + j]!;
    }
  }
}

function matmulComplex(a: Float64Array, b: Float64Array, c: Float64Array, n: number, m: number, p: number): void {
  const block = kBlock(2 * p);
  for (let k0 = 0; k0 < m; k0 += block) {
    const k1 = Math.min(m, k0 + block);
    for (let i = 0; i < n; i++) {
      const ci = 2 * i * p;
      const ai = 2 * i * m;
      for (let k = k0; k < k1; k++) {
        const ar = a[ai + 2 * k]!;
        const ak = a[ai + 2 * k + 1]!;
        const bk = 2 * k * p;
        for (let j = 0; j < 2 * p; j += 2) {
          const br = b[bk + j]!;
          const bi = b[bk + j + 1]!;
          c[ci + j]! += ar * br - ak * bi;
          c[ci + j + 1]! += ar * bi + ak * br;
        }
      }
    }
  }
}

/** `out (n x p) = a (n x m) * b (m x p)`; `out` must be zeroed. */
export function matrixProduct(info: ElementInfo, a: AnyData, b: AnyData, out: AnyData, n: number, m: number, p: number): void {
  const wa = work(info, a);
  const wb = work(info, b);
  const { work: wo, store } = workOut(info, out);
  switch (wa.kind) {
    case 'real':
      matmulFloat64(wa.data, wb.data as Float64Array, wo.data as Float64Array, n, m, p);
      break;
    case 'int32':
      matmulInt32(wa.data, wb.data as Int32Array, wo.data as Int32Array, n, m, p);
      break;
    case 'bigint':
      matmulBigInt(wa.data, wb.data as BigInt64Array, wo.data as BigInt64Array, n, m, p);
      break;
    case 'complex':
      matmulComplex(wa.data, wb.data as Float64Array, wo.data as Float64Array, n, m, p);
      break;
  }
  store();
}

/** `out (q x r) = x (q) outer y (r)`. */
export function outerInto(info: ElementInfo, x: AnyData, y: AnyData, out: AnyData, q: number, r: number): void {
  const wx = work(info, x);
  const wy = work(info, y);
  const { work: wo, store } = workOut(info, out);
  switch (wx.kind) {
    case 'real': {
      const u = wx.data;
      const v = wy.data as Float64Array;
      const o = wo.data as Float64Array;
      for (let i = 0; i < q; i++) {
        const ui = u[i]!;
        for (let j = 0; j < r; j++) o[i * r + j] = ui * v[j]!;
      }
      break;
    }
    case 'int32': {
      const u = wx.data;
      const v = wy.data as Int32Array;
      const o = wo.data as Int32Array;
      for (let i = 0; i < q; i++) {
        const ui = u[i]!;
        for (let j = 0; j < r; j++) o[i * r + j] = Math.imul(ui, v[j]!);
      }
      break;
    }
    case 'bigint': {
      const u = wx.data;
      const v = wy.data as BigInt64Array;
      const o = wo.data as BigInt64Array;
      for (let i = 0; i < q; i++) {
        const ui = u[i]!;
        for (let j = 0; j < r; j++) o[i * r + j] = ui * v[j]!;
      }
      break;
    }
    case 'complex': {
      const u = wx.data;
      const v = wy.data as Float64Array;
      const o = wo.data as Float64Array;
      for (let i = 0; i < q; i++) {
        const ur = u[2 * i]!;
        const ui = u[2 * i + 1]!;
        for (let j = 0; j < r; j++) {
          const vr = v[2 * j]!;
          const vi = v[2 * j + 1]!;
          o[2 * (i * r + j)] = ur * vr - ui * vi;
          o[2 * (i * r + j) + 1] = ur * vi + ui * vr;
        }
      }
      break;
    }
  }
  store();
}

/** Copies the transpose of `a` (rows x columns) into `out` (columns x rows), in cache-sized tiles. */
export function transposeInto(a: AnyData, rows: number, columns: number, components: 1 | 2, out: AnyData): void {
  const tile = 32;
  const src = a as unknown as (number | bigint)[];
  const dst = out as unknown as (number | bigint)[];
  for (let i0 = 0; i0 < rows; i0 += tile) {
    const i1 = Math.min(rows, i0 + tile);
    for (let j0 = 0; j0 < columns; j0 += tile) {
      const j1 = Math.min(columns, j0 + tile);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          const from = (i * columns + j) * components;
          const to = (j * rows + i) * components;
          dst[to] = src[from]!;
          if (components === 2) dst[to + 1] = src[from + 1]!;
        }
      }
    }
  }
}

/** Absolute value (modulus for complex) of every element, as float64. */
function magnitudes(info: ElementInfo, data: AnyData): Float64Array {
  const n = data.length / info.components;
  const out = new Float64Array(n);
  if (info.kind === 'bigint') {
    const x = data as BigData;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = Number(v < 0n ? -v : v);
    }
  } else if (info.components === 2) {
    const x = data as NumberData;
    for (let i = 0; i < n; i++) out[i] = Math.hypot(x[2 * i]!, x[2 * i + 1]!);
  } else {
    const x = data as NumberData;
    for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
  }
  return out;
}

export interface Norms {
  readonly one: number;
  readonly two: number;
  readonly inf: number;
}

/** Sum of magnitudes, root of the sum of squared magnitudes, largest magnitude. */
export function norms(info: ElementInfo, data: AnyData): Norms {
  const m = magnitudes(info, data);
  let one = 0;
  let inf = 0;
  for (let i = 0; i < m.length; i++) {
    const v = m[i]!;
    one += v;
    if (v > inf || Number.isNaN(v)) inf = v;
  }
  // Squares are summed relative to the largest magnitude so that neither overflow nor underflow
  // decides the result.
  const scale = inf;
  let squares = 0;
  if (scale > 0 && Number.isFinite(scale)) {
    for (let i = 0; i < m.length; i++) {
      const r = m[i]! / scale;
      squares += r * r;
    }
  }
  const two = scale > 0 && Number.isFinite(scale) ? scale * Math.sqrt(squares) : scale;
  return { one, two, inf };
}

/** Operator norms of a matrix: the largest column sum (one) and largest row sum (inf) of magnitudes. */
export function operatorNorms(info: ElementInfo, data: AnyData, rows: number, columns: number): { one: number; inf: number } {
  const m = magnitudes(info, data);
  const columnSums = new Float64Array(columns);
  let inf = 0;
  for (let i = 0; i < rows; i++) {
    let rowSum = 0;
    for (let j = 0; j < columns; j++) {
      const v = m[i * columns + j]!;
      rowSum += v;
      columnSums[j]! += v;
    }
    if (rowSum > inf || Number.isNaN(rowSum)) inf = rowSum;
  }
  let one = 0;
  for (let j = 0; j < columns; j++) if (columnSums[j]! > one || Number.isNaN(columnSums[j]!)) one = columnSums[j]!;
  return { one, inf };
}

/** Sum of the elements in the element type (integers wrap), and their mean as float64. */
export function sumAndMean(info: ElementInfo, data: AnyData): { sum: AnyValue; mean: AnyValue } {
  const n = data.length / info.components;
  if (info.kind === 'bigint') {
    const x = data as BigData;
    let total = 0n;
    for (let i = 0; i < n; i++) total += x[i]!;
    return { sum: castScalar(info, total), mean: n === 0 ? Number.NaN : Number(total) / n };
  }
  const x = data as NumberData;
  if (info.components === 2) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < 2 * n; i += 2) {
      re += x[i]!;
      im += x[i + 1]!;
    }
    return { sum: [castScalar(info, re) as number, castScalar(info, im) as number], mean: [re / n, im / n] };
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i]!;
  return { sum: castScalar(info, total), mean: total / n };
}

/** Smallest and largest element of a real (non-complex), non-empty array, by `<` and `>` as vnl compares (NaN never wins). */
export function minMax(info: ElementInfo, data: AnyData): { min: number | bigint; max: number | bigint } {
  if (info.kind === 'bigint') {
    const x = data as BigData;
    let min = x[0]!;
    let max = min;
    for (let i = 1; i < x.length; i++) {
      const v = x[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { min, max };
  }
  const x = data as NumberData;
  let min = x[0]!;
  let max = min;
  for (let i = 1; i < x.length; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** Element-wise equality within `tolerance` (absolute; the modulus of the difference for complex). */
export function equalWithin(info: ElementInfo, a: AnyData, b: AnyData, tolerance: number): boolean {
  const n = a.length;
  if (info.kind === 'bigint') {
    const x = a as BigData;
    const y = b as BigData;
    for (let i = 0; i < n; i++) {
      const d = x[i]! - y[i]!;
      if (Number(d < 0n ? -d : d) > tolerance) return false;
    }
    return true;
  }
  const x = a as NumberData;
  const y = b as NumberData;
  if (info.components === 2) {
    for (let i = 0; i < n; i += 2) {
      if (!(Math.hypot(x[i]! - y[i]!, x[i + 1]! - y[i + 1]!) <= tolerance)) return false;
    }
    return true;
  }
  for (let i = 0; i < n; i++) if (!(Math.abs(x[i]! - y[i]!) <= tolerance)) return false;
  return true;
}
