// Tree items every view shares.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Diagnostic } from '../../core/model';
import type { FolderWorkspace } from '../workspace';

export function folderItem(workspace: FolderWorkspace): vscode.TreeItem {
  const item = new vscode.TreeItem(workspace.folder.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `folder:${workspace.folder.uri}`;
  item.iconPath = vscode.ThemeIcon.Folder;
  item.resourceUri = workspace.folder.uri;
  const git = workspace.catalog?.git;
  item.description = git?.isRepo ? git.branch ?? 'detached HEAD' : 'not a git repository';
  return item;
}

export function diagnosticItem(diagnostic: Diagnostic): vscode.TreeItem {
  const item = new vscode.TreeItem(basename(diagnostic.file), vscode.TreeItemCollapsibleState.None);
  item.description = diagnostic.message;
  item.tooltip = `${diagnostic.file}\n${diagnostic.message}`;
  item.iconPath = new vscode.ThemeIcon(
    diagnostic.severity === 'error' ? 'error' : 'warning',
    new vscode.ThemeColor(diagnostic.severity === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'),
  );
  item.contextValue = 'diagnostic';
  item.command = { command: 'runlens.openDiagnostic', title: 'Open File with Problem', arguments: [diagnostic] };
  return item;
}

export function messageItem(text: string): vscode.TreeItem {
  const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon('info');
  item.contextValue = 'message';
  return item;
}

/** Appends "**label:** value" to a tooltip; the value is data, so it is escaped, never read as markdown. */
export function appendField(md: vscode.MarkdownString, label: string, value: string): void {
  md.appendMarkdown(`**${label}:** `);
  md.appendText(value);
  md.appendMarkdown('  \n');
}
