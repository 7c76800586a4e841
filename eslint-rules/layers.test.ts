import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

// The repository's own eslint.config.js, so these also prove `pnpm lint` runs the rule where it should.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The kiln/layers messages ESLint reports for `code` saved as `file` (relative to the repository root). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'kiln/layers').map((m) => m.message);
}

describe('kiln/layers', () => {
  it.each([
    ['packages/runner/src/model/transfer-x.ts', "import { predict } from '../predict/predict.ts';\n", 'runner/model must not import runner/predict'],
    ['packages/runner/src/sweep/report-x.ts', "import { renderTable } from '../cli/table.ts';\n", 'runner/sweep must not import runner/cli'],
    ['packages/runner/src/train/deep/x.ts', "export { main } from '../../cli/main.ts';\n", 'runner/train must not import runner/cli'],
    ['packages/runner/src/run/x.ts', "const m = await import('../cli/main.ts');\nexport default m;\n", 'runner/run must not import runner/cli'],
    ['packages/runner/src/data/x.ts', "import { deriveSeed } from '../model/seed.ts';\n", 'runner/data must not import runner/model'],
    // model.from's parent run is loaded by run/ and handed to the model builder, so no model file reaches artifacts/.
    ['packages/runner/src/model/transfer.ts', "import { loadRun } from '../artifacts/load.ts';\n", 'runner/model must not import runner/artifacts'],
    ['packages/runner/src/predict/x.ts', "export * from '../sweep/worker.ts';\n", 'runner/predict must not import runner/sweep'],
    ['packages/core/src/store/x.ts', "import { startRun } from '@kiln/runner';\n", 'must not import @kiln/runner'],
    ['packages/core/src/spec/x.ts', "import { uiApp } from '@kiln/tracker-ui';\n", 'must not import @kiln/tracker-ui'],
    ['packages/tracker-ui/src/runs/x.ts', "import { eq } from 'drizzle-orm';\n", 'SQL against the schema lives in @kiln/core/store'],
    ['packages/runner/src/cli/commands/x.ts', "import { createApp } from '@kiln/tracker-ui';\n", 'Nothing imports @kiln/tracker-ui'],
    ['packages/runner/src/cli/x.ts', "import { tables } from '../../../core/src/store/index.ts';\n", 'Import @kiln/core by its package name'],
    ['packages/runner/src/newfolder/x.ts', "import { mulberry32 } from '../random/index.ts';\n", 'runner/src/newfolder has no rank'],
  ])('rejects a wrong import in %s', async (file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it.each([
    ['packages/runner/src/model/x.ts', "import type { PreprocessState } from '../data/types.ts';\n"],
    ['packages/runner/src/cli/commands/x.ts', "import { trainPipeline } from '../../run/train-pipeline.ts';\n"],
    ['packages/runner/src/sweep/x.ts', "import { renderTable } from '../terminal/table.ts';\n"],
    ['packages/tracker-ui/src/runs/x.ts', "import { listRuns } from '@kiln/core/store';\n"],
    // Tests may reach across layers to set up and check.
    ['packages/runner/src/model/x.test.ts', "import { predict } from '../predict/predict.ts';\n"],
  ])('accepts an import along the flow in %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
