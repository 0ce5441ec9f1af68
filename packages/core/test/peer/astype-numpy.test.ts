// Peer test: NumPy computes, for every pair of numeric formats, every casting rule and every
// rounding/clamp option, what astype gives: np.can_cast for the rules; for the values,
// `astype(np.rint(x))`, `np.clip(...)` etc. on arrays holding NaN, ±inf, -0.0, halves,
// fractions and values just inside and outside every integer range. The raw source bytes come
// from NumPy too, so both sides convert the very same items.
//
// Where NumPy's own result is undefined (it warns "invalid value encountered in cast": float ->
// integer of NaN, ±inf or values outside the target's range), the expected value is the
// documented rule of MemoryView.astype instead (NaN and ±inf give 0, others truncate and wrap
// modulo 2^N), computed here in Python from the value. With clamp the expected value is exact
// saturation (NumPy's clip would overflow at the 64-bit bounds, which round to 2^63 / 2^64).
import { pythonPeer } from '@interop/config/python';
import { describe, expect, it } from 'vitest';
import { BufferError, BufferFlags, canCast, MemoryView, parseFormat, type Casting, type MemoryViewValue, type Rounding } from '../../src/index.js';

const peer = pythonPeer(['numpy']);

const script = String.raw`
import json, math, sys, warnings
import numpy as np

codes = {'?':'?','b':'i1','B':'u1','h':'i2','H':'u2','i':'i4','I':'u4','q':'i8','Q':'u8','e':'f2','f':'f4','d':'f8','Zf':'c8','Zd':'c16'}
castings = ['no', 'equiv', 'safe', 'same_kind', 'unsafe']
floats = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, 0.7, -0.7, 3.3, -3.7,
          126.5, 127.0, 127.5, 128.0, -128.5, -129.0, 254.5, 255.0, 255.5, 256.0, 300.7, -300.7,
          32767.5, 32768.0, -32769.0, 65504.0, 65519.99, 65520.0, 70000.7, 2.0**31 - 0.5, 2.0**31, -2.0**31 - 1,
          4294967295.5, 2.0**32, 1e10, -1e10, 2.0**53 + 2, 2.0**62 + 2.0**40, 2.0**63, -2.0**63, 2.0**64, -2.0**64,
          1e20, -1e20, 3.5e38, -3.5e38, 1e300, 1e-8, 5e-324, math.nan, math.inf, -math.inf,
          1 + 2.0**-11, 1 + 3 * 2.0**-11, -(1 + 2.0**-11 + 2.0**-40), 2049.0, 2051.0, 6.1e-5, 3e-8, 2.0**-25, 65505.0, 0.1, 1 / 3]
ints = [0, 1, -1, 2, 100, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65504, 65519, 65520, 65535, 65536,
        2049, 2051, 16777217, 16777219, 2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32 - 1, 2**32, 2**53 + 1, -(2**53 + 1), 2**62 + 2**38 + 1,
        -(2**62 + 2**38 + 1), 2**63 - 512, 2**63 - 1, -2**63, 2**63, 2**64 - 1]
complexes = [complex(1.5, -2.5), complex(0.0, 1.0), complex(0.0, -0.0), complex(-0.5, 0.5), complex(2.5, 3.5), complex(300.7, -1e10),
             complex(math.nan, 0.0), complex(0.0, math.nan), complex(math.inf, -math.inf), complex(-1e20, 1e300), complex(65520.0, -70000.7)]

def source(code):
    dt = np.dtype(codes[code])
    if dt.kind == 'b':
        return np.array([0, 1, 2, 255], dtype=np.uint8).view(np.bool_)
    if dt.kind in 'iu':
        info = np.iinfo(dt)
        return np.array([v for v in ints if info.min <= v <= info.max], dtype=dt)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        if dt.kind == 'f':
            return np.array(floats, dtype=np.float64).astype(dt)
        return np.concatenate([np.array(floats, dtype=np.float64).astype(np.complex128), np.array(complexes)]).astype(dt)

def enc(array):
    kind = array.dtype.kind
    if kind == 'b': return [bool(v) for v in array]
    if kind in 'iu': return [str(int(v)) for v in array]
    if kind == 'f': return [repr(float(v)) for v in array]
    return [[repr(float(v.real)), repr(float(v.imag))] for v in array]

def wrap(value, dt):
    bits = dt.itemsize * 8
    if math.isnan(value) or math.isinf(value): return 0
    m = int(math.trunc(value)) % (1 << bits)
    return m - (1 << bits) if dt.kind == 'i' and m >= 1 << (bits - 1) else m

def rounded(x, rounding):
    if rounding is None or x.dtype.kind not in 'fc': return x
    f = {'rint': np.rint, 'trunc': np.trunc, 'floor': np.floor, 'ceil': np.ceil}[rounding]
    if x.dtype.kind == 'c':
        out = np.empty_like(x)
        out.real = f(x.real)
        out.imag = f(x.imag)
        return out
    return f(x)

def astype_defined(y, dt):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        r = y.astype(dt)
    if not any('invalid value' in str(w.message) for w in caught):
        return r
    out = []
    for k in range(len(y)):
        with warnings.catch_warnings(record=True) as one:
            warnings.simplefilter('always')
            item = y[k:k + 1].astype(dt)
        if any('invalid value' in str(w.message) for w in one):
            value = y[k].real if y.dtype.kind == 'c' else y[k]
            out.append(wrap(float(value), dt))
        else:
            out.append(item[0])
    return np.array(out, dtype=object).astype(dt) if dt.kind in 'iu' else np.array(out, dtype=dt)

def clamped(y, dt):
    if dt.kind == 'b':
        return y.astype(dt)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        real = y.real if (y.dtype.kind == 'c' and dt.kind != 'c') else y
        if dt.kind in 'iu':
            info = np.iinfo(dt)
            out = []
            for v in real:
                if real.dtype.kind == 'f':
                    v = float(v)
                    out.append(0 if math.isnan(v) else info.min if v <= info.min else info.max if v >= info.max else int(math.trunc(v)))
                else:
                    out.append(max(info.min, min(info.max, int(v))))
            return np.array(out, dtype=object).astype(dt)
        top = float(np.finfo(dt).max)
        if real.dtype.kind in 'iub':
            # Straight from the integer dtype (one rounding), then the bound where it is exceeded.
            out = real.astype(dt)
            for k, v in enumerate(real):
                if abs(int(v)) > top: out[k] = math.copysign(top, int(v))
            return out
        # Clip in float64 (float16 or float32 bounds given as Python floats would be cast to the
        # source's own dtype first, where they overflow).
        if real.dtype.kind == 'c':
            out = np.empty(len(real), dtype=np.complex128)
            out.real = np.clip(real.real.astype(np.float64), -top, top)
            out.imag = np.clip(real.imag.astype(np.float64), -top, top)
            return out.astype(dt)
        return np.clip(real.astype(np.float64), -top, top).astype(dt)

variants = [(r, c) for c in (False, True) for r in (None, 'rint', 'trunc', 'floor', 'ceil')]
cases = []
for a in codes:
    x = source(a)
    for b in codes:
        dt = np.dtype(codes[b])
        rules = [bool(np.can_cast(np.dtype(codes[a]), dt, c)) for c in castings]
        results = []
        for rounding, clamp in variants:
            y = rounded(x, rounding)
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', np.exceptions.ComplexWarning)
                r = clamped(y, dt) if clamp else astype_defined(y, dt)
            results.append(enc(r))
        cases.append({'src': a, 'dst': b, 'bytes': x.tobytes().hex(), 'rules': rules, 'results': results})

# Byte orders, strides and memory orders: a 2-D strided view of a big-endian or little-endian base.
layouts = []
rng = np.random.default_rng(7)
pairs = [('>d', '>B'), ('<d', '>h'), ('>f', '<Q'), ('>q', '>f'), ('<e', '>i'), ('>Zf', '<Zd'), ('>Zd', '>H'), ('>I', '<e'), ('<Q', '>q'), ('>?', '>d')]
dtypes = {'?':'?','B':'u1','h':'i2','H':'u2','i':'i4','I':'u4','q':'i8','Q':'u8','e':'f2','f':'f4','d':'f8','Zf':'c8','Zd':'c16'}
def np_dtype(fmt): return np.dtype(fmt[0] + dtypes[fmt[1:]]) if fmt[1:] != '?' else np.dtype('?')
for a, b in pairs:
    sdt, ddt = np_dtype(a), np_dtype(b)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        if sdt.kind == 'b':
            base = (rng.random(6 * 9) < 0.5).reshape(6, 9)
        elif sdt.kind in 'iu':
            info = np.iinfo(sdt)
            base = rng.integers(info.min, info.max, size=(6, 9), dtype=sdt.newbyteorder('='), endpoint=True)
        elif sdt.kind == 'f':
            base = (rng.standard_normal((6, 9)) * 400).astype(sdt)
        else:
            base = (rng.standard_normal((6, 9)) * 400 + 1j * rng.standard_normal((6, 9)) * 400).astype(sdt)
        base = np.ascontiguousarray(base, dtype=sdt)
        view = base[::2, ::-3].T
        for rounding, clamp in [(None, False), ('rint', True)]:
            y = rounded(np.ascontiguousarray(view).ravel(), rounding)
            r = (clamped(y, ddt) if clamp else astype_defined(y, ddt)).reshape(view.shape)
            layouts.append({'src': a, 'dst': b, 'bytes': base.tobytes().hex(), 'rounding': rounding, 'clamp': clamp,
                            'shape': list(view.shape), 'result': [enc(row) for row in r]})
print(json.dumps({'castings': castings, 'cases': cases, 'layouts': layouts}))
`;

