/** Parsing of command-line values into typed values, with errors that name the argument. */
import { InvalidArgumentError } from 'commander';
import { SAMPLINGS, type Sampling } from '../domain/plan.js';
import { parseTime, TimeFormatError } from '../domain/time.js';

/** TIME: `YYYY-MM-DD HH:MM:SS` (UTC), ISO 8601 with Z or an offset, or Unix seconds. */
export function timeArgument(value: string): number {
  try {
    return parseTime(value);
  } catch (error) {
    if (error instanceof TimeFormatError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

export function samplingArgument(value: string): Sampling {
  if (!(SAMPLINGS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${SAMPLINGS.join(', ')}`);
  }
  return value as Sampling;
}

export function numberArgument(min: number, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`expected a number ${range}`);
    }
    return n;
  };
}

export function integerArgument(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = numberArgument(min, max)(value);
    if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
    return n;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
