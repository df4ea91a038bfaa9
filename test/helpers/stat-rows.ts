/** Reads every stored statistic for comparisons (calculation_timestamp left out). */
import { openStore } from '../../src/store/connection.js';
import { loadStatistics } from '../../src/store/queries.js';

export async function statisticRows(target: string): Promise<string[]> {
  const store = await openStore(target);
  try {
    const rows = await loadStatistics(store);
    return rows.map((row) => JSON.stringify([row.positionId, row.timestamp, row.values]));
  } finally {
    await store.close();
  }
}

export async function calculationStamps(target: string): Promise<string[]> {
  const store = await openStore(target);
  try {
    const rows = await loadStatistics(store);
    return rows.map((row) => `${row.positionId}|${row.timestamp}|${row.calculationTimestamp}`);
  } finally {
    await store.close();
  }
}
