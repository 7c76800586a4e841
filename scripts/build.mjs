#!/usr/bin/env node
// `pnpm build` (also run by `pnpm install` through the root `prepare` script): every package to dist/.
//
// Why esbuild + tsc: esbuild is already in the tree (tsx and vitest use it), bundles the three
// packages in well under a second, and its ESM code splitting keeps each CLI command's lazy
// `load()` import a separate chunk, so `kiln validate` never reads TensorFlow.js. It does not
// type-check or write declarations, so `tsc --emitDeclarationOnly` writes the .d.ts files of the
// public entry points (skipped with --js: the test setup and `pnpm install` only need runnable code).
//
// npm dependencies stay external (installed beside the package; INLINE names the two exceptions),
// and so does @kiln/core for the runner and the UI. Files are replaced only when their content changed, each by an atomic rename,
// so a test or a CLI process running from dist/ meanwhile never reads a half-written chunk.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Entry points besides the `source` files of each package's exports map: processes' entries. */
const EXTRA_ENTRIES = {
  core: [],
  runner: ['src/cli/bin.ts'],
  'tracker-ui': ['src/main.ts'],
};

/**
 * npm dependencies bundled in after all, for start-up: TypeBox is 200 ES modules and yaml ~40
 * CommonJS files, and resolving and compiling them one by one took a third of `kiln validate`.
 * They stay in `dependencies` (the declarations name TypeBox's types).
 */
const INLINE = { core: ['@sinclair/typebox', 'yaml'], runner: [], 'tracker-ui': [] };

/**
 * Browser bundles a package serves as static files (not imports of its own code): entries under
 * src/, written beside the package's other output in dist/. The UI's client imports core's number
 * formatter, so it is bundled rather than served module by module; uPlot stays a separate file the
 * server already serves at /static/vendor/, so that import is left as is. The runner's are the modules
 * `kiln export-model` copies into an exported model's folder (src/export/browser).
 */
const CLIENT = { core: null, runner: { entries: ['src/export/browser/kiln-model.ts', 'src/export/browser/kiln-layers.ts'], external: [] }, 'tracker-ui': { entries: ['src/client/app.js'], external: ['./vendor/*'] } };

const readPackage = (pkgDir) => JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

/** The TypeScript sources named by the `source` conditions of a package's exports map. */
function exportedSources(pkgDir) {
  return Object.values(readPackage(pkgDir).exports ?? {}).flatMap((e) => (typeof e === 'object' && e.source ? [e.source.replace(/^\.\//, '')] : []));
}

/**
 * Bare imports stay external (npm packages, @kiln/core), except those in `inline` and a package
 * importing itself by name (core's testing helpers import `@kiln/core/store`): that gets its own
 * sources, not a second copy of the module from dist/.
 */
function externals(pkgDir, inline) {
  const pkg = readPackage(pkgDir);
  const within = (path, name) => path === name || path.startsWith(`${name}/`);
  return {
    name: 'kiln-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (inline.some((name) => within(args.path, name))) return undefined;
        if (!within(args.path, pkg.name)) return { path: args.path, external: true };
        const entry = pkg.exports?.[`.${args.path.slice(pkg.name.length)}`];
        return typeof entry === 'object' && entry.source ? { path: join(pkgDir, entry.source) } : undefined;
      });
    },
  };
}

/** Fails the build when a bundle imports an npm package its package.json does not depend on (it would work here, in the workspace, and break once installed). */
function undeclaredImports(name, pkg, metafile) {
  const declared = new Set([pkg.name, ...Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies })]);
  const packageOf = (path) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');
  const missing = new Set(
    Object.values(metafile.outputs)
      .flatMap((o) => o.imports)
      .filter((i) => i.external && !i.path.startsWith('node:') && !isBuiltin(i.path))
      .map((i) => packageOf(i.path))
      .filter((p) => !declared.has(p)),
  );
  if (missing.size > 0) {
    process.stderr.write(`kiln build: @kiln/${name} imports ${[...missing].join(', ')} without depending on it (packages/${name}/package.json)\n`);
    throw Object.assign(new Error('undeclared imports'), { errors: [] });
  }
}