type Encoded = boolean | string | [string, string];

interface PairCase {
  readonly src: string;
  readonly dst: string;
  readonly bytes: string;
  readonly rules: boolean[];
  readonly results: Encoded[][];
}

interface LayoutCase {
  readonly src: string;
  readonly dst: string;
  readonly bytes: string;
  readonly rounding: Rounding | null;
  readonly clamp: boolean;
  readonly shape: number[];
  readonly result: Encoded[][];
}

interface Facts {
  readonly castings: Casting[];
  readonly cases: PairCase[];
  readonly layouts: LayoutCase[];
}

const variants: { rounding: Rounding | undefined; clamp: boolean }[] = [false, true].flatMap((clamp) =>
  ([undefined, 'rint', 'trunc', 'floor', 'ceil'] as const).map((rounding) => ({ rounding, clamp })),
);

function bytesOf(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function pyFloat(text: string): number {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/** A JavaScript value in the encoding of the Python side, for exact comparison (NaN == NaN, -0 != 0). */
function encode(value: MemoryViewValue, like: Encoded): Encoded {
  if (typeof like === 'boolean') return value as boolean;
  if (Array.isArray(like)) {
    const [re, im] = value as [number, number];
    return [floatKey(re), floatKey(im)];
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isInteger(value) && !like.includes('.') && !like.includes('e') && !like.includes('n'))
    return BigInt(value).toString();
  return floatKey(value as number);
}

function floatKey(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

function expected(like: Encoded): Encoded {
  if (typeof like === 'boolean') return like;
  if (Array.isArray(like)) return [floatKey(pyFloat(like[0])), floatKey(pyFloat(like[1]))];
  if (/^-?\d+$/.test(like)) return like;
  return floatKey(pyFloat(like));
}

function errorCode(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (BufferError.isInstance(error)) return error.code;
    throw error;
  }
}

describe.skipIf(!peer.ok)('astype against NumPy (every numeric pair, casting rule, rounding and clamp)', () => {
  const facts = peer.ok ? (JSON.parse(peer.run(script).toString('utf8')) as Facts) : { castings: [], cases: [], layouts: [] };

  it('covers every pair of the 14 numeric formats', () => {
    expect(facts.cases).toHaveLength(14 * 14);
  });

  it('answers np.can_cast for every pair and rule, and astype refuses exactly those pairs', () => {
    const mismatches: string[] = [];
    for (const pair of facts.cases) {
      using source = MemoryView.from(bytesOf(pair.bytes)).cast(pair.src);
      facts.castings.forEach((casting, k) => {
        const allowed = pair.rules[k]!;
        if (canCast(pair.src, pair.dst, casting) !== allowed) mismatches.push(`canCast(${pair.src}, ${pair.dst}, ${casting}) should be ${allowed}`);
        const code = errorCode(() => source.astype(pair.dst, { casting }).release());
        if (code !== (allowed ? null : 'ERR_CASTING_RULE'))
          mismatches.push(`astype ${pair.src} -> ${pair.dst} casting ${casting}: ${code ?? 'accepted'}, NumPy ${allowed ? 'allows' : 'refuses'}`);
      });
    }
    expect(mismatches).toEqual([]);
  });

  it('converts values as NumPy for every pair, rounding and clamp (NaN, ±inf, -0.0, halves, out of range)', () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const pair of facts.cases) {
      using source = MemoryView.from(bytesOf(pair.bytes)).cast(pair.src);
      variants.forEach(({ rounding, clamp }, k) => {
        const want = pair.results[k]!;
        using result = source.astype(pair.dst, { casting: 'unsafe', ...(rounding === undefined ? {} : { rounding }), clamp });
        const got = result.toList() as MemoryViewValue[];
        const sourceValues = source.toList() as MemoryViewValue[];
        for (let i = 0; i < want.length; i++) {
          compared++;
          const a = encode(got[i]!, want[i]!);
          const b = expected(want[i]!);
          if (JSON.stringify(a) !== JSON.stringify(b)) {
            mismatches.push(
              `${pair.src} -> ${pair.dst} rounding=${rounding ?? 'none'} clamp=${clamp}: ${JSON.stringify(encode(sourceValues[i]!, want[i]!))} gave ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`,
            );
          }
        }
      });
    }
    expect(mismatches.slice(0, 40)).toEqual([]);
    expect(compared).toBeGreaterThan(50_000);
  });

  it('converts strided views of either byte order into C, F and K order', () => {
    const mismatches: string[] = [];
    for (const layout of facts.layouts) {
      const itemFormat = layout.src;
      using base = MemoryView.from(bytesOf(layout.bytes)).cast(itemFormat, [6, 9]);
      using view = base.slice('::2', '::-3').transpose();
      for (const order of ['C', 'F', 'K'] as const) {
        using result = view.astype(layout.dst, { order, ...(layout.rounding === null ? {} : { rounding: layout.rounding }), clamp: layout.clamp });
        // The view is a transpose of a row-major base: 'K' (NumPy's default) gives Fortran order.
        expect(order === 'C' ? result.cContiguous : result.fContiguous).toBe(true);
        const got = result.toList() as MemoryViewValue[][];
        layout.result.forEach((row, i) =>
          row.forEach((cell, j) => {
            const a = encode(got[i]![j]!, cell);
            const b = expected(cell);
            if (JSON.stringify(a) !== JSON.stringify(b))
              mismatches.push(`${layout.src} -> ${layout.dst} [${i}, ${j}] order ${order}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
          }),
        );
      }
      // copyInto a strided destination of the target format gives the same values.
      const [rows, columns] = layout.shape as [number, number];
      using target = MemoryView.from(new Uint8Array(rows * columns * 2 * parseFormat(layout.dst).itemsize), BufferFlags.FULL).cast(layout.dst, [
        rows,
        columns * 2,
      ]);
      using strided = target.slice(null, '::2');
      view.copyInto(strided, { casting: 'unsafe', ...(layout.rounding === null ? {} : { rounding: layout.rounding }), clamp: layout.clamp });
      const copied = strided.toList() as MemoryViewValue[][];
      layout.result.forEach((row, i) =>
        row.forEach((cell, j) => {
          if (JSON.stringify(encode(copied[i]![j]!, cell)) !== JSON.stringify(expected(cell)))
            mismatches.push(`copyInto ${layout.src} -> ${layout.dst} [${i}, ${j}]`);
        }),
      );
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
  });
});
