/** One entity's or stream's end of a run, as the sync summary prints it. */
export interface Outcome {
  name: string;
  error?: string;
  stoppedBecause?: string;
}

/**
 * Returns the part of an error message that does not depend on which request failed: the
 * method and URL are removed, so the same rejected key or unreachable host on every entity
 * and stream compares equal.
 */
export function errorCause(message: string): string {
  return message
    .replace(/^The request \S+ \S+ to Pendo failed/, 'A request to Pendo failed')
    .replace(/ for (?:GET|POST|PUT|PATCH|DELETE) \S+?(?=[.,;:]?(?:\s|$))/g, '');
}

/**
 * Formats why entities and streams failed or stopped early, one line per distinct cause.
 * Failures with the same cause share one line that lists their names, so a rejected key
 * prints once rather than once per entity and stream.
 */
export function formatOutcomes(outcomes: readonly Outcome[]): string[] {
  const failures = new Map<string, { names: string[]; message: string }>();
  const lines: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.error) {
      const cause = errorCause(outcome.error);
      const group = failures.get(cause);
      if (group) group.names.push(outcome.name);
      else failures.set(cause, { names: [outcome.name], message: outcome.error });
    } else if (outcome.stoppedBecause) {
      lines.push(
        `${outcome.name}: stopped early because ${outcome.stoppedBecause}; the next run continues from here.`,
      );
    }
  }
  const failureLines = [...failures.entries()].map(([cause, group]) =>
    group.names.length === 1
      ? `${group.names[0]}: ${group.message}`
      : `${group.names.join(', ')} (${group.names.length} in all): ${cause}`,
  );
  return [...failureLines, ...lines];
}
