// One-shot, idempotent set-up for a fresh machine: dependencies, Debian packages and code-server.
// Plain Node on purpose: it runs before `node_modules` exists. Usage: node test/harness/setup.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // the newest code-server that runs on Node 20 (VS Code 1.100.3)
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = join(ROOT, '.vscode-test');
export const CODE_SERVER_DIR = join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
const APT_PACKAGES = ['chromium', 'ripgrep', 'git', 'libkrb5-dev', 'pkg-config', 'build-essential', 'python3'];

const log = (msg) => console.log(`[setup] ${msg}`);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });

function ensureNodeModules() {
  if (existsSync(join(ROOT, 'node_modules', '.package-lock.json'))) return;
  log('installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function ensureDebianPackages() {
  const missing = ['/usr/bin/chromium', '/usr/bin/rg', '/usr/bin/git'].filter((p) => !existsSync(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.join(', ')}: run as root, or install: apt-get install ${APT_PACKAGES.join(' ')}`);
  }
  log(`installing Debian packages: ${APT_PACKAGES.join(' ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...APT_PACKAGES], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function ensureCodeServer() {
  if (existsSync(CODE_SERVER_BIN)) return;
  log(`installing code-server@${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (about a minute)`);
  const tmp = join(CACHE, 'tmp');
  // @vscode/ripgrep's postinstall downloads rg from GitHub; seed its cache with Debian's rg instead.
  const rgCache = join(tmp, 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(rgCache, { recursive: true });
  run('tar', ['czf', join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', '/usr/bin', 'rg']);
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  writeFileSync(join(CODE_SERVER_DIR, 'package.json'), '{"private":true}\n');
  run('npm', ['i', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CODE_SERVER_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      TMPDIR: tmp,
      npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
      npm_config_unsafe_perm: 'true', // code-server's postinstall refuses root without it
      npm_config_nodedir: '/usr', // build native modules against the local headers
    },
  });
  if (!existsSync(CODE_SERVER_BIN)) throw new Error(`code-server did not install into ${CODE_SERVER_DIR}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureNodeModules();
  ensureDebianPackages();
  ensureCodeServer();
  log('ready');
}
