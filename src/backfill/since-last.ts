/** `--since-last`: where an incremental run starts, from the run ledger. */
import { HOUR } from '../domain/time.js';
import type { Store } from '../store/connection.js';
import { lastDoneRun } from '../store/ledger.js';
import type { RunRecord } from '../store/run-history.js';

export const DEFAULT_LOOKBACK_HOURS = 24;

/** The last done run's now minus the lookback; null (plan everything) without a done run. */
export async function sinceLastStart(
  store: Store,
  lookbackHours = DEFAULT_LOOKBACK_HOURS,
): Promise<{ start: number | null; last: RunRecord | null }> {
  const last = await lastDoneRun(store);
  if (last === null || last.now === null) return { start: null, last: null };
  return { start: last.now - lookbackHours * HOUR, last };
}
