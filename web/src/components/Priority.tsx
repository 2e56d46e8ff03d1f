import { Badge, day } from './Layout';

/** The SSVC decisions, most urgent first (the API's ranks, highest last, reversed). */
export const DECISIONS = ['immediate', 'out_of_cycle', 'scheduled', 'defer'] as const;
export type Decision = (typeof DECISIONS)[number];

/** The most urgent of several decisions; null when none is decided. */
export function highestDecision(decisions: Array<string | null | undefined>): Decision | null {
  return DECISIONS.find((d) => decisions.includes(d)) ?? null;
}

export function DecisionBadge(props: { decision: string | null | undefined }) {
  return props.decision ? <Badge kind={props.decision} /> : <span class="muted">undecided</span>;
}

/** A due date, with "overdue" in words (never colour alone) once it has passed. */
export function DueDate(props: { at: string | Date | null | undefined; now?: number }) {
  if (!props.at) return <span class="muted">none</span>;
  const iso = typeof props.at === 'string' ? props.at : props.at.toISOString();
  const overdue = Date.parse(iso) < (props.now ?? Date.now());
  return (
    <time dateTime={iso} class={overdue ? 'overdue' : undefined}>
      <span class="day">{day(iso)}</span>
      {overdue && ' (overdue)'}
    </time>
  );
}

/** An EPSS probability as a percentage with two decimals: 0.94432 reads 94.43 %. */
export const epss = (score: number | null | undefined): string => (score === null || score === undefined ? '—' : `${(score * 100).toFixed(2)} %`);
