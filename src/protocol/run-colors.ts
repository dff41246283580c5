// A run's colour, the same wherever it is drawn: a hash of its key picks one of a palette of theme colours.
// Host and webview share this, so any view that marks a run uses the colour the compare panel does.

/** Theme colours (VS Code colour ids) with a fallback for pages outside VS Code, in palette order. */
export const RUN_PALETTE: ReadonlyArray<{ id: string; fallback: string }> = [
  { id: 'charts.blue', fallback: '#3794ff' },
  { id: 'charts.orange', fallback: '#d18616' },
  { id: 'charts.green', fallback: '#89d185' },
  { id: 'charts.purple', fallback: '#b180d7' },
  { id: 'charts.red', fallback: '#f14c4c' },
  { id: 'charts.yellow', fallback: '#cca700' },
  { id: 'terminal.ansiCyan', fallback: '#11a8cd' },
  { id: 'terminal.ansiMagenta', fallback: '#bc3fbc' },
  { id: 'terminal.ansiBrightGreen', fallback: '#23d18b' },
  { id: 'terminal.ansiBrightBlue', fallback: '#3b8eea' },
  { id: 'terminal.ansiBrightRed', fallback: '#ff7b72' },
  { id: 'terminal.ansiBrightYellow', fallback: '#f5f543' },
];

/** FNV-1a (32 bit) of the key's UTF-16 code units, reduced to a palette index. */
export function runColorIndex(key: string, size: number = RUN_PALETTE.length): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % size;
}

/** The CSS variable VS Code defines in webviews for a theme colour id. */
export const cssVariable = (colorId: string): string => `--vscode-${colorId.replace(/\./g, '-')}`;
