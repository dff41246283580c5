// The compare panel in a real VS Code extension host, on the demo repo at its feature branch plus runs
// carrying XSS payloads. Bundled to dist/test/compare.js; run by test/integration/compare.test.ts. What the
// webview shows is read by the driver (Playwright) from the webview's own DOM, see webview-query.ts.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatNumber } from '../../../src/core/format';
import { smooth } from '../../../src/core/series';
import type { HostMessage } from '../../../src/protocol/compare';
import type { CompareState, RunlensApi } from '../../../src/ide/api';
import type { DemoRepo, DemoRun } from '../../harness/demo-repo';
import { requestScreenshot, runTests, waitFor } from '../suite/harness';
import { DEMO_REPO_ENV, HARNESS_DIR_ENV } from '../suite/protocol';
import { SNAPSHOT, type PanelSnapshot } from './snapshot';
import { webviewRequestLine, type WebviewAnswer, type WebviewRequest } from './webview-query';
import { XSS_RUNS_ENV, type XssSetup } from './xss-runs';

const EXTENSION_ID = 'runlens.runlens';
const SMOOTHING = 0.6;
let queries = 0;
let dialogs: string[] = [];

/** Asks the driver to act on and query the page; resolves with the script's value. */
async function webview<T>(request: WebviewRequest): Promise<T> {
  const file = join(process.env[HARNESS_DIR_ENV]!, `webview-${++queries}.json`);
  console.log(webviewRequestLine(file, request));
  const answer = await waitFor(`the driver's answer to webview query ${queries}`, async () => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as WebviewAnswer) : undefined), 60_000);
  dialogs = answer.dialogs;
  if (!answer.ok) throw new Error(`webview query failed: ${answer.error}`);
  return answer.value as T;
}

const snapshot = (actions: WebviewRequest['actions'] = []) => webview<PanelSnapshot>({ frame: 'compare', actions, script: SNAPSHOT });

