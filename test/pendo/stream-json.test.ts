import { Readable } from 'node:stream';
import { ReadableStream } from 'node:stream/web';
import { describe, expect, it } from 'vitest';
import { PendoResponseError } from '../../src/errors';
import { LosslessNumber, stringifyLossless } from '../../src/pendo/lossless-number';
import { streamJsonArray, streamResultsArray } from '../../src/pendo/stream-json';
import { collect, rejectionOf } from './helpers/test-server';

const REQUEST = 'GET http://127.0.0.1:1/api/v1/guide?expand=*';

const RECORDS = [
  { id: 'a"1', name: 'Ünïcødé ✓ 😀', lastUpdatedAt: 1685322552149, ratio: -1.5e-3 },
  { id: '-b\\2', nested: { list: [1, [2, {}], { x: null }], t: true, f: false } },
  { id: 'c3', empty: [], text: 'line\nbreak \u2028 \u0001' },
];

const ARRAY_BODY = Buffer.from(` [ ${RECORDS.map((r) => JSON.stringify(r)).join(' ,\n')} ] \n`);
const ENVELOPE_BODY = Buffer.from(
  JSON.stringify({ startTime: 1598050800000, results: RECORDS, extra: { results: [1] } }),
);

/** Produces each item only when the consumer pulls, like a network body. */
async function* pullOnly<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

function* splitAt(body: Buffer, splits: number[]): Generator<Uint8Array> {
  let start = 0;
  for (const end of [...splits, body.length]) {
    yield body.subarray(start, end);
    start = end;
  }
}

function chunksOf(body: Buffer, splits: number[]): AsyncGenerator<Uint8Array> {
  return pullOnly(splitAt(body, splits));
}

function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

describe('streamJsonArray', () => {
  it('parses the body split at every byte boundary', async () => {
    for (let split = 0; split <= ARRAY_BODY.length; split++) {
      const records = await collect(streamJsonArray(chunksOf(ARRAY_BODY, [split]), REQUEST));
      expect(records, `split at byte ${split}`).toEqual(RECORDS);
    }
  });

  it('parses the body one byte at a time', async () => {
    const splits = Array.from({ length: ARRAY_BODY.length - 1 }, (_, i) => i + 1);
    expect(await collect(streamJsonArray(chunksOf(ARRAY_BODY, splits), REQUEST))).toEqual(RECORDS);
  });

  it('yields nothing for an empty array', async () => {
    expect(await collect(streamJsonArray(chunksOf(bytes('[]'), []), REQUEST))).toEqual([]);
  });

  it('reads a Node Readable', async () => {
    const source = Readable.from([ARRAY_BODY.subarray(0, 10), ARRAY_BODY.subarray(10)]);
    expect(await collect(streamJsonArray(source, REQUEST))).toEqual(RECORDS);
  });

  it('reads a Node Readable of strings', async () => {
    const source = Readable.from([ARRAY_BODY.toString('utf8')]);
    expect(await collect(streamJsonArray(source, REQUEST))).toEqual(RECORDS);
  });

  it('reads a web ReadableStream', async () => {
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(ARRAY_BODY.subarray(0, 7));
        controller.enqueue(ARRAY_BODY.subarray(7));
        controller.close();
      },
    });
    expect(await collect(streamJsonArray(source, REQUEST))).toEqual(RECORDS);
  });

  it('reads a stream without async iteration', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(ARRAY_BODY.subarray(0, 30));
        controller.enqueue(ARRAY_BODY.subarray(30));
        controller.close();
      },
    });
    // Only getReader, as in web streams that predate async iteration.
    const readerOnly = {
      getReader: () => stream.getReader(),
    } as unknown as ReadableStream<Uint8Array>;
    expect(await collect(streamJsonArray(readerOnly, REQUEST))).toEqual(RECORDS);
  });

  it('reads the next chunk only when the consumer pulls', async () => {
    let pulled = 0;
    function* source(): Generator<Uint8Array> {
      for (let i = 0; i < 100; i++) {
        pulled += 1;
        yield bytes(i === 0 ? `[{"i":${i}}` : `,{"i":${i}}`);
      }
      yield bytes(']');
    }
    const batches = streamJsonArray(pullOnly(source()), REQUEST);
    const first = await batches.next();
    expect(first.value).toEqual([{ i: 0 }]);
    expect(pulled).toBe(1);
    await batches.next();
    expect(pulled).toBe(2);
    await batches.return(undefined);
    expect(pulled).toBe(2);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    function* source(): Generator<Uint8Array> {
      try {
        yield bytes('[{"a":1},');
        yield bytes('{"a":2}]');
      } finally {
        closed = true;
      }
    }
    for await (const batch of streamJsonArray(pullOnly(source()), REQUEST)) {
      expect(batch).toEqual([{ a: 1 }]);
      break;
    }
    expect(closed).toBe(true);
  });

  it('splits one large chunk into several batches', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ({ id: `r${i}`, n: i }));
    const batches: number[] = [];
    for await (const batch of streamJsonArray(chunksOf(bytes(JSON.stringify(many)), []), REQUEST)) {
      batches.push(batch.length);
    }
    expect(batches.length).toBeGreaterThan(5);
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(many.length);
  });
});