/** Every file under dir (relative paths) whose name ends with one of exts. */
function listFiles(dir, exts, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return listFiles(p, exts, base);
    return exts.some((x) => d.name.endsWith(x)) ? [relative(base, p)] : [];
  });
}

/** Makes dir hold exactly `files` among the files ending with exts: changed ones renamed into place, stale ones removed. */
function sync(dir, files, exts) {
  let written = 0;
  for (const [rel, text] of files) {
    const target = join(dir, rel);
    if (existsSync(target) && readFileSync(target).equals(Buffer.from(text))) continue;
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, target);
    written++;
  }
  for (const rel of listFiles(dir, exts)) if (!files.has(rel)) rmSync(join(dir, rel));
  return written;
}

/** A package's browser bundle (CLIENT), as esbuild output files under dist/; none when it has no client. */
async function buildClient(pkgDir, client) {
  if (client === null) return [];
  const result = await esbuild.build({
    absWorkingDir: pkgDir,
    entryPoints: client.entries,
    outbase: 'src',
    outdir: 'dist',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // @kiln/core/format from its TypeScript source: core's dist/ is being built at the same time.
    conditions: ['source'],
    external: client.external,
    logLevel: 'warning',
    write: false,
  });
  return result.outputFiles;
}

/** Bundles one package's entries into its dist/ folder. */
async function buildJs(name) {
  const pkgDir = join(ROOT, 'packages', name);
  const entries = [...exportedSources(pkgDir), ...EXTRA_ENTRIES[name]];
  const missing = entries.filter((e) => !existsSync(join(pkgDir, e)));
  if (missing.length > 0) {
    process.stderr.write(`kiln build: @kiln/${name}: the exports map names ${missing.join(', ')}, which does not exist\n`);
    throw Object.assign(new Error('missing entry points'), { errors: [] });
  }
  const result = await esbuild.build({
    absWorkingDir: pkgDir,
    entryPoints: entries,
    outbase: 'src',
    outdir: 'dist',
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    // esbuild re-indents core's generated 930 KB validator to 1.8 MB; parsing that was ~15 ms of `kiln validate`.
    // Names stay, so stack traces stay readable (positions through the source maps: node --enable-source-maps).
    minifyWhitespace: true,
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'warning',
    plugins: [externals(pkgDir, INLINE[name])],
    // inlined CommonJS (yaml) calls require(), which an ES module has to make for itself
    banner: INLINE[name].length > 0 ? { js: "import { createRequire as __kilnCreateRequire } from 'node:module'; const require = __kilnCreateRequire(import.meta.url);" } : {},
    write: false,
    metafile: true,
  });
  undeclaredImports(name, readPackage(pkgDir), result.metafile);
  const dist = join(pkgDir, 'dist');
  const outputs = [...result.outputFiles, ...(await buildClient(pkgDir, CLIENT[name]))];
  const files = new Map(outputs.map((f) => [relative(dist, f.path), f.contents]));
  return sync(dist, files, ['.js', '.js.map']);
}

/** Declarations of one package (tsc into a scratch folder, then synced into dist/). */
function buildTypes(name) {
  const pkgDir = join(ROOT, 'packages', name);
  const out = mkdtempSync(join(tmpdir(), `kiln-dts-${name}-`));
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(pkgDir, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' });
    const files = new Map(listFiles(out, ['.d.ts']).map((rel) => [rel, readFileSync(join(out, rel))]));
    return sync(join(pkgDir, 'dist'), files, ['.d.ts']);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const jsOnly = process.argv.includes('--js');
const t0 = performance.now();
// core first: the others' declarations read core's (through its `types` condition).
const names = ['core', 'tracker-ui', 'runner'];
let counts;
try {
  counts = await Promise.all(names.map(buildJs));
  if (!jsOnly) for (const name of names) buildTypes(name);
} catch (err) {
  // esbuild and tsc have already printed their located messages; a stack trace would add nothing.
  if (!Array.isArray(err?.errors) && err?.status === undefined) throw err;
  process.stderr.write('kiln build failed\n');
  process.exit(1);
}
const written = counts.reduce((a, b) => a + b, 0);
process.stderr.write(`kiln build: ${names.length} packages${jsOnly ? ' (JavaScript only)' : ''}, ${written} JavaScript file(s) changed, ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
