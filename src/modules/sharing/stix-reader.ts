import { jsonParser } from 'stream-json/parser.js';
import { validationError } from '../../core/errors.ts';

// Incremental reading of a STIX bundle: the text is tokenised by stream-json as
// it arrives and each element of `objects` is assembled alone and handed over,
// so memory holds one object at a time whatever the size of the bundle. The
// tokeniser is not meant for hostile input on its own: every bound (nesting,
// values per object, string length, number of objects) is checked here, on the
// tokens, before anything is assembled past it.

export type ReaderLimits = {
  maxObjects: number;
  maxDepth: number;
  /** JSON values inside one object (a report's object_refs count one each). */
  maxValuesPerObject: number;
  /** Characters of one string, key or number. */
  maxStringLength: number;
};

export type BundleHead = { type: unknown; id: unknown; hasObjects: boolean; objects: number };

type Token = { name: string; value?: unknown };
type Frame = {
  /** The container being assembled (inside an element of objects), or null when only checked. */
  c: Record<string, unknown> | unknown[] | null;
  key: string | null;
  root?: boolean;
  objects?: boolean;
  element?: number;
};

// stream-chain's markers (registered symbols) for "no value" and "several values".
const none = Symbol.for('object-stream.none');
const manySymbol = Symbol.for('object-stream.many');

function attach(parent: Frame, value: unknown) {
  if (Array.isArray(parent.c)) parent.c.push(value);
  else if (parent.key === '__proto__') Object.defineProperty(parent.c, '__proto__', { value, enumerable: true, writable: true, configurable: true });
  else (parent.c as Record<string, unknown>)[parent.key!] = value;
}

/**
 * Reads a bundle from text chunks, calling onObject for each element of
 * `objects` in order (awaited between chunks, so a slow consumer slows the
 * reading instead of queueing objects). Returns the bundle's own fields.
 */
export async function readBundle(source: AsyncIterable<string> | Iterable<string>, limits: ReaderLimits, onObject: (value: unknown, index: number) => void | Promise<void>): Promise<BundleHead> {
  const parse = jsonParser({ packValues: true, streamValues: true }) as unknown as (chunk: string | symbol) => unknown;
  const head: BundleHead = { type: undefined, id: undefined, hasObjects: false, objects: 0 };
  const stack: Frame[] = [];
  let ready: Array<[unknown, number]> = [];
  let started = false;
  let element = -1;
  let values = 0;
  let length = 0;

  const where = () => (element >= 0 && stack.some((f) => f.objects) ? `objects[${element}]` : (stack[0]?.key ?? 'body'));
  const fail = (field: string, message: string): never => {
    throw validationError(field, message);
  };

  const open = (container: Record<string, unknown> | unknown[]) => {
    const depth = stack.length;
    if (depth > limits.maxDepth) fail(where(), `nested deeper than ${limits.maxDepth} levels`);
    if (depth === 0) {
      if (started || Array.isArray(container)) fail('body', 'a STIX 2.1 bundle is a JSON object');
      started = true;
      stack.push({ c: null, key: null, root: true });
      return;
    }
    const parent = stack[stack.length - 1]!;
    if (parent.root) {
      if (parent.key === 'objects') {
        if (!Array.isArray(container)) fail('objects', 'must be an array of STIX objects');
        head.hasObjects = true;
        stack.push({ c: null, key: null, objects: true });
      } else stack.push({ c: null, key: null });
      return;
    }
    if (parent.objects) {
      element = head.objects++;
      if (head.objects > limits.maxObjects) fail('objects', `more than ${limits.maxObjects} objects in one bundle`);
      values = 1;
      stack.push({ c: container, key: null, element });
      return;
    }
    if (parent.c) {
      if (++values > limits.maxValuesPerObject) fail(where(), `more than ${limits.maxValuesPerObject} JSON values in one object`);
      attach(parent, container);
      stack.push({ c: container, key: null });
      return;
    }
    stack.push({ c: null, key: null });
  };

  const close = () => {
    const frame = stack.pop()!;
    if (frame.element !== undefined) ready.push([frame.c, frame.element]);
  };

  const scalar = (value: unknown) => {
    if (stack.length === 0) fail('body', 'a STIX 2.1 bundle is a JSON object');
    if (stack.length > limits.maxDepth) fail(where(), `nested deeper than ${limits.maxDepth} levels`);
    const parent = stack[stack.length - 1]!;
    if (parent.root) {
      // Copies: a string cut from the text would keep its whole chunk in memory (see stix-validate.ts, detach).
      if (parent.key === 'type') head.type = JSON.parse(JSON.stringify(value));
      else if (parent.key === 'id') head.id = JSON.parse(JSON.stringify(value));
      else if (parent.key === 'objects') fail('objects', 'must be an array of STIX objects');
      if (parent.key === 'type' && value !== 'bundle') fail('type', 'must be "bundle"');
    } else if (parent.objects) {
      element = head.objects++;
      if (head.objects > limits.maxObjects) fail('objects', `more than ${limits.maxObjects} objects in one bundle`);
      ready.push([value, element]);
    } else if (parent.c) {
      if (++values > limits.maxValuesPerObject) fail(where(), `more than ${limits.maxValuesPerObject} JSON values in one object`);
      attach(parent, value);
    }
  };

  const consume = (t: Token) => {
    switch (t.name) {
      case 'startObject':
        return open({});
      case 'startArray':
        return open([]);
      case 'endObject':
      case 'endArray':
        return close();
      case 'keyValue':
        stack[stack.length - 1]!.key = t.value as string;
        return;
      case 'startKey':
      case 'startString':
      case 'startNumber':
        length = 0;
        return;
      case 'stringChunk':
      case 'numberChunk':
        length += (t.value as string).length;
        if (length > limits.maxStringLength) fail(where(), `a string or number longer than ${limits.maxStringLength} characters`);
        return;
      case 'stringValue':
        return scalar(t.value);
      case 'numberValue':
        return scalar(Number(t.value));
      case 'nullValue':
        return scalar(null);
      case 'trueValue':
        return scalar(true);
      case 'falseValue':
        return scalar(false);
      default:
        return;
    }
  };

  const feed = (chunk: string | symbol) => {
    let out: unknown;
    try {
      out = parse(chunk);
    } catch (e) {
      return fail('body', `not valid JSON (${(e as Error).message}): truncated or not a STIX bundle`);
    }
    if (out === none) return;
    const tokens = (out as Record<symbol, unknown>)[manySymbol] === 1 ? (out as { values: Token[] }).values : [out as Token];
    for (const t of tokens) consume(t);
  };

  const drain = async () => {
    const batch = ready;
    ready = [];
    for (const [v, i] of batch) await onObject(v, i);
  };

  for await (const chunk of source) {
    feed(chunk);
    if (ready.length > 0) await drain();
  }
  feed(none);
  if (!started) fail('body', 'empty: a STIX 2.1 bundle is a JSON object');
  await drain();
  return head;
}
