import { z } from 'zod';
import { Dataset, ModelVersion } from '../../core/model';
import { formatBytes } from '../../core/format';
import { renderTable } from '../../core/report';
import { COMMON_HELP, COMMON_OPTIONS, json, openFolder, outputStyle, parse } from '../options';
import type { Command } from './command';

const read = (args: string[]) => parse(args, { ...COMMON_OPTIONS, markdown: { type: 'boolean' } }, { max: 1, name: 'folder' });

export const models: Command = {
  name: 'models',
  summary: 'registered model versions with their stages and aliases',
  usage: `runlens models [folder] [--json|--markdown]\n\n  --markdown              print a Markdown table\n${COMMON_HELP}`,
  parse: read,
  async run(args, io) {
    const { values, positionals } = read(args);
    const style = outputStyle(values);
    const { service, catalog } = await openFolder(io, positionals[0], values);
    service.dispose();
    if (style === 'json') {
      io.out(json(z.array(ModelVersion).parse(catalog.models)));
      return 0;
    }
    const rows = catalog.models.map((m) => [m.model, m.version, m.stages.join(', '), m.aliases.join(', '), m.run ?? m.commit?.slice(0, 7) ?? '']);
    io.out(renderTable({ header: ['model', 'version', 'stages', 'aliases', 'run'], rows }, style).join('\n') + '\n');
    return 0;
  },
};

export const datasets: Command = {
  name: 'datasets',
  summary: 'datasets the runs used and the data the repository tracks',
  usage: `runlens datasets [folder] [--json|--markdown]\n\n  --markdown              print a Markdown table\n${COMMON_HELP}`,
  parse: read,
  async run(args, io) {
    const { values, positionals } = read(args);
    const style = outputStyle(values);
    const { service, catalog } = await openFolder(io, positionals[0], values);
    service.dispose();
    if (style === 'json') {
      io.out(json(z.array(Dataset).parse(catalog.datasets)));
      return 0;
    }
    const rows = catalog.datasets.map((d) => [d.path ?? d.name, d.digest.slice(0, 12), d.size === undefined ? '' : formatBytes(d.size), d.changedOnBranch ? 'changed' : '', String(d.runs.length)]);
    io.out(renderTable({ header: ['dataset', 'digest', 'size', 'this branch', 'runs'], rows }, style).join('\n') + '\n');
    return 0;
  },
};