export async function run(): Promise<void> {
  const demo = JSON.parse(process.env[DEMO_REPO_ENV] ?? 'null') as DemoRepo | null;
  const xss = JSON.parse(process.env[XSS_RUNS_ENV] ?? 'null') as XssSetup | null;
  if (!demo || !xss) throw new Error(`${DEMO_REPO_ENV} and ${XSS_RUNS_ENV} must be set: run this suite through test/integration/compare.test.ts`);
  const byName = (name: string): DemoRun => demo.runs.find((r) => r.name === name) ?? assert.fail(`no demo run ${name}`);
  const store = join(demo.dir, 'mlruns');
  const key = (id: string) => `${store}#${id}`;
  const running = byName('wider-512-wd1e-4');
  const wider = byName('wider-512');
  const metric = demo.primaryMetric;
  /** The run of `branch` with the highest last value of the primary metric (accuracy: higher is better). */
  const best = (branch: string) => demo.runs.filter((r) => r.branch === branch).reduce((a, b) => (b.metrics[metric]! > a.metrics[metric]! ? b : a));
  const branchBest = best(demo.featureBranch);
  const baseBest = best(demo.baseBranch);
  const metrics = Object.keys(running.metrics).sort();
  let api: RunlensApi | undefined;
  const compare = () => (api ?? assert.fail('the extension did not activate')).compare;
  /** Waits until the panel shows `runs` and the webview has drawn everything posted, with `charts` charts. */
  const settled = (what: string, runs: string[], charts: number) =>
    waitFor(what, async () => {
      const state = compare().state();
      return state && state.visible && state.runs.join() === runs.join() && state.rendered >= state.posted && state.charts >= charts ? state : undefined;
    }, 40_000).catch((error: Error) => {
      throw new Error(`${error.message}; the panel: ${JSON.stringify(compare().state())}; expected runs ${JSON.stringify(runs)}`);
    });
  const row = (snap: PanelSnapshot, key: string) => snap.summary.rows.find((r) => r.metric === key) ?? assert.fail(`no summary row ${key}: ${JSON.stringify(snap.summary.rows.map((r) => r.metric))}`);
  const chart = (snap: PanelSnapshot, key: string) => snap.charts.find((c) => c.metric === key) ?? assert.fail(`no chart ${key}`);
  const series = (demoRun: DemoRun, key: string) => readFileSync(join(demoRun.dir, 'metrics', ...key.split('/')), 'utf8').trimEnd().split('\n').map((line) => Number(line.split(' ')[1]));

  const results = await runTests([
    {
      name: 'the status bar shows the best val/accuracy of the branch and its delta against main',
      async run() {
        const extension = vscode.extensions.getExtension<RunlensApi>(EXTENSION_ID)!;
        await vscode.commands.executeCommand('workbench.view.extension.runlens');
        await waitFor('activation', async () => (extension.isActive ? true : undefined));
        api = extension.exports;
        await api.whenIdle();
        const delta = branchBest.metrics[metric]! - baseBest.metrics[metric]!;
        const expected = `${metric} ${formatNumber(branchBest.metrics[metric]!)} (${delta > 0 ? '+' : ''}${formatNumber(delta)})`;
        const shown = await waitFor('the status bar item', async () =>
          (await webview<string | null>({ frame: 'workbench', script: `[...document.querySelectorAll('.statusbar-item')].map((e) => e.textContent.trim()).find((t) => t.includes(${JSON.stringify(metric)})) ?? null` })) ?? undefined,
        );
        assert.equal(shown, expected);
      },
    },
    {
      name: 'clicking it compares the best run of main with the best of the branch, with deltas (screenshot compare.png)',
      async run() {
        await webview({ frame: 'workbench', actions: [{ click: `.statusbar-item:has-text(${JSON.stringify(metric)})` }], script: 'true' });
        const state = await settled('the branch-vs-base panel', [key(baseBest.id), key(branchBest.id)], metrics.length);
        assert.equal(state.baseline, key(baseBest.id));
        assert.equal(state.title, `${demo.featureBranch} vs ${demo.baseBranch}`);
        const snap = await snapshot();
        assert.deepEqual(snap.chips.map((c) => [c.name, c.baseline]), [[baseBest.name, true], [branchBest.name, false]]);
        assert.deepEqual(snap.summary.rows.map((r) => r.metric), metrics);
        for (const name of metrics) {
          const cells = row(snap, name).cells;
          assert.deepEqual(cells.map((c) => c.last), [baseBest.metrics[name], branchBest.metrics[name]], name);
          const better = name.endsWith('accuracy') ? branchBest.metrics[name]! > baseBest.metrics[name]! : branchBest.metrics[name]! < baseBest.metrics[name]!;
          assert.equal(cells[1]!.verdict, better ? 'better' : 'worse', name);
          const delta = branchBest.metrics[name]! - baseBest.metrics[name]!;
          assert.ok(cells[1]!.text.includes(`${delta > 0 ? '+' : '−'}${formatNumber(Math.abs(delta))}`), `${name}: ${cells[1]!.text}`);
        }
        await vscode.commands.executeCommand('workbench.action.closeSidebar');
        await requestScreenshot({ name: 'compare', waitForText: state.title });
        await vscode.commands.executeCommand('workbench.view.extension.runlens');
      },
    },
    {
      name: 'two runs selected in the Experiments tree, then "Compare Selected Runs": the same panel shows their summary, params and charts',
      async run() {
        await vscode.commands.executeCommand('runlens.revealRun', key(running.id));
        await vscode.commands.executeCommand('list.expandSelectionDown');
        await vscode.commands.executeCommand('runlens.compareRuns');
        const state = await settled('the two selected runs', [key(running.id), key(wider.id)], metrics.length);
        assert.equal(state.title, 'Compare 2 runs');
        const snap = await snapshot();
        assert.deepEqual(snap.chips.map((c) => c.name), [running.name, wider.name]);
        for (const name of metrics) assert.deepEqual(row(snap, name).cells.map((c) => c.last), [running.metrics[name], wider.metrics[name]], name);
        assert.deepEqual(snap.params, [
          { group: 'Params', key: 'weight_decay', values: ['0.0001', '0'] },
          { group: 'Git', key: 'commit', values: [demo.commits[demo.featureBranch]![1]!.slice(0, 7), demo.commits[demo.featureBranch]![0]!.slice(0, 7)] },
        ]);
        assert.deepEqual(snap.charts.map((c) => c.metric), metrics);
        for (const name of metrics) {
          const drawn = chart(snap, name);
          assert.deepEqual(drawn.legend, [running.name, wider.name]);
          const last = (run: DemoRun) => [String(series(run, name).length - 1), run.metrics[name]];
          assert.deepEqual(drawn.values.map((v) => [v.step, Number(v.value)]), [last(running), last(wider)], name);
          for (const run of [running, wider]) assert.ok(drawn.pixels[key(run.id)]! > 20, `${name}: ${run.name}'s line is not on the canvas (${JSON.stringify(drawn.pixels)})`);
        }
        assert.equal(snap.parallel, false, 'parallel coordinates need three runs');
      },
    },
    {
      name: 'choosing the other run in the baseline dropdown (keyboard) measures the deltas against it',
      async run() {
        await webview({ frame: 'compare', actions: [{ press: 'ArrowDown', on: 'vscode-dropdown[aria-label="Baseline run"]' }], script: 'true' });
        await waitFor('the new baseline', async () => (compare().state()?.baseline === key(wider.id) ? true : undefined));
        await settled('the new baseline drawn', [key(running.id), key(wider.id)], metrics.length);
        const focused = await webview<string | null>({ frame: 'compare', script: `document.activeElement?.getAttribute('data-focus') ?? null` });
        assert.equal(focused, 'baseline', 'the keyboard focus left the baseline dropdown when the header was drawn again');
        const snap = await snapshot();
        assert.deepEqual(snap.chips.map((c) => c.baseline), [false, true]);
        const cells = row(snap, metric).cells;
        assert.equal(cells[0]!.verdict, running.metrics[metric]! > wider.metrics[metric]! ? 'better' : 'worse');
        assert.equal(cells[1]!.verdict, null);
      },
    },
    {
      name: "sorting the summary by a run's column, by keyboard, orders the metrics by their change",
      async run() {
        const snap = await snapshot([{ press: 'Enter', on: 'table.summary thead th:nth-child(2) button' }]);
        assert.deepEqual(snap.summary.sort, ['none', 'ascending', 'none']);
        const change = (key: string) => (running.metrics[key]! - wider.metrics[key]!) / Math.abs(wider.metrics[key]!);
        assert.deepEqual(snap.summary.rows.map((r) => r.metric), [...metrics].sort((a, b) => change(a) - change(b)));
      },
    },
    {
      name: "the keyboard cursor on a chart reads every run's smoothed value at that step; the other charts follow, and follow the mouse",
      async run() {
        const canvas = `.chart-card[data-metric="${metric}"] canvas`;
        await webview({ frame: 'compare', actions: [{ press: 'ArrowRight', on: canvas }, { press: 'ArrowRight', on: canvas }], script: 'true' });
        const snap = await waitFor('the announcement', async () => {
          const current = await snapshot();
          return chart(current, metric).announced.includes('step 1') ? current : undefined;
        });
        const announced = chart(snap, metric).announced;
        for (const run of [running, wider]) {
          const value = formatNumber(smooth(series(run, metric), SMOOTHING)[1]!);
          assert.ok(announced.includes(`${run.name} ${value}`), `${announced} lacks ${run.name} ${value}`);
        }
        for (const other of snap.charts) assert.equal(other.cursor, '1', `${other.metric} did not follow`);
        await webview({ frame: 'compare', actions: [{ hover: `.chart-card[data-metric="train/loss"] canvas`, at: { x: 0.8, y: 0.5 } }], script: 'true' });
        await waitFor('val/loss to follow the mouse over train/loss', async () => (Number(chart(await snapshot(), 'val/loss').cursor) > 1 ? true : undefined));
      },
    },
    {
      name: 'a point logged by the running run is appended to its chart, not sent again with the rest',
      async run() {
        const recording = compare().record();
        const step = series(running, metric).length;
        const value = 0.9833;
        appendFileSync(join(running.dir, 'metrics', ...metric.split('/')), `${Date.now()} ${value} ${step}\n`);
        const snap = await waitFor('the appended point on the chart', async () => {
          const current = await snapshot();
          return chart(current, metric).values[0]?.step === String(step) ? current : undefined;
        });
        const messages = recording.stop();
        const appends = messages.filter((m): m is Extract<HostMessage, { type: 'append' }> => m.type === 'append');
        assert.deepEqual(appends.map((m) => [m.metric, m.entries.map((e) => [e.run, e.data.steps, e.data.values])]), [[metric, [[key(running.id), [step], [value]]]]]);
        assert.deepEqual(messages.filter((m) => m.type === 'init' || m.type === 'series'), [], 'the series was sent again');
        assert.equal(Number(chart(snap, metric).values[0]!.value), value);
        assert.equal(row(snap, metric).cells[0]!.last, value, 'the summary shows the new last value');
      },
    },
    {
      name: 'hidden, the panel is sent nothing; shown again, it reloads with the points logged meanwhile and keeps its sort and baseline',
      async run() {
        await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
        await waitFor('the panel to be hidden', async () => (compare().state()?.visible === false ? true : undefined));
        const before = compare().state()!;
        const recording = compare().record();
        const step = series(running, metric).length;
        appendFileSync(join(running.dir, 'metrics', ...metric.split('/')), `${Date.now()} 0.9841 ${step}\n`);
        await waitFor('the append to be queued', async () => (recording.messages.some((m) => m.type === 'append') ? true : undefined));
        const hidden = compare().state()!;
        assert.ok(hidden.posted > before.posted && hidden.rendered === before.rendered, `the hidden webview acknowledged messages: ${JSON.stringify([before, hidden])}`);
        recording.stop();
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        await settled('the panel shown again', [key(running.id), key(wider.id)], metrics.length);
        const snap = await snapshot();
        assert.equal(chart(snap, metric).values[0]!.step, String(step));
        assert.deepEqual(snap.summary.sort, ['none', 'ascending', 'none'], 'the sort is gone');
        assert.deepEqual(snap.chips.map((c) => c.baseline), [false, true]);
      },
    },
    {
      name: 'exports: the summary and the params as CSV, a chart as PNG',
      async run() {
        const dir = mkdtempSync(join(tmpdir(), 'runlens-export-'));
        try {
          await compare().exportTable('summary', join(dir, 'summary.csv'));
          const summary = readFileSync(join(dir, 'summary.csv'), 'utf8').split('\r\n');
          assert.equal(summary[0], `metric,direction,${running.name} last,${running.name} best,${running.name} delta,${wider.name} (baseline) last,${wider.name} (baseline) best,${wider.name} (baseline) delta`);
          const accuracy = summary.find((line) => line.startsWith(`${metric},`))!.split(',');
          assert.deepEqual([accuracy[1], Number(accuracy[2]), Number(accuracy[5])], ['max', 0.9841, wider.metrics[metric]]);
          await compare().exportTable('params', join(dir, 'params.csv'));
          assert.ok(readFileSync(join(dir, 'params.csv'), 'utf8').split('\r\n').includes('param,weight_decay,0.0001,0,true'));
          await compare().exportChart(metric, join(dir, 'chart.png'));
          const png = readFileSync(join(dir, 'chart.png'));
          assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
          assert.ok(png.length > 5_000, `a ${png.length} B PNG`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    },
    {
      name: `XSS: ${xss.payloads} payloads in run names, params, tags and metric keys show as text, nothing runs, no dialog, a strict CSP`,
      async run() {
        await vscode.commands.executeCommand('runlens.revealRun', key(xss.runs[0]!.id));
        for (let i = 1; i < xss.runs.length; i++) await vscode.commands.executeCommand('list.expandSelectionDown');
        await vscode.commands.executeCommand('runlens.compareRuns');
        await settled('the XSS runs', xss.runs.map((r) => key(r.id)), 0);
        await webview({ frame: 'compare', actions: [{ scroll: '.chart-card' }], script: 'true' });
        await settled('the XSS runs’ charts', xss.runs.map((r) => key(r.id)), 1);
        const snap = await snapshot([{ hover: 'table.params tbody tr[data-key] td', at: { x: 0.5, y: 0.5 } }]);
        assert.deepEqual(snap.chips.map((c) => c.name), xss.runs.map((r) => r.name));
        const shown = new Set([
          ...snap.chips.map((c) => c.name),
          ...snap.params.flatMap((p) => [p.key, ...p.values]),
          ...snap.summary.rows.map((r) => r.metric),
          ...snap.charts.flatMap((c) => [c.title, ...c.legend]),
        ]);
        const missing = xss.runs.flatMap((r) => r.payloads).filter((payload) => !shown.has(payload));
        assert.deepEqual(missing, [], 'payloads not shown verbatim as text');
        assert.deepEqual(snap.foreign, [], 'elements made from data');
        assert.equal(snap.handlers, 0, 'event handler attributes in the page');
        const frames = await webview<Array<{ url: string; value: unknown }>>({ frame: 'all', script: `typeof window.__runlensXss` });
        assert.deepEqual(frames.filter((f) => f.value !== 'undefined' && !String(f.value).startsWith('error:')), [], 'a payload ran');
        assert.ok(frames.length > 2, 'the workbench and the webview frames were checked');
        assert.deepEqual(dialogs, [], 'a payload opened a dialog');
        assert.match(snap.csp ?? '', /^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]+'; /);
        assert.doesNotMatch(snap.csp ?? '', /unsafe-inline|unsafe-eval/);
        assert.deepEqual(compare().state()!.problems, [], 'the webview reported problems (CSP violations, errors)');
      },
    },
    {
      name: 'removing every run from the header leaves an empty state that says what to do',
      async run() {
        for (let left = xss.runs.length - 1; left >= 0; left--) {
          await webview({ frame: 'compare', actions: [{ click: '.chip vscode-button' }], script: 'true' });
          await waitFor(`${left} runs left`, async () => (compare().state()?.runs.length === left ? true : undefined));
        }
        await waitFor('the empty state drawn', async () => ((s: CompareState | undefined) => (s && s.rendered >= s.posted ? true : undefined))(compare().state()));
        const snap = await snapshot();
        assert.match(snap.empty, /Nothing to compare yet/);
        assert.match(snap.empty, /Compare Selected Runs/);
      },
    },
  ]);
  const failed = results.filter((result) => !result.passed).length;
  if (failed > 0) throw new Error(`${failed} of ${results.length} in-host tests failed`);
}
