// What MLflow's own tags say about a run's git state, shared by the file store and the SQLite store.
import type { GitLink } from '../../core/model';

/** The commit, branch and remote MLflow records in a run's tags (`mlflow run` and the fluent API). */
export function mlflowGitLink(tags: Readonly<Record<string, string>>): GitLink {
  const link: GitLink = {};
  const commit = tags['mlflow.source.git.commit']?.trim();
  const branch = tags['mlflow.source.git.branch']?.trim();
  const repoUrl = (tags['mlflow.source.git.repoURL'] ?? tags['mlflow.gitRepoURL'])?.trim();
  if (commit) link.commit = commit;
  if (branch) link.branch = branch;
  if (repoUrl) link.repoUrl = repoUrl;
  return link;
}
