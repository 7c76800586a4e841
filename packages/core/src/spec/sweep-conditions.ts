// Conditional sweep parameters (`when:`), checked where the file says them so the error points at
// the line: a condition must name another sweep parameter, list values that parameter can take,
// and the conditions must not go round in a circle. The runner's samplers check the same for
// spaces built in code (sweep/samplers/conditions.ts).
import type { PathSegments } from './path.ts';
import { formatPath } from './path.ts';
import type { DistributionSpec } from './schema/sweep.ts';
import type { SchemaProblem } from './validate.ts';

type Scalar = number | string | boolean;

const problem = (segments: PathSegments, message: string, hint: string, at: 'key' | 'value' = 'key'): SchemaProblem => ({
  code: 'check/sweep-condition',
  path: formatPath(segments),
  segments,
  at,
  message,
  hint,
});

/** Whether a distribution can ever take `v` (membership, or range, integrality and step). */
function canTake(d: DistributionSpec, v: Scalar): boolean {
  if (d.type === 'values') return d.values.some((x) => x === v);
  if (typeof v !== 'number' || v < d.low || v > d.high) return false;
  if ((d.type === 'int' || d.type === 'intLog') && !Number.isInteger(v)) return false;
  const step = d.type === 'int' ? (d.step ?? 1) : d.type === 'uniform' ? d.step : undefined;
  if (step === undefined) return true;
  const k = (v - d.low) / step;
  return Math.abs(k - Math.round(k)) < 1e-6;
}

/** The values a condition accepts (a single value or a list). */
const accepted = (v: Scalar | Scalar[]): Scalar[] => (Array.isArray(v) ? v : [v]);

/** Problems with one parameter's conditions. */
function conditionProblems(params: Record<string, DistributionSpec>, name: string, when: Record<string, Scalar | Scalar[]>): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const [ref, values] of Object.entries(when)) {
    const at: PathSegments = ['sweep', 'parameters', name, 'when', ref];
    const target = params[ref];
    const others = Object.keys(params).filter((k) => k !== name);
    if (ref === name) out.push(problem(at, `${name} cannot depend on itself`, 'name another parameter of the sweep'));
    else if (target === undefined) out.push(problem(at, `${name} depends on ${ref}, which is not a parameter of this sweep`, others.length > 0 ? `use one of ${others.join(', ')}, or add ${ref} to sweep.parameters` : `add ${ref} to sweep.parameters`));
    else {
      const never = accepted(values).filter((v) => !canTake(target, v));
      const choices = target.type === 'values' ? `one of ${target.values.map((v) => JSON.stringify(v)).join(', ')}` : `a value from ${target.low} to ${target.high}`;
      if (never.length > 0) out.push(problem(at, `${ref} can never be ${never.map((v) => JSON.stringify(v)).join(', ')}, so ${name} would ${never.length === accepted(values).length ? 'never be swept' : 'wait on an impossible value'}`, `use ${choices}`, 'value'));
    }
  }
  return out;
}

/** The first circle of conditions (a -> b -> a), as names, or undefined. */
function circle(params: Record<string, DistributionSpec>): string[] | undefined {
  const done = new Set<string>();
  const walk = (name: string, path: string[]): string[] | undefined => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return undefined;
    for (const ref of Object.keys(params[name]?.when ?? {})) {
      const found = ref === name || params[ref] === undefined ? undefined : walk(ref, [...path, name]);
      if (found) return found;
    }
    done.add(name);
    return undefined;
  };
  for (const name of Object.keys(params)) {
    const found = walk(name, []);
    if (found) return found;
  }
  return undefined;
}

/** Every problem with the `when:` conditions of a sweep's parameters; the gp method takes none (its process needs every parameter in every trial). */
export function checkSweepConditions(params: Record<string, DistributionSpec>, method?: string): SchemaProblem[] {
  const firstConditional = Object.keys(params).find((name) => params[name]?.when !== undefined);
  if (method === 'gp' && firstConditional !== undefined) {
    return [problem(['sweep', 'parameters', firstConditional, 'when'], `the gp method models every parameter in every trial, and ${firstConditional} exists only in some`, "use method: tpe for a space with conditional parameters, or drop the 'when'")];
  }
  const out = Object.entries(params).flatMap(([name, d]) => (d.when ? conditionProblems(params, name, d.when) : []));
  const found = out.length === 0 ? circle(params) : undefined;
  const [first] = found ?? [];
  if (found && first !== undefined) out.push(problem(['sweep', 'parameters', first, 'when'], `sweep conditions go round in a circle: ${found.join(' -> ')}`, 'a parameter can only depend on parameters that do not depend on it'));
  return out;
}

/**
 * For validating a conditional parameter's values: each condition's first value, so the spec it is
 * tried in is one where it exists; undefined when its conditions are themselves wrong (reported above).
 */
export function conditionAssignments(params: Record<string, DistributionSpec>, name: string): Array<[string, Scalar]> | undefined {
  const when = params[name]?.when ?? {};
  if (conditionProblems(params, name, when).length > 0) return undefined;
  return Object.entries(when).flatMap(([ref, v]) => {
    const [first] = accepted(v);
    return first === undefined ? [] : [[ref, first] as [string, Scalar]];
  });
}
