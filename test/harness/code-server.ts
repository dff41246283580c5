// Runs code inside VS Code's real extension host without downloading VS Code: code-server (from npm,
// installed by setup.mjs into .vscode-test/) serves the workbench and its Node extension host, and
// Debian's Chromium driven by playwright-core opens it. VS Code's browser test harness reads
// `extensionDevelopmentPath`/`extensionTestsPath` from the URL's `payload` once the page configuration
// has `developmentOptions.enableSmokeTestDriver`, and reports the suite's end through
// `window.codeAutomationExit`. See /work/shared/harness/README.md for the pitfalls this avoids.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CODE_SERVER_BIN } from './setup.mjs';
import {
  HARNESS_DIR_ENV,
  LOG_PREFIX,
  parseScreenshotRequest,
  resultsFile,
  screenshotAck,
  type InHostTestResult,
  type ScreenshotRequest,
} from '../integration/suite/protocol';

export const CHROMIUM_BIN = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];
const VIEWPORT = { width: 1400, height: 900 };
/** User settings that keep a fresh profile quiet: no welcome page, telemetry or update notices. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.startupPrompt': 'never',
  'git.openRepositoryInParentFolders': 'never',
};

export interface CodeServerOptions {
  /** Folder opened in the workbench. */
  workspace: string;
  /** Installs this extension folder for the user (a symlink in the extensions dir), as the demo needs. */
  installExtension?: string;
  /** `false` leaves workspace trust on, so the folder opens in restricted mode. Default `true`. */
  trustWorkspace?: boolean;
  /** Extra environment for the server, hence for the extension host. */
  env?: Record<string, string>;
  /** 0 (default) lets the system pick a free port. */
  port?: number;
  /** Where the user-data, extensions and XDG folders go; by default a temp folder `stop()` removes. */
  workDir?: string;
}

export interface CodeServer {
  /** Workbench URL with the workspace folder open. */
  url: string;
  origin: string;
  /** The authority `vscode-remote://` URIs of server-side paths need. */
  remoteAuthority: string;
  stop(): Promise<void>;
}

const isMissing = (path: string) => !existsSync(path);

