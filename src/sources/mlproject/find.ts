// Finds a folder's MLflow Projects: folders holding a file named `MLproject` (any case, as MLflow matches it),
// down to a depth. Hidden folders and those that hold environments, packages or tracking data are skipped.
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Diagnostic } from '../../core/model';
import { listBounded } from '../shared/files';
import { parseMLproject, type MLproject } from './parse';

const SKIPPED = new Set(['node_modules', 'venv', '__pycache__', 'site-packages', 'mlruns', 'lightning_logs', 'wandb']);

export interface FoundProject {
  /** absolute folder of the MLproject file */
  dir: string;
  /** the folder relative to the searched one, `.` for itself */
  relativeDir: string;
  project: MLproject;
}

export async function findMLprojects(folder: string, maxDepth: number): Promise<{ projects: FoundProject[]; diagnostics: Diagnostic[] }> {
  const projects: FoundProject[] = [];
  const diagnostics: Diagnostic[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await listBounded(dir);
    const file = entries.find((entry) => entry.isFile() && entry.name.toLowerCase() === 'mlproject');
    if (file) {
      const path = join(dir, file.name);
      try {
        const project = parseMLproject(await readFile(path, 'utf8'));
        projects.push({ dir, relativeDir: relative(folder, dir) || '.', project });
        for (const message of project.problems) diagnostics.push({ file: path, message, severity: 'warning' });
      } catch (error) {
        diagnostics.push({ file: path, message: (error as Error).message, severity: 'error' });
      }
    }
    if (depth >= maxDepth) return;
    const subdirs = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name));
    await Promise.all(subdirs.map((entry) => walk(join(dir, entry.name), depth + 1)));
  };
  await walk(folder, 0);
  projects.sort((a, b) => a.relativeDir.localeCompare(b.relativeDir));
  return { projects, diagnostics };
}
