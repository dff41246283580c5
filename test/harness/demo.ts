// `npm run demo`: a fresh demo project (test/harness/demo-repo.ts) in <tmp>/runlens-demo, opened with
// Runlens loaded: in desktop VS Code when `code` is on PATH, otherwise in code-server (from
// .vscode-test/, installed by setup.mjs) whose URL any browser can open. Stays up until Ctrl-C.
// `--check` instead opens the code-server URL once in headless Chromium, opens the Runlens view,
// saves a screenshot and exits: proof that the printed URL works on a machine without a display.
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openWorkbench, startCodeServer } from './code-server';
import { createDemoRepo, type DemoRepo } from './demo-repo';

const ROOT = resolve(__dirname, '..', '..');
const DEMO_DIR = join(tmpdir(), 'runlens-demo');
const CHECK_SCREENSHOT = join(tmpdir(), 'runlens-demo-check.png');

function onPath(command: string): boolean {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function describe(demo: DemoRepo): string {
  const runs = demo.runs.map((run) => `  ${run.name.padEnd(22)} ${run.status.padEnd(8)} ${run.branch ?? '(no commit)'}`);
  return [`Demo project: ${demo.dir} (checked out at ${demo.featureBranch})`, ...runs].join('\n');
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  rmSync(DEMO_DIR, { recursive: true, force: true });
  const demo = await createDemoRepo(DEMO_DIR);
  console.log(describe(demo));

  if (!check && onPath('code')) {
    spawn('code', [`--extensionDevelopmentPath=${ROOT}`, DEMO_DIR], { stdio: 'inherit' });
    return;
  }
  const server = await startCodeServer({ workspace: DEMO_DIR, installExtension: ROOT, port: Number(process.env.PORT ?? 0) });
  if (check) {
    try {
      await screenshotRunlens(server.url);
      console.log(`Opened ${server.url}: the Runlens view lists the runs; screenshot ${CHECK_SCREENSHOT}`);
    } finally {
      await server.stop();
    }
    return;
  }
  console.log(`\nRunlens is loaded in code-server. Open:\n\n  ${server.url}\n\nCtrl-C to stop.`);
  process.once('SIGINT', () => void server.stop().then(() => process.exit(0)));
}

/** Opens the workbench, clicks the Runlens activity bar entry and waits until a run is listed. */
async function screenshotRunlens(url: string): Promise<void> {
  const { browser, page } = await openWorkbench(url);
  try {
    await page.locator('.activitybar a[aria-label="Runlens"]').click({ timeout: 60_000 });
    await page.getByRole('treeitem', { name: /^Run / }).first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: CHECK_SCREENSHOT });
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