describe('streamResultsArray', () => {
  it('parses the envelope split at every byte boundary', async () => {
    for (let split = 0; split <= ENVELOPE_BODY.length; split++) {
      const records = await collect(streamResultsArray(chunksOf(ENVELOPE_BODY, [split]), REQUEST));
      expect(records, `split at byte ${split}`).toEqual(RECORDS);
    }
  });

  it('accepts startTime after results', async () => {
    const body = bytes('{"results":[{"a":1},{"b":2}],"startTime":5}');
    expect(await collect(streamResultsArray(chunksOf(body, [3, 20]), REQUEST))).toEqual([
      { a: 1 },
      { b: 2 },
    ]);
  });

  it('ignores arrays under other keys', async () => {
    const body = bytes('{"other":[{"x":1}],"results":[{"y":{"results":[{"z":1}]}}]}');
    expect(await collect(streamResultsArray(chunksOf(body, []), REQUEST))).toEqual([
      { y: { results: [{ z: 1 }] } },
    ]);
  });

  it('yields nothing for empty results', async () => {
    const body = bytes('{"startTime":1,"results":[]}');
    expect(await collect(streamResultsArray(chunksOf(body, []), REQUEST))).toEqual([]);
  });
});

interface BadBody {
  name: string;
  body: string;
  parse: typeof streamJsonArray;
  /** Text the message must contain, besides the request. */
  parts: string[];
  retryable: boolean;
}

const BAD_BODIES: BadBody[] = [
  {
    name: 'an object instead of an array',
    body: '{"a":1}',
    parse: streamJsonArray,
    parts: ['expected a JSON array', 'found an object', 'at byte 0'],
    retryable: false,
  },
  {
    name: 'a number element',
    body: '[{"a":1}, 7]',
    parse: streamJsonArray,
    parts: ['expected record 2 to be an object', 'found the number 7', 'at byte 10'],
    retryable: false,
  },
  {
    name: 'a string element',
    body: '["x"]',
    parse: streamJsonArray,
    parts: ['record 1 to be an object', 'found a string', 'at byte 1'],
    retryable: false,
  },
  {
    name: 'a null element',
    body: '[null]',
    parse: streamJsonArray,
    parts: ['record 1 to be an object', 'found null', 'at byte 1'],
    retryable: false,
  },
  {
    name: 'an array element',
    body: '[[1]]',
    parse: streamJsonArray,
    parts: ['record 1 to be an object', 'found an array', 'at byte 1'],
    retryable: false,
  },
  {
    name: 'a bad character',
    body: '[{"a":1},{"b":x}]',
    parse: streamJsonArray,
    parts: ['Invalid JSON', 'at byte 14', 'unexpected character "x"', 'Expected a JSON array'],
    retryable: true,
  },
  {
    name: 'a trailing comma',
    body: '[{"a":1},]',
    parse: streamJsonArray,
    parts: ['Invalid JSON', 'at byte 9', 'unexpected "]"'],
    retryable: true,
  },
  {
    name: 'data after the document',
    body: '[{"a":1}] [',
    parse: streamJsonArray,
    parts: ['at byte 10', 'after the end of the JSON document'],
    retryable: true,
  },
  {
    name: 'an HTML page',
    body: '<html>503</html>',
    parse: streamJsonArray,
    parts: ['Invalid JSON', 'at byte 0', 'unexpected character "<"', 'an HTML page'],
    retryable: true,
  },
  {
    name: 'an empty body',
    body: '',
    parse: streamJsonArray,
    parts: ['ended at byte 0', 'without any JSON value', 'a JSON array of objects'],
    retryable: true,
  },
  {
    name: 'a body cut inside a record',
    body: '[{"a":1},{"b":"tex',
    parse: streamJsonArray,
    parts: ['truncated', 'ended at byte 18', 'a JSON array of objects'],
    retryable: true,
  },
  {
    name: 'a body cut between records',
    body: '[{"a":1},',
    parse: streamJsonArray,
    parts: ['truncated', 'ended at byte 9'],
    retryable: true,
  },
  {
    name: 'an envelope without results',
    body: '{"startTime":1}',
    parse: streamResultsArray,
    parts: ['expected a "results" array', 'no "results" key', 'at byte 15'],
    retryable: false,
  },
  {
    name: 'results that are an object',
    body: '{"results":{"a":{}}}',
    parse: streamResultsArray,
    parts: ['expected "results" to be an array', 'found an object', 'at byte 11'],
    retryable: false,
  },
  {
    name: 'an array instead of an envelope',
    body: '[{"a":1}]',
    parse: streamResultsArray,
    parts: ['expected a JSON object with a "results" array', 'found an array', 'at byte 0'],
    retryable: false,
  },
  {
    name: 'a non-object result',
    body: '{"results":[{"a":1},true]}',
    parse: streamResultsArray,
    parts: ['record 2 to be an object', 'found true', 'at byte 20'],
    retryable: false,
  },
  {
    name: 'a truncated envelope',
    body: '{"startTime":1,"results":[{"a":1}',
    parse: streamResultsArray,
    parts: ['truncated', 'ended at byte 33', '"results" array of objects'],
    retryable: true,
  },
];

