/** NaN and infinities (`.nan`, `.inf` in YAML) are numbers to YAML but never valid in a pipeline. */
import { formatPath, type PathSegments } from './path.ts';
import type { SchemaProblem } from './validate.ts';

/** Every non-finite number in a parsed spec, located at its value. */
export function nonFinite(value: unknown, at: PathSegments = []): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  // One shared path, pushed and popped: copied only for a value that is reported (a 10 MB file has 400,000 values).
  const path: PathSegments = [...at];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) out.push(problem([...path], v));
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (typeof x !== 'number' && (x === null || typeof x !== 'object')) continue;
        path.push(k);
        walk(x);
        path.pop();
      }
    }
  };
  walk(value);
  return out;
}

function problem(segments: PathSegments, v: number): SchemaProblem {
  return { code: 'spec/not-finite', path: formatPath(segments), segments, at: 'value', message: `expected a finite number, got ${String(v)}`, hint: 'write an ordinary number; .nan and .inf are not accepted anywhere in a pipeline' };
}
