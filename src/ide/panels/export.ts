// Writing the compare panel's exports (CSV tables, chart PNGs): the host writes the files (a save dialog,
// then workspace.fs), so the webview never touches the file system.
import * as vscode from 'vscode';

/** The bytes of a `data:image/png;base64,` URL (the protocol has checked its form). */
export const pngBytes = (dataUrl: string): Uint8Array => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');

/** A file name made of the safe characters of `text`. */
export const fileName = (text: string, extension: string): string => `${text.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'export'}.${extension}`;

/** Asks where to save, writes the file and says so in the status bar. Undefined when the user cancels. */
export async function saveWithDialog(defaultName: string, filter: { label: string; extension: string }, bytes: Uint8Array): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({
    defaultUri: folder && vscode.Uri.joinPath(folder, defaultName),
    filters: { [filter.label]: [filter.extension] },
    saveLabel: 'Export',
  });
  if (!uri) return undefined;
  await writeExport(uri, bytes);
  return uri;
}

export async function writeExport(uri: vscode.Uri, bytes: Uint8Array): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, bytes);
  vscode.window.setStatusBarMessage(`$(check) Saved ${vscode.workspace.asRelativePath(uri, false)}`, 4000);
}
