import { pythonPeer } from '@interop/config/python';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFromNumpyDtype, formatToString, numpyDtypeFromFormat, parseFormat, type FormatType, type NumpyDescr } from '../../src/index.js';

const peer = pythonPeer(['numpy']);

/** Field offsets by name, nested records included (`{ a: { offset: 0 }, n: { offset: 8, fields: {...} } }`). */
interface FieldOffsets {
  readonly [name: string]: { readonly offset: number; readonly fields?: FieldOffsets };
}

interface NumpyFacts {
  readonly expression: string;
  readonly format: string;
  readonly itemsize: number;
  readonly isRecord: boolean;
  readonly descr: NumpyDescr;
  readonly fields: FieldOffsets | null;
}

// Each expression is evaluated by NumPy; together they cover scalars of every kind and byte
// order, and records packed and aligned, big-endian, complex, sub-arrays, nested, named padding.
const dtypeExpressions = [
  "'i1'",
  "'u1'",
  "'?'",
  "'<i2'",
  "'>i2'",
  "'<u2'",
  "'>u2'",
  "'<i4'",
  "'>i4'",
  "'<u4'",
  "'>u4'",
  "'<i8'",
  "'>i8'",
  "'<u8'",
  "'>u8'",
  "'<f2'",
  "'>f2'",
  "'<f4'",
  "'>f4'",
  "'<f8'",
  "'>f8'",
  "'<c8'",
  "'>c8'",
  "'<c16'",
  "'>c16'",
  "'<g'",
  "'<G'",
  "'S1'",
  "'S10'",
  "'<U1'",
  "'<U5'",
  "'>U5'",
  "'V8'",
  "'O'",
  "[('a','<i4'),('b','u1',(2,3)),('c','>f8')]",
  "np.dtype([('a','i4'),('b','u1')], align=True)",
  "np.dtype([('a','u1'),('b','<i4'),('c','u1')], align=True)",
  "np.dtype([('a','u1'),('b','<f8')], align=False)",
  "np.dtype([('a','u1'),('b','<c16'),('c','<c8')], align=True)",
  "np.dtype({'names':['a','b'],'formats':['u1','<i4'],'offsets':[0,8],'itemsize':16})",
  "np.dtype([('a','>i4',(2,3)),('b',[('x','<f4'),('y','>i2')])])",
  "np.dtype([('a','u1'),('n',np.dtype([('x','u1'),('y','<f8')],align=True))], align=True)",
  "np.dtype([('a','u1'),('n',np.dtype([('x','u1'),('y','<f8')],align=True),(2,)),('b','>i2')])",
  "np.dtype([('a','u1'),('n','<f8',(2,))], align=True)",
  "np.dtype([('a','u1'),('',\"V3\"),('b','<i4')])",
  "np.dtype([('a','u1'),('pad','V3'),('b','<i4')])",
  "np.dtype([('s','S3'),('u','<U2'),('c','<c8',(2,))])",
  "np.dtype([('x','>f8'),('y','>f8'),('z','>f8'),('rgb','u1',(3,))], align=True)",
  "np.dtype([('outer',[('inner',[('v','<i2',(2,))]),('w','>u4')]),('tail','?')], align=True)",
  "np.dtype([('ld','<g'),('b','u1')], align=True)",
];

const factsScript = String.raw`
import json, sys
import numpy as np

def offsets(dtype):
    if dtype.names is None:
        return None
    result = {}
    for name in dtype.names:
        field, offset = dtype.fields[name][:2]
        nested = offsets(field.base)
        result[name] = {'offset': offset} if nested is None else {'offset': offset, 'fields': nested}
    return result

out = []
for expression in json.loads(sys.stdin.read()):
    dtype = np.dtype(eval(expression))
    out.append({
        'expression': expression,
        'format': memoryview(np.zeros(2, dtype)).format,
        'itemsize': dtype.itemsize,
        'isRecord': dtype.names is not None,
        'descr': dtype.descr if dtype.names is not None else dtype.str,
        'fields': offsets(dtype),
    })
print(json.dumps(out))
`;

