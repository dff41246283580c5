// A small but realistic ML project for the integration tests and the demo: a git repo with a training
// script on `main` and a feature branch, and an untracked MLflow 2.x file store (`mlruns/`) whose runs
// point at those commits. The store's files have the exact shapes MLflow writes (compare
// /work/shared/fixtures/real/mlflow-2.17-country-guess/mlruns). Everything is deterministic: names,
// ids, shas (git-fixture fixes the dates) and metric values (seeded noise).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, type Repo } from '../unit/helpers/git-fixture';
import { rng } from '../unit/helpers/fuzz';

export const BASE_BRANCH = 'main';
export const FEATURE_BRANCH = 'feature/wider-model';
export const PRIMARY_METRIC = 'val/accuracy';

export interface DemoRun {
  id: string;
  name: string;
  /** Absolute path of the run's folder, `mlruns/<experiment>/<run id>`. */
  dir: string;
  status: 'FINISHED' | 'RUNNING';
  /** The commit of `mlflow.source.git.commit`, absent for the run logged from a notebook. */
  commit?: string;
  /** The branch whose commits include `commit`. */
  branch?: string;
  /** Last logged value of every metric. */
  metrics: Record<string, number>;
}

export interface DemoModelVersion {
  version: number;
  runId: string;
  stage: 'Production' | 'None';
  aliases: string[];
}

export interface DemoRepo {
  dir: string;
  baseBranch: string;
  featureBranch: string;
  /** Commit shas, oldest first, per branch (the feature branch's own commits only). */
  commits: Record<string, string[]>;
  experiment: { id: string; name: string };
  runs: DemoRun[];
  model: { name: string; versions: DemoModelVersion[] };
  primaryMetric: string;
}

interface TrainParams {
  learning_rate: number;
  batch_size: number;
  epochs: number;
  hidden_units: number;
  dropout: number;
  weight_decay: number;
}

interface CommitSpec {
  branch: string;
  message: string;
  params: TrainParams;
}

interface RunSpec {
  name: string;
  /** Index into COMMITS of HEAD when the run was logged. */
  commit: number;
  /** Logged from Jupyter: MLflow looks for git beside ipykernel's launcher, so the run has no commit tag. */
  fromNotebook?: boolean;
  params: TrainParams;
  /** Validation accuracy the run converges to. */
  finalAccuracy: number;
  /** Epochs logged so far; fewer than params.epochs means the run is still RUNNING. */
  loggedEpochs: number;
}

const BASELINE: TrainParams = { learning_rate: 0.1, batch_size: 64, epochs: 30, hidden_units: 128, dropout: 0, weight_decay: 0 };
const LOWER_LR = { ...BASELINE, learning_rate: 0.01 };
const DROPOUT = { ...LOWER_LR, dropout: 0.2 };
const WIDER = { ...DROPOUT, hidden_units: 512 };
const WIDER_WD = { ...WIDER, weight_decay: 0.0001 };

const COMMITS: CommitSpec[] = [
  { branch: BASE_BRANCH, message: 'Train an MLP baseline on MNIST', params: BASELINE },
  { branch: BASE_BRANCH, message: 'Lower the learning rate to 0.01', params: LOWER_LR },
  { branch: BASE_BRANCH, message: 'Add dropout before the output layer', params: DROPOUT },
  { branch: FEATURE_BRANCH, message: 'Widen the hidden layer to 512 units', params: WIDER },
  { branch: FEATURE_BRANCH, message: 'Add weight decay', params: WIDER_WD },
];

const RUNS: RunSpec[] = [
  { name: 'baseline-lr0.1', commit: 0, params: BASELINE, finalAccuracy: 0.9412, loggedEpochs: 30 },
  { name: 'baseline-lr0.01', commit: 1, params: LOWER_LR, finalAccuracy: 0.9627, loggedEpochs: 30 },
  { name: 'notebook-sanity-check', commit: 1, fromNotebook: true, params: { ...LOWER_LR, epochs: 5 }, finalAccuracy: 0.9105, loggedEpochs: 5 },
  { name: 'dropout-0.2', commit: 2, params: DROPOUT, finalAccuracy: 0.9713, loggedEpochs: 30 },
  { name: 'wider-512', commit: 3, params: WIDER, finalAccuracy: 0.9786, loggedEpochs: 30 },
  { name: 'wider-512-wd1e-4', commit: 4, params: WIDER_WD, finalAccuracy: 0.9821, loggedEpochs: 14 },
];

const EXPERIMENT = { id: '274365198271263519', name: 'mnist-mlp' };
const MODEL_NAME = 'mnist-mlp';
const USER = 'ada';
const EPOCH_MS = 1_800;

const GITIGNORE = `__pycache__/
.venv/
data/
mlruns/
`;

const REQUIREMENTS = `mlflow==2.17.0
torch==2.4.1
torchvision==0.19.1
pyyaml==6.0.2
`;

const VSCODE_SETTINGS = `{
  "runlens.primaryMetric": "${PRIMARY_METRIC}"
}
`;

