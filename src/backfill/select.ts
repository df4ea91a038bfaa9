/** Resolves --position arguments (full ids or unique prefixes) against the known positions. */
import { LendstatsError } from '../domain/errors.js';

export function selectPositions(
  knownIds: readonly string[],
  selectors: readonly string[],
): Set<string> {
  const selected = new Set<string>();
  for (const selector of selectors) {
    if (knownIds.includes(selector)) {
      selected.add(selector);
      continue;
    }
    const candidates = knownIds.filter((id) => id.startsWith(selector));
    if (candidates.length === 0) {
      throw new LendstatsError(
        'UNKNOWN_POSITION',
        `unknown position '${selector}': no position id starts with it`,
      );
    }
    if (candidates.length > 1) {
      const shown = candidates.slice(0, 20).join(', ');
      const more = candidates.length > 20 ? ` and ${candidates.length - 20} more` : '';
      throw new LendstatsError(
        'AMBIGUOUS_POSITION',
        `ambiguous position prefix '${selector}' matches ${candidates.length} positions: ${shown}${more}; give more characters`,
      );
    }
    selected.add(candidates[0]!);
  }
  return selected;
}
