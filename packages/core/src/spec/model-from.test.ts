import { describe, expect, it } from 'vitest';
import { loadPipelineText } from './load.ts';

const spec = (from: string) => `name: t
data:
  source: { type: builtin, name: penguins }
  features:
    - { name: Island, type: category }
  target: { name: Species, type: multiclass }
model:
  from: ${from}
  layers:
    - { type: dense, units: 3, activation: softmax }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam }
`;

const errors = (from: string) => {
  const r = loadPipelineText('t.yaml', spec(from), { overrides: [] });
  return r.ok ? [] : r.errors.map((e) => ({ code: e.code, path: e.path, line: e.line, message: e.message }));
};

describe('model.from: run or model', () => {
  it('takes a run id or a registered model reference (NAME@ALIAS, NAME@VERSION, NAME)', () => {
    for (const from of ['{ run: 1a2b3c }', '{ model: penguins@production }', '{ model: penguins@3 }', '{ model: penguins.v2_x-1 }']) expect(errors(from), from).toEqual([]);
  });

  it('refuses both, neither, and a reference that is no NAME[@ALIAS|@VERSION], at the line written', () => {
    expect(errors('{ run: 1a2b3c, model: penguins@production }')).toEqual([{ code: 'check/model-from', path: 'model.from', line: 8, message: 'model.from has both run and model' }]);
    expect(errors('{ freeze: true }')).toEqual([expect.objectContaining({ code: 'check/model-from', path: 'model.from', message: expect.stringContaining('model.from needs run or model') })]);
    for (const bad of ['"penguins prod"', 'a@b@c', '"@production"', '"<b>x</b>"']) expect(errors(`{ model: ${bad} }`)[0], bad).toMatchObject({ path: 'model.from.model', line: 8 });
  });
});