// NumPy's own reader of PEP 3118 text (what np.asarray(memoryview) uses), applied to formats.
const readFormatsScript = String.raw`
import json, sys
import numpy as np
try:
    from numpy._core._internal import _dtype_from_pep3118
except ImportError:
    from numpy.core._internal import _dtype_from_pep3118
out = []
for fmt in json.loads(sys.stdin.read()):
    try:
        dtype = _dtype_from_pep3118(fmt)
        out.append({'itemsize': dtype.itemsize, 'descr': dtype.descr if dtype.names is not None else dtype.str})
    except Exception as error:
        out.append({'error': repr(error)})
print(json.dumps(out))
`;

function runJson<T>(script: string, input: unknown): T {
  if (!peer.ok) throw new Error(peer.reason);
  return JSON.parse(peer.run(script, [], JSON.stringify(input)).toString('utf8')) as T;
}

function ourOffsets(type: FormatType): FieldOffsets | null {
  if (type.kind !== 'struct') return null;
  const result: Record<string, { offset: number; fields?: FieldOffsets }> = {};
  for (const field of type.fields) {
    if (field.name === null) continue;
    const nested = ourOffsets(field.type);
    result[field.name] = nested === null ? { offset: field.offset } : { offset: field.offset, fields: nested };
  }
  // Only padding ("8x", NumPy's V8): raw bytes, not a record.
  return Object.keys(result).length === 0 ? null : result;
}

// Formats in the subset of the grammar NumPy's reader accepts: one byte-order character after
// the shape, no whitespace, codes NumPy knows in every mode, positive counts and dimensions.
interface NumpyItem {
  readonly order: string | null;
  readonly shape: readonly number[] | null;
  readonly count: number | null;
  readonly body: string | readonly NumpyItem[];
  readonly named: boolean;
}

const { item: numpyItem } = fc.letrec<{ item: NumpyItem; items: readonly NumpyItem[] }>((tie) => ({
  item: fc.record({
    order: fc.option(fc.constantFrom('@', '=', '<', '>', '!', '^'), { freq: 2 }),
    shape: fc.option(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }), { freq: 4 }),
    count: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 3 }),
    body: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('?', 'c', 'b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'e', 'f', 'd', 'Zf', 'Zd', 's', 'w', 'x'),
      tie('items'),
    ),
    named: fc.boolean(),
  }),
  items: fc.array(tie('item'), { minLength: 1, maxLength: 4 }),
}));

function renderNumpy(items: readonly NumpyItem[]): string {
  return items
    .map((item, index) => {
      const shape = item.shape === null ? '' : `(${item.shape.join(',')})`;
      const body = typeof item.body === 'string' ? item.body : `T{${renderNumpy(item.body)}}`;
      // NumPy's descr keeps "(2)3i" as a sub-array of a sub-array, (('<i4', (3,)), (2,)); ours
      // flattens it to (2, 3), the same memory. Keep the comparison exact by not combining them
      // (counted codes excepted: their count is a length).
      const counted = item.body === 's' || item.body === 'w' || item.body === 'x';
      const count = item.shape !== null && !counted ? null : item.count;
      return `${shape}${item.order ?? ''}${count ?? ''}${body}${item.named ? `:k${index}:` : ''}`;
    })
    .join('');
}

/**
 * A record of padding only (NumPy: a record without fields, descr [('', '|V3')]) is raw bytes
 * here ('|V3'): the same memory, and what NumPy itself exports for V3.
 */
function paddingAsBytes(descr: NumpyDescr): NumpyDescr {
  if (typeof descr === 'string') return descr;
  if (descr.length === 1 && descr[0]![0] === '' && typeof descr[0]![1] === 'string') return descr[0]![1];
  return descr.map((entry) => (entry.length === 3 ? [entry[0], paddingAsBytes(entry[1]), entry[2]] : [entry[0], paddingAsBytes(entry[1])]) as typeof entry);
}

