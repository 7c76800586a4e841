import { describe, expect, expectTypeOf, it } from 'vitest';
import { dashValuesInline, parseCommandArgs } from './args.ts';
import { COMMANDS, GLOBAL_OPTIONS, type Args } from './options.ts';

const runsTable = { ...GLOBAL_OPTIONS, ...(COMMANDS.runs?.options ?? {}) };
const values = (argv: string[]) => {
  const r = parseCommandArgs('runs', [], runsTable, argv);
  if ('code' in r) throw new Error(`${r.code}: ${r.message}`);
  return r.values;
};

describe('option values', () => {
  it('takes a value that starts with - after an option that needs one (a descending sort, a negative number)', () => {
    expect(values(['--sort', '-metrics.val.accuracy'])).toMatchObject({ sort: '-metrics.val.accuracy' });
    expect(values(['--sort=-metrics.val.accuracy'])).toMatchObject({ sort: '-metrics.val.accuracy' });
    expect(values(['-n', '-3', '--sort', '-name'])).toMatchObject({ limit: -3, sort: '-name' });
  });

  it('still reads an option after a value-taking one as an option, and -- ends the options', () => {
    expect(parseCommandArgs('runs', [], runsTable, ['--sort', '--json'])).toMatchObject({ code: 'cli/bad-arguments' });
    expect(parseCommandArgs('runs', [], runsTable, ['--sort', '-e'])).toMatchObject({ code: 'cli/bad-arguments' });
    expect(dashValuesInline(['--sort', 'name', '--', '--sort', '-x'], runsTable)).toEqual(['--sort', 'name', '--', '--sort', '-x']);
    expect(dashValuesInline(['--json', '-x'], runsTable)).toEqual(['--json', '-x']);
  });

  it('gives flags false, lists [] and defaults when absent', () => {
    expect(values([])).toEqual({ help: false, version: false, experiment: undefined, filter: undefined, sort: undefined, limit: 20, store: undefined, json: false, folds: false });
    const sweep = COMMANDS.sweep?.parse([]);
    expect(sweep && !('code' in sweep) && sweep.help).toBe(false);
  });

  it('refuses a number that is not one, naming the option', () => {
    expect(parseCommandArgs('runs', [], runsTable, ['--limit', 'ten'])).toMatchObject({ code: 'cli/bad-option', path: '--limit' });
    expect(parseCommandArgs('runs', [], runsTable, ['--limit', ''])).toMatchObject({ code: 'cli/bad-option', path: '--limit' });
  });

  it('every default of a table is one of its choices and of its type', () => {
    for (const def of Object.values(COMMANDS)) {
      for (const o of Object.values(def.options)) {
        if (o.type === 'string' && o.default !== undefined && o.choices !== undefined) expect(o.choices).toContain(o.default);
        if (o.type === 'number' && o.default !== undefined) expect(Number.isFinite(o.default)).toBe(true);
      }
    }
  });

  it("types each command's options from its table", () => {
    expectTypeOf<Args<'export'>['options']['format']>().toEqualTypeOf<'csv' | 'json'>();
    expectTypeOf<Args<'runs'>['options']['limit']>().toEqualTypeOf<number>();
    expectTypeOf<Args<'runs'>['options']['sort']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Args<'runs'>['options']['json']>().toEqualTypeOf<boolean>();
    expectTypeOf<Args<'train'>['options']['set']>().toEqualTypeOf<string[]>();
    expectTypeOf<Args<'sweep'>['options']['max-minutes']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Args<'ui'>['options']['host']>().toEqualTypeOf<string>();
    expectTypeOf<Args<'schema'>['options']>().toEqualTypeOf<{ help: boolean; version: boolean }>();
  });
});
