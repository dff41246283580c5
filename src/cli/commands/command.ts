/** Where a command writes: results to `out`, warnings and errors to `err`. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** One `runlens` subcommand. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Reads the command line without touching any data; throws UsageError for a mistake in it. */
  parse(args: string[]): unknown;
  /** Resolves to the exit code. */
  run(args: string[], io: Io): Promise<number>;
}
