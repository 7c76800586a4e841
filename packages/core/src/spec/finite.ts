/** NaN and infinities (`.nan`, `.inf` in YAML) are numbers to YAML but never valid in a pipeline. */
import { formatPath, type PathSegments } from './path.ts';
import type { SchemaProblem } from './validate.ts';

type Step = { value: unknown; key: string | number; parent: Step | undefined };

/** Every non-finite number in a parsed spec, located at its value. */
export function nonFinite(value: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const stack: Step[] = [{ value, key: '', parent: undefined }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const v = step.value;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      const segments = pathOf(step);
      out.push({ code: 'spec/not-finite', path: formatPath(segments), segments, at: 'value', message: `expected a finite number, got ${String(v)}`, hint: 'write an ordinary number; .nan and .inf are not accepted anywhere in a pipeline' });
    } else if (Array.isArray(v)) v.forEach((x, i) => stack.push({ value: x, key: i, parent: step }));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) stack.push({ value: x, key: k, parent: step });
  }
  return out;
}

/** The path of a step, built only for the (rare) values that are reported. */
function pathOf(step: Step): PathSegments {
  const segments: PathSegments = [];
  for (let s: Step | undefined = step; s?.parent; s = s.parent) segments.unshift(s.key);
  return segments;
}
