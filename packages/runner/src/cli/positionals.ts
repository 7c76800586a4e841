/** Checks a command's positional arguments against the usage words of its option table (options.ts `args`). */
import { kilnError, type KilnError } from '@kiln/core/errors';
import { didYouMean } from '@kiln/core/spec/suggest';

interface Shape {
  min: number;
  /** undefined: any number. */
  max: number | undefined;
  /** Literal words the first argument must be one of (`migrate | copy`). */
  choices?: string[];
}

/** What the usage words allow: `[X]` optional, `X` required, `X...` one or more, `a | b` one of the words. */
export function positionalShape(args: readonly string[]): Shape {
  let min = 0;
  let max: number | undefined = 0;
  let choices: string[] | undefined;
  for (const word of args) {
    const optional = word.startsWith('[');
    if (!optional) min++;
    if (word.endsWith('...') || (optional && word.includes(' '))) max = undefined;
    else if (max !== undefined) max++;
    if (!optional && word.includes('|')) choices = word.split('|').map((w) => w.trim());
  }
  return choices === undefined ? { min, max } : { min, max, choices };
}

/** The usage problem with `positionals` for command `name`, if any. */
export function checkPositionals(name: string, args: readonly string[], positionals: readonly string[]): KilnError | undefined {
  const shape = positionalShape(args);
  const usage = `usage: kiln ${name} ${args.join(' ')}`.trim();
  if (positionals.length < shape.min) {
    const missing = args.filter((w) => !w.startsWith('['))[positionals.length] ?? '';
    const count = shape.max === shape.min ? `${shape.min}` : `at least ${shape.min}`;
    return kilnError('cli/missing-argument', '', `kiln ${name} needs ${count} argument${shape.min === 1 ? '' : 's'} (${args.join(' ')}), got ${positionals.length}: ${missing} is missing`, usage);
  }
  if (shape.max !== undefined && positionals.length > shape.max) {
    return kilnError('cli/extra-argument', '', `kiln ${name} takes ${shape.max === 0 ? 'no arguments' : `at most ${shape.max} argument${shape.max === 1 ? '' : 's'}`}, got ${positionals.length}: unexpected "${positionals[shape.max]}"`, usage);
  }
  const first = positionals[0];
  if (shape.choices !== undefined && first !== undefined && !shape.choices.includes(first)) {
    const guess = didYouMean(first, shape.choices);
    return kilnError('cli/bad-choice', '', `kiln ${name} needs one of ${shape.choices.join(', ')}, got "${first}"`, guess ? `did you mean "kiln ${name} ${guess}"?` : usage);
  }
  return undefined;
}