/** Throws with the fix when code-server or Chromium is not installed. */
export function assertPrerequisites(): void {
  const missing = [CODE_SERVER_BIN, CHROMIUM_BIN].filter(isMissing);
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(' and ')}: run node test/harness/setup.mjs`);
  }
}

/** Starts code-server in its own process group; `stop()` ends the whole group (also on process exit). */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertPrerequisites();
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'runlens-code-server-'));
  const ownsWorkDir = options.workDir === undefined;
  const dirs = {
    userData: join(workDir, 'user-data'),
    extensions: join(workDir, 'extensions'),
    xdg: join(workDir, 'xdg'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(QUIET_SETTINGS, null, 2),
  );
  if (options.installExtension) linkExtension(options.installExtension, dirs.extensions);

  const args = [
    '--config', join(workDir, 'config.yaml'),
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
    '--auth', 'none',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
    ...(options.trustWorkspace === false ? [] : ['--disable-workspace-trust']),
    options.workspace,
  ];
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
    XDG_STATE_HOME: join(dirs.xdg, 'state'),
    ...options.env,
  };
  const logFile = join(workDir, 'code-server.log');
  const child = spawn(CODE_SERVER_BIN, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const killGroup = processGroupKiller(child);
  const stop = async () => {
    await killGroup();
    if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const origin = await listeningOrigin(child, logFile);
    await waitForHealth(origin);
    const url = `${origin}/?folder=${encodeURIComponent(resolve(options.workspace))}`;
    const remoteAuthority = await readRemoteAuthority(url, origin);
    return { url, origin, remoteAuthority, stop };
  } catch (error) {
    await stop();
    throw new Error(`code-server did not start (log: ${logFile}): ${(error as Error).message}`);
  }
}

/** An extensions dir entry named as VS Code names installs, `<publisher>.<name>-<version>`; VS Code indexes it on start. */
function linkExtension(extensionPath: string, extensionsDir: string): void {
  const manifest = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8')) as {
    publisher: string; name: string; version: string;
  };
  const folder = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
  symlinkSync(resolve(extensionPath), join(extensionsDir, folder), 'dir');
}

/** SIGTERM to the whole group (code-server forks its server and the extension hosts), also on exit. */
function processGroupKiller(child: ChildProcess): () => Promise<void> {
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // the group is already gone
    }
  };
  process.once('exit', kill);
  return async () => {
    process.off('exit', kill);
    const exited = child.exitCode !== null || child.signalCode !== null;
    const exit = exited ? Promise.resolve() : new Promise((done) => child.once('exit', done));
    kill();
    await Promise.race([exit, sleep(5_000)]);
  };
}

/** Resolves with `http://127.0.0.1:<port>` from the server's own log line (so port 0 works, race-free). */
function listeningOrigin(child: ChildProcess, logFile: string): Promise<string> {
  const log = createWriteStream(logFile);
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      seen += chunk.toString();
      const match = /HTTP server listening on (http:\/\/[^/\s]+)/.exec(seen);
      if (match) resolvePromise(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${seen.slice(-2000)}`)));
    setTimeout(() => reject(new Error('no "HTTP server listening" line within 60 s')), 60_000).unref();
  });
}

async function waitForHealth(origin: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
    const response = await fetch(`${origin}/healthz`).catch(() => undefined);
    if (response?.ok) return;
  }
  throw new Error(`${origin}/healthz did not answer within 60 s`);
}

/** "127.0.0.1:<port>" in code-server 4.100, "remote" in newer builds: read it from the page itself. */
async function readRemoteAuthority(url: string, origin: string): Promise<string> {
  const html = await (await fetch(url)).text();
  return /remoteAuthority&quot;:&quot;([^&]*)&quot;/.exec(html)?.[1] ?? new URL(origin).host;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface Workbench {
  browser: Browser;
  page: Page;
}

/** Callbacks of VS Code's smoke-test driver, which the test runner in the workbench calls. */
export interface SmokeTestHooks {
  onExit(code: number, logs: VSCodeLog[]): void;
  /** Lines the extension host logged with LOG_PREFIX, starting at the prefix. */
  onSuiteLine(line: string, page: Page): void;
}

export interface VSCodeLog {
  relativePath: string;
  contents: string;
}

/**
 * Opens Chromium on `url`. With `hooks`, the workbench configuration `<meta>` is patched by an init
 * script before any page script reads it (intercepting the page with `route` breaks the websocket),
 * which turns on the smoke-test driver that honours the URL's test payload and calls the hooks.
 */
export async function openWorkbench(url: string, hooks?: SmokeTestHooks): Promise<Workbench> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_BIN, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  if (hooks) {
    await page.addInitScript(ENABLE_SMOKE_TEST_DRIVER);
    // The extension host's console reaches the page through the driver's log hook.
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
      const line = Array.isArray(args) ? args.join(' ') : String(args);
      if (line.includes(LOG_PREFIX)) hooks.onSuiteLine(line.slice(line.indexOf(LOG_PREFIX)), page);
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs: VSCodeLog[] | undefined) =>
      hooks.onExit(code, logs ?? []),
    );
  }
  await page.goto(url);
  return { browser, page };
}

/**
 * Page script (a string: this project compiles without the DOM types) that sets
 * `developmentOptions.enableSmokeTestDriver` in the embedded configuration as soon as it is parsed.
 */
const ENABLE_SMOKE_TEST_DRIVER = `
  const observer = new MutationObserver(() => {
    const meta = document.getElementById('vscode-workbench-web-configuration');
    if (!meta) return;
    observer.disconnect();
    const settings = JSON.parse(meta.getAttribute('data-settings') || '{}');
    settings.developmentOptions = { ...settings.developmentOptions, enableSmokeTestDriver: true };
    meta.setAttribute('data-settings', JSON.stringify(settings));
  });
  observer.observe(document, { childList: true, subtree: true });
`;

export interface RunInVSCodeOptions {
  workspace: string;
  /** The extension under development (its folder with package.json). */
  extensionPath: string;
  /** Bundled module exporting `run(): Promise<void>` (dist/test/suite.js). */
  testsPath: string;
  /** Where requested screenshots go; without it requests are acknowledged and nothing is written. */
  screenshotDir?: string;
  trustWorkspace?: boolean;
  /** Extra environment for the extension host. */
  env?: Record<string, string>;
  /** Default 180 s. */
  timeoutMs?: number;
  /** Also called with every suite line, for requests of a suite's own (e.g. queries into a webview). */
  onSuiteLine?(line: string, page: Page): void;
}

export interface RunInVSCodeResult {
  /** The code the suite's runner reported, or 'timeout'. */
  exitCode: number | 'timeout';
  /** What the suite wrote to its results file (empty if it never did). */
  results: InHostTestResult[];
  screenshots: string[];
  /** Server log, VS Code logs and the timeout screenshot; kept when the run failed. */
  workDir: string;
}

/** Runs the suite at `testsPath` in the extension host of a fresh code-server with the extension loaded. */
export async function runInVSCode(options: RunInVSCodeOptions): Promise<RunInVSCodeResult> {
  const log = (line: string) => console.log(line);
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const workDir = mkdtempSync(join(tmpdir(), 'runlens-vscode-test-'));
  const harnessDir = join(workDir, 'harness');
  mkdirSync(harnessDir);
  const server = await startCodeServer({
    workspace: options.workspace,
    trustWorkspace: options.trustWorkspace,
    env: { ...options.env, [HARNESS_DIR_ENV]: harnessDir },
    workDir,
  });
  log(`[driver] code-server up at ${server.origin} after ${elapsed()}`);
  let workbench: Workbench | undefined;
  let exitCode: number | 'timeout' = 'timeout';
  const screenshots: string[] = [];
  try {
    const remote = (path: string) => `vscode-remote://${server.remoteAuthority}${resolve(path)}`;
    const payload = [
      ['extensionDevelopmentPath', remote(options.extensionPath)],
      ['extensionTestsPath', remote(options.testsPath)],
      ['skipWelcome', 'true'],
    ];
    const url = `${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    let reportExit!: (code: number) => void;
    const exited = new Promise<number>((done) => (reportExit = done));
    workbench = await openWorkbench(url, {
      onExit: (code, logs) => {
        writeVSCodeLogs(join(workDir, 'vscode-logs'), logs);
        reportExit(code);
      },
      onSuiteLine: (line, page) => {
        log(line);
        options.onSuiteLine?.(line, page);
        const request = parseScreenshotRequest(line);
        if (!request) return;
        void takeScreenshot(page, request, options.screenshotDir)
          .then(
            (file) => file && screenshots.push(file),
            (error: Error) => log(`[driver] screenshot ${request.name} failed: ${error.message}`),
          )
          .finally(() => writeFileSync(screenshotAck(harnessDir, request.name), ''));
      },
    });
    const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), options.timeoutMs ?? 180_000).unref());
    exitCode = await Promise.race([exited, timeout]);
    log(`[driver] suite exited with ${exitCode} after ${elapsed()}`);
    if (exitCode === 'timeout' && workbench) {
      await workbench.page.screenshot({ path: join(workDir, 'timeout.png') }).catch(() => undefined);
    }
  } finally {
    await workbench?.browser.close().catch(() => undefined);
    await server.stop();
  }
  const results = readResults(harnessDir);
  if (exitCode === 0 && results.every((result) => result.passed)) rmSync(workDir, { recursive: true, force: true });
  else log(`[driver] logs kept in ${workDir}`);
  return { exitCode, results, screenshots, workDir };
}

async function takeScreenshot(page: Page, request: ScreenshotRequest, dir: string | undefined): Promise<string | undefined> {
  if (!dir) return undefined;
  if (request.waitForText) await page.getByText(request.waitForText, { exact: true }).first().waitFor({ timeout: 30_000 });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${request.name}.png`);
  await page.screenshot({ path: file });
  return file;
}

function writeVSCodeLogs(dir: string, logs: VSCodeLog[]): void {
  for (const { relativePath, contents } of logs) {
    const file = join(dir, relativePath);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, contents);
  }
}

function readResults(harnessDir: string): InHostTestResult[] {
  const file = resultsFile(harnessDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as InHostTestResult[]) : [];
}