describe('bad bodies', () => {
  it.each(BAD_BODIES)('rejects $name', async ({ body, parse, parts, retryable }) => {
    const error = await rejectionOf(collect(parse(chunksOf(bytes(body), []), REQUEST)));
    expect(error).toBeInstanceOf(PendoResponseError);
    expect(error.message).toContain(REQUEST);
    for (const part of parts) expect(error.message).toContain(part);
    expect((error as PendoResponseError).retryable).toBe(retryable);
  });

  it.each(BAD_BODIES)('rejects $name at every split', async ({ body, parse, parts }) => {
    const buffer = bytes(body);
    for (let split = 0; split <= buffer.length; split++) {
      const error = await rejectionOf(collect(parse(chunksOf(buffer, [split]), REQUEST)));
      expect(error.message, `split at byte ${split}`).toContain(parts[parts.length - 1]);
    }
  });

  it('reports the offset across chunks', async () => {
    const body = bytes(`[${'{"a":1},'.repeat(1000)}{"a":?}]`);
    const at = body.indexOf('?');
    const error = await rejectionOf(
      collect(streamJsonArray(chunksOf(body, [100, 4000, 7000]), REQUEST)),
    );
    expect(error.message).toContain(`at byte ${at}`);
  });

  it('yields the records before a failure', async () => {
    const batches = streamJsonArray(chunksOf(bytes('[{"a":1},{"b":'), [9]), REQUEST);
    expect((await batches.next()).value).toEqual([{ a: 1 }]);
    await expect(batches.next()).rejects.toThrow('truncated');
  });
});

describe('numbers a double would change', () => {
  const BODY =
    '[{"id":"a","big":12345678901234567890,"edge":9007199254740993,"neg":-9007199254740995,' +
    '"huge":123456789012345678901234567890,"beyond":1e400,"tiny":1e-400,' +
    '"precise":0.1000000000000000055511151231257827}]';

  it('keeps them as LosslessNumbers', async () => {
    const [record] = await collect(streamJsonArray(chunksOf(bytes(BODY), []), REQUEST));
    for (const key of ['big', 'edge', 'neg', 'huge', 'beyond', 'tiny', 'precise']) {
      expect(record?.[key], key).toBeInstanceOf(LosslessNumber);
    }
    expect(String(record?.edge)).toBe('9007199254740993');
    expect(String(record?.huge)).toBe('123456789012345678901234567890');
    expect(String(record?.beyond)).toBe('1e400');
  });

  it('keeps them across chunk boundaries', async () => {
    const body = bytes(BODY);
    for (let split = 1; split < body.length; split++) {
      const [record] = await collect(streamJsonArray(chunksOf(body, [split]), REQUEST));
      expect(String(record?.big), `split at byte ${split}`).toBe('12345678901234567890');
    }
  });

  it('writes their digits back', async () => {
    const [record] = await collect(streamJsonArray(chunksOf(bytes(BODY), [20, 40]), REQUEST));
    expect(stringifyLossless(record)).toBe(BODY.slice(1, -1));
  });

  it('compares as the nearest double', async () => {
    const [record] = await collect(streamJsonArray(chunksOf(bytes(BODY), []), REQUEST));
    expect(Number(record?.edge)).toBe(9007199254740992);
    expect(JSON.stringify(record?.neg)).toBe('-9007199254740996');
  });

  it('keeps safe integers and decimals as numbers', async () => {
    const body =
      '[{"max":9007199254740991,"time":1733300000000,"ratio":0.1,"scaled":1.50,"e":1E3}]';
    const [record] = await collect(streamJsonArray(chunksOf(bytes(body), []), REQUEST));
    expect(record).toEqual({
      max: 9007199254740991,
      time: 1733300000000,
      ratio: 0.1,
      scaled: 1.5,
      e: 1000,
    });
  });
});
