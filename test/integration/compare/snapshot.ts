// What the compare panel shows, read from its DOM by a script the driver evaluates in the webview's frame
// (a string: this project compiles without the DOM types). Chart lines are read from the canvas pixels in
// each run's colour; what would betray injected markup (foreign elements, handler attributes, the XSS
// sentinel) is counted.

export interface ChartSnapshot {
  metric: string;
  title: string;
  legend: string[];
  /** the last drawn point of each run, from the chart's table of values */
  values: Array<{ run: string; step: string; value: string; total: string }>;
  /** x of the cursor, '' when none */
  cursor: string;
  announced: string;
  note: string;
  /** canvas pixels in each run's colour, by run key */
  pixels: Record<string, number>;
}

export interface PanelSnapshot {
  title: string;
  empty: string;
  banner: string;
  chips: Array<{ key: string; name: string; baseline: boolean }>;
  summary: {
    headers: string[];
    sort: Array<string | null>;
    rows: Array<{ metric: string; cells: Array<{ text: string; last: number | null; verdict: string | null }> }>;
  };
  params: Array<{ group: string; key: string; values: Array<string | null> }>;
  charts: ChartSnapshot[];
  parallel: boolean;
  csp: string | null;
  sentinel: string;
  /** elements in the rendered content that the panel never creates itself */
  foreign: string[];
  /** elements with an on* attribute */
  handlers: number;
}

export const SNAPSHOT = `(() => {
  const text = (e) => (e ? e.textContent.trim() : '');
  const all = (root, selector) => [...root.querySelectorAll(selector)];
  const app = document.getElementById('app');
  const rgbOf = (cssValue) => {
    const probe = document.createElement('span');
    probe.style.color = cssValue;
    document.body.append(probe);
    const rgb = (getComputedStyle(probe).color.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
    probe.remove();
    return rgb;
  };
  const colors = Object.fromEntries(all(app, '.chip').map((chip) => [chip.dataset.run, rgbOf(chip.style.getPropertyValue('--run-color'))]));
  const pixels = (canvas) => {
    const context = canvas.width > 0 ? canvas.getContext('2d') : null;
    if (!context) return {};
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    return Object.fromEntries(Object.entries(colors).map(([key, [r, g, b]]) => {
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 200 && Math.abs(data[i] - r) < 10 && Math.abs(data[i + 1] - g) < 10 && Math.abs(data[i + 2] - b) < 10) n++;
      }
      return [key, n];
    }));
  };
  const verdict = (td) => ['better', 'worse', 'same'].find((v) => td.classList.contains(v)) || null;
  const banner = app.querySelector('.banner');
  return {
    title: text(app.querySelector('.panel-header h1')),
    empty: text(app.querySelector('.empty-state')),
    banner: banner && !banner.hidden ? text(banner) : '',
    chips: all(app, '.chip').map((chip) => ({ key: chip.dataset.run, name: text(chip.querySelector('.chip-name')), baseline: chip.classList.contains('baseline') })),
    summary: {
      headers: all(app, 'table.summary thead th').map(text),
      sort: all(app, 'table.summary thead th').map((th) => th.getAttribute('aria-sort')),
      rows: all(app, 'table.summary tbody tr').map((tr) => ({
        metric: text(tr.querySelector('.metric-key')),
        cells: all(tr, 'td').map((td) => ({ text: text(td), last: td.dataset.last === undefined ? null : Number(td.dataset.last), verdict: verdict(td) })),
      })),
    },
    params: all(app, 'table.params tbody tr[data-key]').map((tr) => ({
      group: tr.parentElement.dataset.group,
      key: text(tr.querySelector('th')),
      values: all(tr, 'td').map((td) => (td.querySelector('.missing') ? null : td.firstChild.textContent)),
    })),
    charts: all(app, '.chart-card').map((card) => {
      const canvas = card.querySelector('canvas');
      return {
        metric: card.dataset.metric,
        title: text(card.querySelector('h3')),
        legend: all(card, '.legend-item').map(text),
        values: all(card, '.chart-values tbody tr').map((tr) => ({ run: tr.dataset.run, step: text(tr.children[1]), value: tr.children[2].dataset.value, total: text(tr.children[3]) })),
        cursor: canvas.dataset.cursor || '',
        announced: text(card.querySelector('[aria-live]')),
        note: text(card.querySelector('.chart-note')),
        pixels: pixels(canvas),
      };
    }),
    parallel: app.querySelector('svg.parallel-chart path') !== null,
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
    sentinel: typeof window.__runlensXss,
    foreign: all(app, 'script, img, iframe, object, embed, video, audio, source, marquee, math, style, a, form, textarea, base, meta, link, x, body, title:not(svg title), svg:not(.parallel-chart), input:not([type="range"])').map((e) => e.outerHTML.slice(0, 120)),
    handlers: all(document, '*').filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
  };
})()`;
