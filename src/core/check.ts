// Metric gates for CI: does the branch's best run hold up against fixed bounds and the base?
import { z } from 'zod';
import { metricDirection, type DirectionOverrides } from './direction';
import type { Run } from './model';

export const Gate = z.discriminatedUnion('kind', [
  /** worsening against the base, in the metric's direction: absolute, or relative when `relative` */
  z.object({ kind: z.literal('max-drop'), metric: z.string(), amount: z.number().nonnegative(), relative: z.boolean() }),
  z.object({ kind: z.literal('min'), metric: z.string(), bound: z.number() }),
  z.object({ kind: z.literal('max'), metric: z.string(), bound: z.number() }),
]);
export type Gate = z.infer<typeof Gate>;

export const GateResult = z.object({
  gate: Gate,
  status: z.enum(['pass', 'fail', 'missing']),
  head: z.number().optional(),
  base: z.number().optional(),
  message: z.string(),
});
export type GateResult = z.infer<typeof GateResult>;

export const CheckReport = z.object({
  ok: z.boolean(),
  results: z.array(GateResult),
});
export type CheckReport = z.infer<typeof CheckReport>;

/** `--max-drop` values: `0.01` (absolute) or `2%` (relative to the base value). */
export function parseDrop(text: string): { amount: number; relative: boolean } | undefined {
  const relative = text.trim().endsWith('%');
  const amount = Number(relative ? text.trim().slice(0, -1) : text);
  if (text.trim() === '' || !Number.isFinite(amount) || amount < 0) return undefined;
  return { amount: relative ? amount / 100 : amount, relative };
}

/** The head run's value of each gated metric against bounds and the base run's value. */
export function evaluateGates(gates: readonly Gate[], head: Run | undefined, base: Run | undefined, directions?: DirectionOverrides): CheckReport {
  const results = gates.map((gate) => evaluate(gate, head?.metrics[gate.metric]?.last, base?.metrics[gate.metric]?.last, directions));
  return { ok: results.every((r) => r.status === 'pass'), results };
}

function evaluate(gate: Gate, head: number | undefined, base: number | undefined, directions?: DirectionOverrides): GateResult {
  const { metric } = gate;
  if (head === undefined) return { gate, status: 'missing', base, message: `${metric}: no run on the branch has this metric` };
  switch (gate.kind) {
    case 'min':
      return head >= gate.bound
        ? { gate, status: 'pass', head, base, message: `${metric} = ${head} ≥ ${gate.bound}` }
        : { gate, status: 'fail', head, base, message: `${metric} = ${head} is below the minimum ${gate.bound}` };
    case 'max':
      return head <= gate.bound
        ? { gate, status: 'pass', head, base, message: `${metric} = ${head} ≤ ${gate.bound}` }
        : { gate, status: 'fail', head, base, message: `${metric} = ${head} is above the maximum ${gate.bound}` };
    case 'max-drop': {
      if (base === undefined) return { gate, status: 'missing', head, message: `${metric}: no run on the base has this metric to compare with` };
      const direction = metricDirection(metric, directions);
      if (!direction) return { gate, status: 'missing', head, base, message: `${metric}: unknown direction (is lower or higher better?); name it in --direction ${metric}=min|max` };
      const worsening = direction === 'min' ? head - base : base - head;
      const allowed = gate.relative ? gate.amount * Math.abs(base) : gate.amount;
      const limit = gate.relative ? `${+(gate.amount * 100).toPrecision(6)}%` : `${gate.amount}`;
      return worsening <= allowed
        ? { gate, status: 'pass', head, base, message: `${metric} = ${head} against ${base} on the base: within the allowed drop of ${limit}` }
        : { gate, status: 'fail', head, base, message: `${metric} = ${head} against ${base} on the base: worse by ${+worsening.toPrecision(6)}, more than the allowed ${limit}` };
    }
  }
}