const TRAIN_PY = `"""Train a small MLP on MNIST and log the run to MLflow (file store in ./mlruns)."""
import sys

import mlflow
import torch
import yaml
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def build_model(hidden_units: int, dropout: float) -> nn.Module:
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(28 * 28, hidden_units),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(hidden_units, 10),
    )


def evaluate(model: nn.Module, loader: DataLoader) -> tuple[float, float]:
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for images, labels in loader:
            logits = model(images)
            loss += nn.functional.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(1) == labels).sum().item()
    return loss / len(loader.dataset), correct / len(loader.dataset)


def main(run_name: str) -> None:
    params = yaml.safe_load(open("params.yaml"))["train"]
    torch.manual_seed(42)
    to_tensor = transforms.ToTensor()
    train = DataLoader(datasets.MNIST("data", train=True, download=True, transform=to_tensor), batch_size=params["batch_size"], shuffle=True)
    val = DataLoader(datasets.MNIST("data", train=False, transform=to_tensor), batch_size=1024)
    model = build_model(params["hidden_units"], params["dropout"])
    optimizer = torch.optim.SGD(model.parameters(), lr=params["learning_rate"], weight_decay=params["weight_decay"])

    mlflow.set_experiment("${EXPERIMENT.name}")
    with mlflow.start_run(run_name=run_name):
        mlflow.log_params(params)
        for epoch in range(params["epochs"]):
            model.train()
            total = 0.0
            for images, labels in train:
                optimizer.zero_grad()
                loss = nn.functional.cross_entropy(model(images), labels)
                loss.backward()
                optimizer.step()
                total += loss.item() * len(labels)
            val_loss, val_accuracy = evaluate(model, val)
            mlflow.log_metric("train/loss", total / len(train.dataset), step=epoch)
            mlflow.log_metric("val/loss", val_loss, step=epoch)
            mlflow.log_metric("val/accuracy", val_accuracy, step=epoch)
        mlflow.pytorch.log_model(model, "model")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "train")
`;

function paramsYaml(params: TrainParams): string {
  return `train:\n${Object.entries(params).map(([key, value]) => `  ${key}: ${value}\n`).join('')}`;
}

const readme = `# mnist-mlp

A two-layer perceptron on MNIST. \`python train.py <run name>\` trains with \`params.yaml\` and logs to
MLflow's file store in \`mlruns/\` (\`mlflow ui\` to browse it).
`;

/** Builds the repo and its store in `dir` (created if missing) and leaves it checked out at the feature branch. */
export async function createDemoRepo(dir: string): Promise<DemoRepo> {
  const repo = makeRepo(dir);
  const shas = COMMITS.map((spec, index) => commitStep(repo, spec, index));
  repo.checkout(FEATURE_BRANCH);

  const commitTimes = shas.map((sha) => Number(repo.git('log', '-1', '--format=%ct', sha)) * 1000);
  const experimentDir = join(dir, 'mlruns', EXPERIMENT.id);
  writeExperiment(experimentDir, commitTimes[0]!);
  const runs = RUNS.map((spec, index) => writeRun(experimentDir, spec, commitTimes[spec.commit]! + (index + 1) * 1_000, shas[spec.commit]!));

  const runId = (name: string) => runs.find((run) => run.name === name)!.id;
  const versions: DemoModelVersion[] = [
    { version: 1, runId: runId('dropout-0.2'), stage: 'Production', aliases: [] },
    { version: 2, runId: runId('wider-512'), stage: 'None', aliases: ['champion'] },
  ];
  writeModel(join(dir, 'mlruns'), versions, runs, commitTimes.at(-1)! + 3_600_000);

  return {
    dir,
    baseBranch: BASE_BRANCH,
    featureBranch: FEATURE_BRANCH,
    commits: {
      [BASE_BRANCH]: shas.filter((_, i) => COMMITS[i]!.branch === BASE_BRANCH),
      [FEATURE_BRANCH]: shas.filter((_, i) => COMMITS[i]!.branch === FEATURE_BRANCH),
    },
    experiment: EXPERIMENT,
    runs,
    model: { name: MODEL_NAME, versions },
    primaryMetric: PRIMARY_METRIC,
  };
}

function commitStep(repo: Repo, spec: CommitSpec, index: number): string {
  if (spec.branch !== BASE_BRANCH && COMMITS[index - 1]!.branch === BASE_BRANCH) {
    repo.branch(spec.branch);
    repo.checkout(spec.branch);
  }
  const files: Record<string, string> = { 'params.yaml': paramsYaml(spec.params) };
  if (index === 0) {
    Object.assign(files, {
      '.gitignore': GITIGNORE,
      '.vscode/settings.json': VSCODE_SETTINGS,
      'README.md': readme,
      'requirements.txt': REQUIREMENTS,
      'train.py': TRAIN_PY,
    });
  }
  return repo.commit(spec.message, files);
}

