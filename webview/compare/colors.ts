// Colours from the current theme: each run's (by its key, see src/protocol/run-colors.ts) and the chart
// furniture's. Canvas drawing needs concrete colours, so the CSS variables VS Code sets are read and read
// again when the theme changes.
import { cssVariable, RUN_PALETTE, runColorIndex } from '../../src/protocol/run-colors';

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  hoverBackground: string;
  hoverForeground: string;
  hoverBorder: string;
  fontFamily: string;
  fontSize: number;
}

const probe = document.createElement('canvas').getContext('2d');

/** Any CSS colour as `#rrggbb` or `rgba(r, g, b, a)`, as a canvas normalises it. */
function normalize(color: string, fallback: string): string {
  if (!probe) return fallback;
  probe.fillStyle = fallback;
  probe.fillStyle = color || fallback;
  return probe.fillStyle;
}

/** `color` at `alpha` opacity. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex) return `rgba(${parseInt(hex[1]!, 16)}, ${parseInt(hex[2]!, 16)}, ${parseInt(hex[3]!, 16)}, ${alpha})`;
  const rgba = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(color);
  return rgba ? `rgba(${rgba[1]},${rgba[2]},${rgba[3]}, ${alpha})` : color;
}

export class Palette {
  private colors: string[] = [];
  theme!: ChartTheme;

  constructor() {
    this.reload();
  }

  reload(): void {
    const style = getComputedStyle(document.documentElement);
    const read = (id: string, fallback: string) => normalize(style.getPropertyValue(cssVariable(id)).trim(), fallback);
    this.colors = RUN_PALETTE.map(({ id, fallback }) => read(id, fallback));
    const foreground = read('foreground', '#cccccc');
    this.theme = {
      foreground,
      muted: read('descriptionForeground', foreground),
      grid: withAlpha(read('foreground', '#cccccc'), 0.12),
      background: read('editor.background', '#1e1e1e'),
      hoverBackground: read('editorHoverWidget.background', '#252526'),
      hoverForeground: read('editorHoverWidget.foreground', foreground),
      hoverBorder: read('editorHoverWidget.border', '#454545'),
      fontFamily: style.getPropertyValue('--vscode-font-family').trim() || 'sans-serif',
      fontSize: parseFloat(style.getPropertyValue('--vscode-font-size')) || 13,
    };
  }

  /** The run's colour, resolved for canvas drawing. */
  run(key: string): string {
    return this.colors[runColorIndex(key, this.colors.length)]!;
  }

  /** The run's colour as a CSS value for the DOM, following theme changes by itself. */
  static cssValue(key: string): string {
    const { id, fallback } = RUN_PALETTE[runColorIndex(key)]!;
    return `var(${cssVariable(id)}, ${fallback})`;
  }
}
