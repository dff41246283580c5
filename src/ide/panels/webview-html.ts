// The page of a bundled webview (`webview/<name>/main.ts` → `dist/webview/<name>.js` and `.css`) under a
// strict Content Security Policy: nothing by default, the one script by nonce, styles and fonts only from
// the extension's own `dist/webview/` and `media/` folders. One allowance: a `<style>` carrying the page's
// nonce. The webview UI toolkit (FAST's `canUseFocusVisible` in @microsoft/fast-web-utilities) probes for
// `:focus-visible` support with a one-rule `<style>` element, nonced from `<meta property="csp-nonce">`;
// without it the probe is blocked (and reported) and the toolkit falls back to `:focus` rings. Data never
// becomes markup, so no injected `<style>` could carry the nonce. No 'unsafe-inline', no 'unsafe-eval'.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';

const roots = (extensionUri: vscode.Uri) => [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];

/** Scripts on, and nothing readable but the two folders the page loads from. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: roots(extensionUri) };
}

/** The policy of a page whose only script carries `nonce`. No 'unsafe-inline' and no 'unsafe-eval' anywhere. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource} 'nonce-${nonce}'`, `font-src ${cspSource}`, `img-src ${cspSource}`].join('; ');
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, name: string, title: string): string {
  const asset = (file: string) => vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file);
  const script = asset(`${name}.js`);
  if (!existsSync(script.fsPath)) return missingBundleHtml(webview.cspSource, script.fsPath);
  const nonce = randomBytes(18).toString('base64');
  const csp = contentSecurityPolicy(webview.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${webview.asWebviewUri(asset(`${name}.css`))}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="app" data-view="${escapeHtml(name)}"></main>
<script nonce="${nonce}" src="${webview.asWebviewUri(script)}"></script>
</body>
</html>`;
}

/** What a build without the webview bundle shows instead of a blank page. */
function missingBundleHtml(cspSource: string, path: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource}"></head>
<body><p>The panel's script is missing (${escapeHtml(path)}). Build the extension with <code>npm run build</code>, then reopen the panel.</p></body>
</html>`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
