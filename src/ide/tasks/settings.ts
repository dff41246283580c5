// The settings that name commands, `runlens.training` and `runlens.deployTargets`, as zod schemas. Each entry
// is an argument array with `${name}` placeholders; every placeholder must name a parameter of the entry or a
// value Runlens provides, and every default and choice must fit its parameter's type. Editor-free, so the
// README's examples are checked against the same schemas.
import { z } from 'zod';
import { expandTemplate, invalidValue, ParamType, placeholdersOf, type ParamSpec } from '../../core/launch';

/** Values every template may use. */
export const COMMON_VALUES = ['workspaceFolder'] as const;
/** Values a deploy target's templates may use, from the model version it deploys. */
export const MODEL_VALUES = ['model.name', 'model.version', 'model.uri', 'model.path', 'run.id', 'git.commit'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const Parameter = z
  .object({
    name: z.string().regex(/^[A-Za-z_][\w.-]*$/, 'a parameter name is letters, digits, _ . and -, starting with a letter or _'),
    type: ParamType.default('string'),
    default: scalar.optional(),
    choices: z.array(scalar).min(1).optional(),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((param, ctx) => {
    // Only the type is checked here: a path default is checked when the command runs, where it is relative to,
    // and a deploy target's default with `${model.…}` once those values are filled in.
    const typed = (value: string) => (value.includes('${') ? undefined : invalidValue({ ...param, choices: undefined }, value, () => true));
    for (const value of [...(param.choices ?? []), ...(param.default === undefined ? [] : [param.default])]) {
      const problem = typed(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `${param.name}: "${value}" ${problem}` });
    }
    if (param.default !== undefined && param.choices && !param.choices.includes(param.default)) {
      ctx.addIssue({ code: 'custom', message: `${param.name}: the default "${param.default}" is not one of the choices` });
    }
  });

const Env = z.record(z.string().regex(/^[A-Za-z_]\w*$/, 'an environment variable name'), z.string());

const commandFields = {
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.array(Parameter).default([]),
  /** working folder, relative to the workspace folder */
  cwd: z.string().optional(),
  env: Env.default({}),
};

/** Adds an issue for each parameter named twice, placeholder that names nothing known, and parameter no template uses. */
function checkTemplates(entry: { parameters: ParamSpec[]; cwd?: string; env: Record<string, string> }, args: string[], provided: readonly string[], ctx: z.RefinementCtx): void {
  const names = entry.parameters.map((p) => p.name);
  for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i))) ctx.addIssue({ code: 'custom', message: `parameter ${name} is declared twice` });
  const used = [...args, entry.cwd ?? '', ...Object.values(entry.env)].flatMap(placeholdersOf);
  const known = new Set([...names, ...provided]);
  for (const name of new Set(used)) {
    if (!known.has(name)) ctx.addIssue({ code: 'custom', message: `\${${name}} is not a parameter of this entry, nor one of ${provided.join(', ')}` });
  }
  for (const name of names) {
    if (!used.includes(name)) ctx.addIssue({ code: 'custom', message: `parameter ${name} is used by no argument, cwd or env value` });
  }
}

export const TrainingCommand = z
  .object({ ...commandFields, command: z.array(z.string()).min(1) })
  .strict()
  .superRefine((entry, ctx) => checkTemplates(entry, entry.command, COMMON_VALUES, ctx));
export type TrainingCommand = z.infer<typeof TrainingCommand>;

export const DeployTarget = z
  .object({ ...commandFields, args: z.array(z.string()).min(1) })
  .strict()
  .superRefine((entry, ctx) => {
    checkTemplates(entry, entry.args, [...COMMON_VALUES, ...MODEL_VALUES], ctx);
    for (const param of entry.parameters) {
      // A default may use the model's values (`${model.name}-server`): check that it only names those.
      try {
        if (param.default !== undefined) expandTemplate(param.default, Object.fromEntries([...COMMON_VALUES, ...MODEL_VALUES].map((k) => [k, ''])));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `${param.name}: default ${(error as Error).message}` });
      }
    }
  });
export type DeployTarget = z.infer<typeof DeployTarget>;

/** The valid entries of a setting's array, and a message for each one that is not (by position and name). */
export function parseEntries<S extends z.ZodType>(schema: S, raw: unknown, setting: string): { entries: z.infer<S>[]; problems: string[] } {
  const entries: z.infer<S>[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { entries, problems };
  if (!Array.isArray(raw)) return { entries, problems: [`${setting} must be an array`] };
  raw.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) entries.push(parsed.data);
    else {
      const name = typeof (item as { name?: unknown })?.name === 'string' ? ` (${(item as { name: string }).name})` : '';
      problems.push(`${setting}[${index}]${name}: ${parsed.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ')}`);
    }
  });
  return { entries, problems };
}
