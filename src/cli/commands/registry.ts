import { z } from 'zod';
import type { Catalog } from '../../core/catalog';
import { formatBytes } from '../../core/format';
import { Dataset, ModelVersion } from '../../core/model';
import { renderTable } from '../../core/report';
import { COMMON_HELP, COMMON_OPTIONS, json, openFolder, outputStyle, parse } from '../options';
import type { Command } from './command';

const read = (args: string[]) => parse(args, { ...COMMON_OPTIONS, markdown: { type: 'boolean' } }, { max: 1, name: 'folder' });

/** A command that lists one part of the catalog: as JSON validated by `schema`, or as a table. */
function listing<T>(spec: { name: string; summary: string; schema: z.ZodType<T>; items: (c: Catalog) => T[]; header: string[]; row: (item: T) => string[] }): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: `runlens ${spec.name} [folder] [--json|--markdown]\n\n  --markdown              print a Markdown table\n${COMMON_HELP}`,
    parse: read,
    async run(args, io) {
      const { values, positionals } = read(args);
      const style = outputStyle(values);
      const { service, catalog } = await openFolder(io, positionals[0], values);
      service.dispose();
      const items = spec.items(catalog);
      io.out(style === 'json' ? json(z.array(spec.schema).parse(items)) : renderTable({ header: spec.header, rows: items.map(spec.row) }, style).join('\n') + '\n');
      return 0;
    },
  };
}

export const models = listing({
  name: 'models',
  summary: 'registered model versions with their stages and aliases',
  schema: ModelVersion,
  items: (c) => c.models,
  header: ['model', 'version', 'stages', 'aliases', 'run'],
  row: (m) => [m.model, m.version, m.stages.join(', '), m.aliases.join(', '), m.run ?? m.commit?.slice(0, 7) ?? ''],
});

export const datasets = listing({
  name: 'datasets',
  summary: 'datasets the runs used and the data the repository tracks',
  schema: Dataset,
  items: (c) => c.datasets,
  header: ['dataset', 'digest', 'size', 'this branch', 'runs'],
  row: (d) => [d.path ?? d.name, d.digest.slice(0, 12), d.size === undefined ? '' : formatBytes(d.size), d.changedOnBranch ? 'changed' : '', String(d.runs.length)],
});
