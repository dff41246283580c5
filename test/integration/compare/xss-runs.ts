// Runs whose names, params, tags and metric keys are XSS payloads, added to the demo repository's MLflow
// file store: each is a copy of a demo run (test/harness/demo-repo.ts wrote it in MLflow's layout) in an
// experiment of its own, with the payloads written where MLflow keeps names, params, tags and metrics.
// Every payload, if it ever ran, would set `window.__runlensXss` or open a dialog.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DemoRepo } from '../../harness/demo-repo';

const set = (n: number) => `window.__runlensXss=${n}`;

/** JSON of the XssSetup the suite gets from the node side. */
export const XSS_RUNS_ENV = 'RUNLENS_XSS_RUNS';

/** Payloads of the usual kinds: script tags, event handlers, javascript: URLs, SVG, attribute and context breakouts. */
export const XSS_PAYLOADS: readonly string[] = [
  `<script>${set(1)}</script>`,
  `<img src=x onerror="${set(2)}">`,
  `<svg onload=${set(3)}>`,
  `"><script>${set(4)}</script>`,
  `'><img src=x onerror=${set(5)}>`,
  `javascript:${set(6)}`,
  `<a href="javascript:${set(7)}">click</a>`,
  `<iframe srcdoc="<script>parent.__runlensXss=8</script>">`,
  `<iframe src="javascript:parent.__runlensXss=9">`,
  `<body onload=${set(10)}>`,
  `<details open ontoggle=${set(11)}>`,
  `<input autofocus onfocus=${set(12)}>`,
  `<video><source onerror=${set(13)}></video>`,
  `<audio src=x onerror=${set(14)}>`,
  `<object data="javascript:${set(15)}">`,
  `<embed src="javascript:${set(16)}">`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${set(17)}>`,
  `<svg><script>${set(18)}</script></svg>`,
  `<svg><a xlink:href="javascript:${set(19)}"><text x=20 y=20>x</text></a></svg>`,
  `<style>@import 'javascript:${set(20)}';</style>`,
  `<link rel=stylesheet href="javascript:${set(21)}">`,
  `<meta http-equiv="refresh" content="0;url=javascript:${set(22)}">`,
  `<form><button formaction=javascript:${set(23)}>x</button></form>`,
  `<marquee onstart=${set(24)}>x</marquee>`,
  `<div style="background:url(javascript:${set(25)})">`,
  `{{constructor.constructor('${set(26)}')()}}`,
  `\${${set(27)}}`,
  `</textarea><script>${set(28)}</script>`,
  `</title><script>${set(29)}</script>`,
  `" onmouseover="${set(30)}" x="`,
  `' autofocus onfocus='${set(31)}`,
  `<x contenteditable onfocusin=${set(32)} autofocus>`,
  `<script src="data:text/javascript,${set(33)}"></script>`,
  `<img src="x" onerror="eval(atob('${Buffer.from(set(34)).toString('base64')}'))">`,
  `--><script>${set(35)}</script><!--`,
  `<img src=x onerror=alert(36)>`,
];

export interface XssRun {
  id: string;
  name: string;
  /** everything this run carries as data, each to be shown as text */
  payloads: string[];
}

/** Payloads that can be a file name (params, tags and metrics are files named by their key; `/` nests). */
const usableAsKey = (payload: string) => !payload.includes('//') && !payload.endsWith('/') && !payload.startsWith('/') && !payload.split('/').includes('..');

export interface XssSetup {
  payloads: number;
  runs: XssRun[];
}

export const XSS_EXPERIMENT = { id: '900000000000000001', name: 'xss-payloads' };
const RUNS = 6;

/**
 * Adds RUNS runs in a new experiment, copied from the demo run `templateName` (so they are on its commit)
 * and started a day later (so they are the newest, listed first and next to each other).
 */
export function addXssRuns(demo: DemoRepo, templateName: string): XssRun[] {
  const template = demo.runs.find((run) => run.name === templateName);
  if (!template) throw new Error(`no demo run ${templateName}`);
  const sourceExperiment = dirname(template.dir);
  const experimentDir = join(dirname(sourceExperiment), XSS_EXPERIMENT.id);
  mkdirSync(experimentDir, { recursive: true });
  const experimentMeta = readFileSync(join(sourceExperiment, 'meta.yaml'), 'utf8')
    .replace(/^experiment_id: .*$/m, `experiment_id: '${XSS_EXPERIMENT.id}'`)
    .replace(/^name: .*$/m, `name: ${XSS_EXPERIMENT.name}`)
    .replaceAll(sourceExperiment, experimentDir);
  writeFileSync(join(experimentDir, 'meta.yaml'), experimentMeta);
  const keys = XSS_PAYLOADS.filter(usableAsKey);
  return Array.from({ length: RUNS }, (_, r) => {
    const id = `${'5'.repeat(24)}${String(r).padStart(8, '0')}`;
    const dir = join(experimentDir, id);
    cpSync(template.dir, dir, { recursive: true });
    const meta = readFileSync(join(dir, 'meta.yaml'), 'utf8')
      .replaceAll(template.id, id)
      .replaceAll(sourceExperiment, experimentDir)
      .replace(/^experiment_id: .*$/m, `experiment_id: '${XSS_EXPERIMENT.id}'`)
      .replace(/^run_name: .*\n/m, '')
      .replace(/^start_time: (\d+)$/m, (_, start: string) => `start_time: ${Number(start) + 86_400_000 + (RUNS - r) * 1000}`);
    writeFileSync(join(dir, 'meta.yaml'), meta);
    const name = XSS_PAYLOADS[r]!;
    const mine = keys.filter((_, i) => i % RUNS === r);
    const write = (folder: string, key: string, value: string) => {
      const file = join(dir, folder, ...key.split('/'));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, value);
    };
    write('tags', 'mlflow.runName', name);
    write('tags', 'mlflow.source.git.branch', XSS_PAYLOADS[(r + 7) % XSS_PAYLOADS.length]!);
    const payloads = [name, XSS_PAYLOADS[(r + 7) % XSS_PAYLOADS.length]!];
    mine.forEach((key, i) => {
      const value = XSS_PAYLOADS[(XSS_PAYLOADS.indexOf(key) + 1) % XSS_PAYLOADS.length]!;
      write(i % 2 === 0 ? 'params' : 'tags', key, value);
      payloads.push(key, value);
    });
    // their own metrics, low, so no payload run is ever the best of the branch
    rmSync(join(dir, 'metrics'), { recursive: true, force: true });
    for (const key of [mine[0]!, 'val/accuracy']) write('metrics', key, '1700000000000 0.5 0\n1700000001000 0.25 1\n');
    return { id, name, payloads };
  });
}
