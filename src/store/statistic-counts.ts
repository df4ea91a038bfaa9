/** Row counts of position_statistics per position: a cheap check that written rows are there. */
import type { Store } from './connection.js';

export async function countStatistics(store: Store): Promise<Map<string, number>> {
  const rows = await store.db
    .selectFrom('position_statistics')
    .select((eb) => ['position_id as position_id', eb.fn.countAll<number | string>().as('n')])
    .groupBy('position_id')
    .execute();
  return new Map(rows.map((row) => [row.position_id, Number(row.n)]));
}
