// Renders a tree through its provider, the way the workbench would, for the integration tests' API.
import type * as vscode from 'vscode';
import type { TreeSnapshotNode } from './api';

export async function snapshotTree<T>(provider: vscode.TreeDataProvider<T>, parent?: T): Promise<TreeSnapshotNode[]> {
  const children = (await provider.getChildren(parent)) ?? [];
  return Promise.all(
    children.map(async (child) => {
      const item = await provider.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
      const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
      const node: TreeSnapshotNode = {
        label,
        description: typeof item.description === 'string' ? item.description : undefined,
        tooltip,
        contextValue: item.contextValue,
      };
      if (item.collapsibleState) node.children = await snapshotTree(provider, child);
      return node;
    }),
  );
}
