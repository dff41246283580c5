// Bundles the extension, the CLI, each webview and each in-editor test suite; copies the SQLite WASM
// binary beside the extension.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['vscode'],
};

/** `<dir>/<name>/<file>` for every sub-folder that has one, keyed by the sub-folder's name. */
function entries(dir, file) {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(`${dir}/${e.name}/${file}`))
      .map((e) => [e.name, `${dir}/${e.name}/${file}`]),
  );
}

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts', cli: 'src/cli/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: entries('test/integration', 'index.ts'), outdir: 'dist/test' },
  {
    ...node,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    external: [],
    entryPoints: entries('webview', 'main.ts'),
    outdir: 'dist/webview',
    loader: { '.css': 'css', '.ttf': 'file', '.woff2': 'file' },
  },
].filter((options) => Object.keys(options.entryPoints).length > 0);

mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm', 'dist/node-sqlite3-wasm.wasm');

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
