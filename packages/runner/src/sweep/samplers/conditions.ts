// Conditional parameters: a parameter with `when: { other: value(s) }` exists only in trials where
// `other` exists and takes one of those values (momentum only for sgd). Samplers visit parameters in
// dependency order and leave an inactive parameter out of the trial's params; the TPE models each
// group of parameters that share a condition with the trials where that group existed.
import { kilnError, type KilnError } from '@kiln/core';
import { contains, validateDistributions, type Choice, type Condition, type Params, type SearchSpace } from './space.ts';

/** The values a condition entry accepts (a single value or a list). */
export function conditionValues(v: Choice | readonly Choice[]): readonly Choice[] {
  return Array.isArray(v) ? v : [v as Choice];
}

const show = (v: Choice) => JSON.stringify(v);

/** Problems with one parameter's `when` (unknown parameter, itself, a value its parameter never takes). */
function conditionProblems(space: SearchSpace, name: string, when: Condition): KilnError[] {
  const out: KilnError[] = [];
  for (const [ref, accepted] of Object.entries(when)) {
    const path = `${name}.when.${ref}`;
    const target = space[ref];
    const values = conditionValues(accepted);
    if (ref === name) out.push(kilnError('sweep/bad-condition', path, `'${name}' cannot depend on itself`, 'name another parameter of the sweep'));
    else if (target === undefined) out.push(kilnError('sweep/bad-condition', path, `'${name}' depends on '${ref}', which is not a parameter of this sweep`, `use one of ${Object.keys(space).filter((k) => k !== name).join(', ') || '(no other parameter)'}`));
    else if (values.length === 0) out.push(kilnError('sweep/bad-condition', path, `'${name}' lists no value of '${ref}'`, 'list at least one value'));
    else {
      const never = values.filter((v) => !contains(target, v));
      if (never.length > 0) out.push(kilnError('sweep/bad-condition', path, `'${ref}' can never be ${never.map(show).join(', ')}, so '${name}' would ${never.length === values.length ? 'never exist' : 'wait on an impossible value'}`, target.type === 'values' ? `use one of ${target.values.map(show).join(', ')}` : `use values from ${target.low} to ${target.high} on its grid`));
    }
  }
  return out;
}

/** Parameter names with every parameter after the ones its condition names (declared order otherwise); cycles are left in place. */
export function dependencyOrder(space: SearchSpace): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.has(name) || space[name] === undefined) return;
    state.set(name, 'visiting');
    for (const ref of Object.keys(space[name]?.when ?? {})) visit(ref);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(space)) visit(name);
  return order;
}

/** The first dependency cycle among conditions, as the names along it, or undefined. */
function findCycle(space: SearchSpace): string[] | undefined {
  const onPath: string[] = [];
  const done = new Set<string>();
  const walk = (name: string): string[] | undefined => {
    const at = onPath.indexOf(name);
    if (at >= 0) return [...onPath.slice(at), name];
    if (done.has(name) || space[name] === undefined) return undefined;
    onPath.push(name);
    for (const ref of Object.keys(space[name]?.when ?? {})) {
      const cycle = ref === name ? undefined : walk(ref);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(name);
    return undefined;
  };
  for (const name of Object.keys(space)) {
    const cycle = walk(name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Every problem with a space: its distributions and its conditions (empty when usable). */
export function validateSpace(space: SearchSpace): KilnError[] {
  const errors = validateDistributions(space);
  for (const [name, d] of Object.entries(space)) if (d.when !== undefined) errors.push(...conditionProblems(space, name, d.when));
  const cycle = errors.length === 0 ? findCycle(space) : undefined;
  if (cycle) {
    const [first = ''] = cycle;
    errors.push(kilnError('sweep/bad-condition', `${first}.when`, `conditions go round in a circle: ${cycle.join(' -> ')}`, 'a parameter can only depend on parameters that do not depend on it'));
  }
  return errors;
}

/** Whether `name` exists given the parameters drawn so far (those its condition names are drawn first). */
export function isActive(space: SearchSpace, name: string, params: Params): boolean {
  const when = space[name]?.when;
  if (when === undefined) return true;
  return Object.entries(when).every(([ref, accepted]) => {
    const v = params[ref];
    return v !== undefined && conditionValues(accepted).some((a) => a === v);
  });
}

/** Whether any parameter of the space is conditional. */
export function hasConditions(space: SearchSpace): boolean {
  return Object.values(space).some((d) => d.when !== undefined);
}

/** A point with the parameters its own values switch off removed. */
export function activeOnly(space: SearchSpace, params: Params): Params {
  const out: Params = {};
  for (const name of dependencyOrder(space)) {
    const v = params[name];
    if (v !== undefined && isActive(space, name, out)) out[name] = v;
  }
  return out;
}

/**
 * Parameters grouped by their condition (the subspaces of Optuna's group=True: parameters that
 * always exist together), in dependency order, so each group's condition is decided by earlier ones.
 */
export function conditionGroups(space: SearchSpace): string[][] {
  const groups = new Map<string, string[]>();
  for (const name of dependencyOrder(space)) {
    const when = space[name]?.when;
    const key = when === undefined ? '' : JSON.stringify(Object.entries(when).map(([k, v]) => [k, [...conditionValues(v)].map(show).sort()]).sort());
    const group = groups.get(key);
    if (group) group.push(name);
    else groups.set(key, [name]);
  }
  return [...groups.values()];
}
