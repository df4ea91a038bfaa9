/** Typed errors with a code and the subject they concern. */

export type ErrorCode =
  | 'BAD_INPUT'
  | 'BAD_ARGUMENT'
  | 'UNKNOWN_POSITION'
  | 'AMBIGUOUS_POSITION'
  | 'INVALID_POSITION_DATA'
  | 'NO_RATE_DATA'
  | 'OUT_OF_RANGE'
  | 'DATABASE_UNAVAILABLE'
  | 'DATABASE_BUSY';

export class LendstatsError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LendstatsError';
  }
}

/** A bad row or value in an input file. `line` counts the header as line 1. */
export class InputError extends LendstatsError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: string | null,
    readonly detail: string,
  ) {
    const where = [
      file,
      line === null ? null : `line ${line}`,
      column === null ? null : `column ${column}`,
    ]
      .filter((part) => part !== null)
      .join(', ');
    super('BAD_INPUT', `${where}: ${detail}`);
    this.name = 'InputError';
  }
}

/** Why one statistic cannot be computed; a value in a run's report, not a crash. */
export class StatisticError extends LendstatsError {
  constructor(
    code: 'INVALID_POSITION_DATA' | 'NO_RATE_DATA' | 'OUT_OF_RANGE',
    readonly positionId: string,
    readonly timestamp: number,
    message: string,
  ) {
    super(code, message);
    this.name = 'StatisticError';
  }
}
