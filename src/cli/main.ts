#!/usr/bin/env node
// `runlens`: the headless face of the core, for terminals and CI.
import { check } from './commands/check';
import type { Command } from './commands/command';
import { compare } from './commands/compare';
import { diff } from './commands/diff';
import { datasets, models } from './commands/registry';
import { runs } from './commands/runs';
import { scan } from './commands/scan';
import { DataError, UsageError } from './options';

export const COMMANDS: readonly Command[] = [scan, runs, compare, diff, check, models, datasets];

export const USAGE = `Usage: runlens <command> [options]

${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

Run "runlens <command> --help" for a command's options.
`;

/** Runs the command line; resolves to the exit code. Output goes to `out`, errors to `err`. */
export async function main(argv: readonly string[], out = (text: string) => void process.stdout.write(text), err = (text: string) => void process.stderr.write(text)): Promise<number> {
  const [name, ...args] = argv;
  if (name === '-h' || name === '--help' || name === 'help') {
    out(USAGE);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    err(`runlens: ${name ? `unknown command "${name}"` : 'no command given'}\n\n${USAGE}`);
    return 2;
  }
  if (args.includes('-h') || args.includes('--help')) {
    out(`Usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, { out, err });
  } catch (error) {
    if (error instanceof UsageError) err(`runlens ${command.name}: ${error.message}\n\nUsage: ${command.usage}\n`);
    else if (error instanceof DataError) err(`runlens ${command.name}: ${error.message}\n`);
    else err(`runlens ${command.name}: ${(error as Error).stack ?? error}\n`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
