import { expect } from 'vitest';

/** SPEC-statistics.md's agreement rule: |a - b| <= 1e-9 * max(1, |b|). */
export function expectAgrees(actual: number | null, expected: number | null, label = ''): void {
  if (expected === null || actual === null) {
    expect(actual, label).toBe(expected);
    return;
  }
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}