/** MLflow's run id: a uuid4 hex; here derived from the name so it is stable. */
const runIdOf = (name: string) => createHash('md5').update(name).digest('hex');

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [relative, contents] of Object.entries(files)) {
    const file = join(dir, relative);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, contents);
  }
}

function writeExperiment(dir: string, creationTime: number): void {
  writeFiles(dir, {
    'meta.yaml': `artifact_location: file://${dir}
creation_time: ${creationTime}
experiment_id: '${EXPERIMENT.id}'
last_update_time: ${creationTime}
lifecycle_stage: active
name: ${EXPERIMENT.name}
`,
  });
}

function writeRun(experimentDir: string, spec: RunSpec, startTime: number, head: string): DemoRun {
  const id = runIdOf(spec.name);
  const dir = join(experimentDir, id);
  const running = spec.loggedEpochs < spec.params.epochs;
  const series = metricSeries(spec, startTime);
  const endTime = running ? 'null' : String(startTime + spec.loggedEpochs * EPOCH_MS + 4_000);
  const files: Record<string, string> = {
    'meta.yaml': `artifact_uri: file://${dir}/artifacts
end_time: ${endTime}
entry_point_name: ''
experiment_id: '${EXPERIMENT.id}'
lifecycle_stage: active
run_id: ${id}
run_name: ${spec.name}
run_uuid: ${id}
source_name: ''
source_type: 4
source_version: ''
start_time: ${startTime}
status: ${running ? 1 : 3}
tags: []
user_id: ${USER}
`,
    'tags/mlflow.runName': spec.name,
    'tags/mlflow.source.name': spec.fromNotebook ? 'ipykernel_launcher.py' : 'train.py',
    'tags/mlflow.source.type': 'LOCAL',
    'tags/mlflow.user': USER,
  };
  const commit = spec.fromNotebook ? undefined : head;
  if (commit) files['tags/mlflow.source.git.commit'] = commit;
  for (const [key, value] of Object.entries(spec.params)) files[`params/${key}`] = String(value);
  for (const [key, points] of Object.entries(series)) {
    files[`metrics/${key}`] = points.map(([time, value, step]) => `${time} ${value} ${step}\n`).join('');
  }
  writeFiles(dir, files);
  const metrics = Object.fromEntries(Object.entries(series).map(([key, points]) => [key, points.at(-1)![1]]));
  const branch = commit && COMMITS[spec.commit]!.branch;
  return { id, name: spec.name, dir, status: running ? 'RUNNING' : 'FINISHED', commit, branch, metrics };
}

type Point = [timestamp: number, value: number, step: number];

/** Loss falling and accuracy rising towards the run's final accuracy, with a little seeded noise. */
function metricSeries(spec: RunSpec, startTime: number): Record<string, Point[]> {
  const noise = rng(parseInt(runIdOf(spec.name).slice(0, 8), 16));
  const jitter = (scale: number) => (noise() - 0.5) * scale;
  const pace = spec.params.learning_rate >= 0.1 ? 2 : 5;
  const series: Record<string, Point[]> = { 'train/loss': [], 'val/loss': [], 'val/accuracy': [] };
  for (let step = 0; step < spec.loggedEpochs; step++) {
    const time = startTime + (step + 1) * EPOCH_MS;
    const remaining = Math.exp(-step / pace);
    const trainLoss = 2.3 * remaining + (1 - spec.finalAccuracy) * 1.2 + jitter(0.02);
    series['train/loss']!.push([time, trainLoss, step]);
    series['val/loss']!.push([time + 1, trainLoss * 1.08 + jitter(0.02), step]);
    series['val/accuracy']!.push([time + 2, spec.finalAccuracy - (spec.finalAccuracy - 0.11) * remaining + jitter(0.004), step]);
  }
  return series;
}

function writeModel(mlruns: string, versions: DemoModelVersion[], runs: DemoRun[], createdAt: number): void {
  const dir = join(mlruns, 'models', MODEL_NAME);
  const aliases = versions.flatMap((v) => v.aliases.map((alias) => [alias, v.version] as const));
  const files: Record<string, string> = {
    'meta.yaml': `aliases:
${aliases.map(([alias, version]) => `  ${alias}: '${version}'\n`).join('')}creation_timestamp: ${createdAt}
description: ''
last_updated_timestamp: ${createdAt + versions.length * 60_000}
name: ${MODEL_NAME}
`,
  };
  for (const [alias, version] of aliases) files[`aliases/${alias}`] = String(version);
  for (const v of versions) {
    const source = `file://${runs.find((run) => run.id === v.runId)!.dir}/artifacts/model`;
    const time = createdAt + v.version * 60_000;
    files[`version-${v.version}/meta.yaml`] = `aliases: []
creation_timestamp: ${time}
current_stage: ${v.stage}
description: ''
last_updated_timestamp: ${time}
name: ${MODEL_NAME}
run_id: ${v.runId}
run_link: ''
source: ${source}
status: READY
status_message: null
storage_location: ${source}
user_id: null
version: ${v.version}
`;
  }
  writeFiles(dir, files);
}
