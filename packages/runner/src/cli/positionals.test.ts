import { describe, expect, it } from 'vitest';
import { COMMANDS } from './options.ts';
import { positionalShape } from './positionals.ts';

function parse(name: string, argv: string[]) {
  const def = COMMANDS[name];
  if (def === undefined) throw new Error(`no command ${name}`);
  return def.parse(argv);
}
const codeOf = (r: ReturnType<typeof parse>) => ('code' in r ? r.code : 'ok');

describe('positionalShape', () => {
  it.each([
    [['[FILE]'], { min: 0, max: 1 }],
    [['FILE...'], { min: 1, max: undefined }],
    [['RUN', 'RUN...'], { min: 2, max: undefined }],
    [['RUN', 'FILE'], { min: 2, max: 2 }],
    [['[FILE | show SWEEP_ID]'], { min: 0, max: undefined }],
    [['migrate | copy'], { min: 1, max: 1, choices: ['migrate', 'copy'] }],
    [[], { min: 0, max: 0 }],
  ])('%j -> %j', (args, shape) => {
    expect(positionalShape(args)).toEqual(shape);
  });
});

describe('parsing checks arguments before a command runs', () => {
  it.each([
    ['show', [], 'cli/missing-argument'],
    ['show', ['a'], 'ok'],
    ['show', ['a', 'b'], 'cli/extra-argument'],
    ['compare', ['a'], 'cli/missing-argument'],
    ['compare', ['a', 'b', 'c'], 'ok'],
    ['delete', [], 'cli/missing-argument'],
    ['tag', ['a'], 'cli/missing-argument'],
    ['export', ['--format', 'xml'], 'cli/bad-choice'],
    ['export', ['--format', 'json'], 'ok'],
    ['store', ['migrat'], 'cli/bad-choice'],
    ['store', ['copy'], 'ok'],
    ['runs', ['oops'], 'cli/extra-argument'],
    ['sweep', ['show', 'abc'], 'ok'],
    ['train', [], 'ok'],
    ['show', ['--help'], 'ok'],
  ])('kiln %s %j -> %s', (name, argv, code) => {
    expect(codeOf(parse(name, argv))).toBe(code);
  });

  it('names the choices and guesses the intended one', () => {
    expect(parse('export', ['--format', 'jsn'])).toMatchObject({ path: '--format', message: '--format must be one of csv, json, got "jsn"', hint: 'did you mean --format json?' });
  });
});