describe.skipIf(!peer.ok)(`peer: numpy formats and dtypes${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  it('parses the format NumPy exports to NumPy itemsize and field offsets', () => {
    const facts = runJson<NumpyFacts[]>(factsScript, dtypeExpressions);
    expect(facts).toHaveLength(dtypeExpressions.length);
    for (const fact of facts) {
      const parsed = parseFormat(fact.format);
      if (fact.isRecord) {
        // NumPy leaves trailing padding out of the text: only records may be longer than their format.
        expect(parsed.itemsize, fact.expression).toBeLessThanOrEqual(fact.itemsize);
        expect(ourOffsets(parsed.type), fact.expression).toEqual(fact.fields);
      } else {
        expect([fact.expression, parsed.itemsize]).toEqual([fact.expression, fact.itemsize]);
      }
    }
  });

  it('round-trips dtype.str and dtype.descr through formats, and NumPy reads the formats back', () => {
    const facts = runJson<NumpyFacts[]>(factsScript, dtypeExpressions);
    const formats = facts.map((fact) => formatFromNumpyDtype(fact.descr));
    for (const [index, fact] of facts.entries()) {
      const converted = formats[index]!;
      expect([fact.expression, numpyDtypeFromFormat(converted)]).toEqual([fact.expression, fact.descr]);
      // The converted format keeps NumPy's whole itemsize (padding written out) and offsets.
      expect([fact.expression, parseFormat(converted.format).itemsize]).toEqual([fact.expression, fact.itemsize]);
      expect([fact.expression, ourOffsets(parseFormat(converted.format).type)]).toEqual([fact.expression, fact.fields]);
    }
    // Drop the formats NumPy cannot read by design ('O' is refused in buffers of other origin).
    const readable = formats.filter((converted, index) => facts[index]!.expression !== "'O'" && !converted.format.includes('O:'));
    const readBack = runJson<Array<{ itemsize: number; descr: NumpyDescr } | { error: string }>>(
      readFormatsScript,
      readable.map((converted) => converted.format),
    );
    for (const [index, result] of readBack.entries()) {
      const fact = facts[formats.indexOf(readable[index]!)]!;
      // NumPy reads bare padding ("8x") as a record without fields; compare its size only.
      const expected = fact.expression === "'V8'" ? { itemsize: 8, descr: [['', '|V8']] } : { itemsize: fact.itemsize, descr: fact.descr };
      expect([fact.expression, result]).toEqual([fact.expression, expected]);
    }
  });

  it('reads NumPy-readable formats exactly as NumPy does: same descr, offsets and itemsize (property)', () => {
    const samples = fc.sample(fc.array(numpyItem, { minLength: 1, maxLength: 4 }), { numRuns: 300, seed: 3118 });
    // Wrapped in T{...}: a top-level item list gets trailing padding in NumPy but not in CPython's struct.
    const formats = [...new Set(samples.map((items) => `T{${renderNumpy(items)}}`))];
    const numpy = runJson<Array<{ itemsize: number; descr: NumpyDescr } | { error: string }>>(readFormatsScript, formats);
    let compared = 0;
    for (const [index, format] of formats.entries()) {
      const expected = numpy[index]!;
      if ('error' in expected) throw new Error(`NumPy refused ${format}: ${expected.error}`);
      const parsed = parseFormat(format);
      expect([format, parsed.itemsize]).toEqual([format, expected.itemsize]);
      expect([format, numpyDtypeFromFormat(parsed)]).toEqual([format, paddingAsBytes(expected.descr)]);
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
    // The canonical text is read by NumPy exactly as the original.
    const canonical = formats.map((format) => formatToString(format));
    const numpyCanonical = runJson<Array<{ itemsize: number; descr: NumpyDescr } | { error: string }>>(readFormatsScript, canonical);
    expect(numpyCanonical).toEqual(numpy);
  });
});
