/**
 * When a finding reached its current decision, now that decisions are kept per cell (an
 * advisory and a device class) rather than per finding. The SQL twins are DECISION_SINCE_SQL
 * (reading) and FindingPrioritiesRepository.apply (a finding entering another cell).
 */

/** A cell of decision_cells as this rule reads it. */
export interface CellDecision {
  decision: string;
  /** When the cell's decision last changed. */
  since: Date;
}

/** What a finding keeps of its place: when it entered its cell and, if it kept its decision then, since when it had held it. */
export interface FindingPlace {
  classSince: Date;
  carriedSince: Date | null;
}

/**
 * A cell that changed after the finding entered it changed the finding's decision then;
 * otherwise the finding has what it had on entry: the decision it carried in, or a new one from the entry.
 */
export function decisionSince(cell: CellDecision, finding: FindingPlace): Date {
  return cell.since.getTime() <= finding.classSince.getTime() ? (finding.carriedSince ?? finding.classSince) : cell.since;
}

/**
 * A finding entering `to` at `at` (its device's class changed, or it is decided for the first
 * time when `from` is null): it carries the time it reached its decision only if the decision stays.
 */
export function enterCell(from: { cell: CellDecision; place: FindingPlace } | null, to: CellDecision, at: Date): FindingPlace {
  const carried = from && from.cell.decision === to.decision ? decisionSince(from.cell, from.place) : null;
  return { classSince: at, carriedSince: carried };
}
