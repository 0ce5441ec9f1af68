import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pythonPeer } from '@interop/config/python';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStream, SEEK_CUR, SEEK_END } from '@interop/stream';
import { FileStream } from '@interop/stream/node';
import { BytesIOModel, isCommonWithBytesIO, MemoryStreamRunner, operationArbitrary, type Operation } from '../bytes-io-model.js';

// Only the standard library is needed: `io` and `json`.
const peer = pythonPeer(['io', 'json', 'hashlib']);
const dir = mkdtempSync(join(tmpdir(), 'interop-stream-peer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!peer.ok)(`peer: Python io${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  it('Python io.FileIO reads what MemoryStream wrote to a file', () => {
    if (!peer.ok) return;
    const memory = new MemoryStream();
    memory.write(new TextEncoder().encode('header:'));
    memory.write(new Float64Array([1.5, -2.25, 1e300]));
    memory.seek(2, SEEK_END); // leaves a 2-byte zero gap
    memory.write(new Uint8Array([0xff]));
    memory.seek(-1, SEEK_CUR);
    memory.truncate(); // drops the 0xff again
    const path = join(dir, 'from-js.bin');
    const file = new FileStream(path, { mode: 'w' });
    expect(file.write(memory)).toBe(memory.size); // the MemoryStream is the source exporter
    file.close();
    const out = peer.run(
      [
        'import io, struct, sys, json',
        'raw = io.FileIO(sys.argv[1], "r")',
        'assert isinstance(raw, io.RawIOBase)',
        'head = bytearray(7); n = raw.readinto(head)',
        'values = struct.unpack("<3d", raw.read(24))',
        'rest = raw.readall()',
        'print(json.dumps({"n": n, "head": head.decode(), "values": values, "rest": list(rest), "eof": raw.read(1) == b""}))',
      ].join('\n'),
      [path],
    );
    expect(JSON.parse(out.toString())).toEqual({ n: 7, head: 'header:', values: [1.5, -2.25, 1e300], rest: [0, 0], eof: true });
  });

  it('MemoryStream and FileStream read what Python io wrote', () => {
    if (!peer.ok) return;
    const path = join(dir, 'from-python.bin');
    const digest = peer
      .run(
        [
          'import io, sys, hashlib',
          'buffer = io.BytesIO()',
          'buffer.write(bytes(range(256)) * 40)',
          'buffer.seek(100); buffer.write(b"python was here")',
          'buffer.seek(0, 2); buffer.write(b"\\n")',
          'data = buffer.getvalue()',
          'with io.FileIO(sys.argv[1], "w") as raw:',
          '    view = memoryview(data)',
          '    while view:',
          '        view = view[raw.write(view):]',
          'print(len(data), hashlib.sha256(data).hexdigest())',
        ].join('\n'),
        [path],
      )
      .toString()
      .trim();
    const [length, sha] = digest.split(' ');
    const file = new FileStream(path);
    const sink = new MemoryStream(undefined, { capacity: Number(length) });
    sink.truncate(Number(length));
    let at = 0;
    for (;;) {
      const count = file.readInto(sink, at, Math.min(4096, Number(length) - at));
      if (count === 0) break;
      at += count;
    }
    file.close();
    expect(at).toBe(Number(length));
    const check = peer
      .run('import sys, hashlib; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())', [], Buffer.from(sink.getValue()))
      .toString()
      .trim();
    expect(check).toBe(sha);
    expect(new TextDecoder().decode(sink.getValue().subarray(100, 115))).toBe('python was here');
  });

  it('MemoryStream agrees with the real io.BytesIO on random operation sequences (in their common domain)', () => {
    if (!peer.ok) return;
    const samples = fc.sample(fc.tuple(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }), fc.array(operationArbitrary, { maxLength: 30 })), {
      numRuns: 300,
      seed: 3118,
    });
    // Drop the operations where MemoryStream deliberately differs from BytesIO (exports, seeks
    // before 0, truncate past the end); the model tracks the state that decides it.
    const cases = samples.map(([initial, operations]) => {
      const model = new BytesIOModel(initial);
      const kept: Operation[] = [];
      for (const operation of operations) {
        if (!isCommonWithBytesIO(model, operation)) continue;
        model.apply(operation);
        kept.push(operation);
      }
      return { initial, ops: kept };
    });
    const script = [
      'import io, json, sys',
      'out = []',
      'for case in json.load(sys.stdin):',
      '    b = io.BytesIO(bytes(case["initial"]))',
      '    results = []',
      '    for op in case["ops"]:',
      '        kind = op["op"]',
      '        try:',
      '            if kind == "read": value = list(b.read(op["size"]))',
      '            elif kind == "readinto": value = b.readinto(bytearray(op["size"]))',
      '            elif kind == "write": value = b.write(bytes(op["data"]))',
      '            elif kind == "seek": value = b.seek(op["offset"], op["whence"])',
      '            elif kind == "truncate": value = b.truncate(op["size"])',
      '            else: value = b.tell()',
      '            results.append({"value": value, "position": b.tell(), "data": list(b.getvalue())})',
      '        except ValueError:',
      '            results.append({"error": "ValueError", "position": b.tell(), "data": list(b.getvalue())})',
      '    out.append(results)',
      'json.dump(out, sys.stdout)',
    ].join('\n');
    const python = JSON.parse(peer.run(script, [], JSON.stringify(cases)).toString()) as {
      value?: unknown;
      error?: string;
      position: number;
      data: number[];
    }[][];
    let compared = 0;
    cases.forEach((testCase, index) => {
      const runner = new MemoryStreamRunner(testCase.initial);
      try {
        testCase.ops.forEach((operation, step) => {
          const outcome = runner.apply(operation);
          const expected = python[index]![step]!;
          const context = `case ${index} step ${step}: ${JSON.stringify(operation)}`;
          if (expected.error !== undefined) expect('error' in outcome && outcome.error, context).toBe('ERR_INVALID_ARGUMENT');
          else expect(outcome, context).toEqual({ value: expected.value });
          expect(runner.stream.tell(), context).toBe(expected.position);
          expect([...runner.stream.getValue()], context).toEqual(expected.data);
          compared++;
        });
      } finally {
        runner.dispose();
      }
    });
    expect(compared).toBeGreaterThan(600);
  });
});
