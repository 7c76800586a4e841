/** A path into a spec: keys and array indexes, e.g. ['model', 'layers', 1, 'units']. */
export type PathSegments = (string | number)[];

/** Renders segments as `model.layers[1].units`. */
export function formatPath(segments: PathSegments): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** Parses `model.layers[1].units` into segments; undefined when malformed. */
export function parsePath(text: string): PathSegments | undefined {
  const segments: PathSegments = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    if (m[1] !== undefined) {
      if (!expectKey) return undefined;
      segments.push(m[1]);
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (expectKey) return undefined;
      segments.push(Number(m[2]));
    } else {
      if (expectKey) return undefined;
      expectKey = true;
    }
  }
  return re.lastIndex === text.length && !expectKey && segments.length > 0 ? segments : undefined;
}

/** Converts an ajv instancePath (`/model/layers/1`) into segments. */
export function fromPointer(pointer: string): PathSegments {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Reads the value at a path of a plain JS value. */
export function getAt(value: unknown, segments: PathSegments): unknown {
  let cur = value;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}
