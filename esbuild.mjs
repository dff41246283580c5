// Bundles the extension, the CLI and the in-editor test suite; copies the SQLite WASM binary beside them.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['vscode'],
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts', cli: 'src/cli/main.ts' }, outdir: 'dist' },
];
if (existsSync('test/integration/suite/index.ts')) {
  builds.push({ ...common, entryPoints: { suite: 'test/integration/suite/index.ts' }, outdir: 'dist/test' });
}

mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm', 'dist/node-sqlite3-wasm.wasm');

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
