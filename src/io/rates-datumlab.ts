/**
 * Datum Labs "State of Lending on Sui" daily per-market CSV -> `rates_snapshot` rows, as
 * shared/data/sui-2026q2/README.md describes the mapping. Pure: text in, rows out.
 *
 * The three known layouts are told apart by their header (names compare without case): the
 * May workbook sheet (`Supply APY (%)`, ...), the June export (`avg_supply_apy`, ...) and the
 * merged file (`supply_apy_pct`, ...); see FIELDS.
 * - One snapshot per source date at 00:00:00 UTC; protocols named Navi, Suilend, Scallop and
 *   AlphaFi (for AlphaLend). Other protocols (Bucket) are listed in `unknownProtocols`, skipped.
 * - Labels map to coin types per protocol (datumlab-symbols.ts, overridable); a label without a
 *   coin type is listed in `unknownSymbols` and skipped, never guessed.
 * - APYs and utilization are percent: / 100, rounded to 6 decimals. USD sizes and prices are
 *   rounded to 10 decimals. These are the scales of the original schema's DECIMAL(10,6) and
 *   DECIMAL(20,10) columns. The double is divided and rounded (`x / 100`, then the nearest
 *   multiple), as Python's `round(x / 100, 6)` did when sample/rates_snapshot.csv was made, so a
 *   re-import reproduces those values to the last digit.
 * - The source's rates exclude incentives: rewards are 0, totals equal the base rates.
 * - `available_borrow_usd` is the source's liquidity (supply - borrows).
 */
import { roundToDecimals } from '../domain/decimal-text.js';
import { InputError } from '../domain/errors.js';
import { normalizeCoinType } from '../domain/market.js';
import { parseTime, TimeFormatError } from '../domain/time.js';
import {
  emptyRatesRow,
  RATES_COLUMNS,
  type RatesColumn,
  type RatesRow,
} from '../pipeline/readers/types.js';
import { parseCsvText } from './csv-text.js';
import { riskKey, type RiskParams, type SymbolMapOverrides } from './datumlab-inputs.js';
import { DATUMLAB_PROTOCOLS, DATUMLAB_SYMBOLS } from './datumlab-symbols.js';

export {
  parseDatumlabRiskParams,
  parseSymbolMapJson,
  type RiskParams,
  type SymbolMapOverrides,
} from './datumlab-inputs.js';

export interface DatumlabOptions {
  symbolMap?: SymbolMapOverrides;
  /** LTV and liquidation threshold per market (parseDatumlabRiskParams), applied to every date. */
  riskParams?: RiskParams;
}

export interface SkippedLabel {
  protocol: string;
  symbol: string;
  /** Source rows skipped. */
  rows: number;
}

export interface DatumlabRates {
  /** Columns the rows carry values for; the others are NULL and should not be written. */
  columns: RatesColumn[];
  rows: RatesRow[];
  /** Labels with no coin type, per stored protocol name. */
  unknownSymbols: SkippedLabel[];
  /** Source protocols that are not lending protocols lendstats tracks. */
  unknownProtocols: { protocol: string; rows: number }[];
}

type Field =
  | 'date'
  | 'protocol'
  | 'symbol'
  | 'supplyPct'
  | 'borrowPct'
  | 'utilizationPct'
  | 'supplyUsd'
  | 'borrowUsd'
  | 'liquidityUsd'
  | 'price';

/** Accepted header names per field, lower case: merged file, June export, May sheet. */
const FIELDS: Record<Field, { names: string[]; required: boolean }> = {
  date: { names: ['date'], required: true },
  protocol: { names: ['protocol'], required: true },
  symbol: { names: ['symbol'], required: true },
  supplyPct: { names: ['supply_apy_pct', 'avg_supply_apy', 'supply apy (%)'], required: true },
  borrowPct: { names: ['borrow_apy_pct', 'avg_borrow_apy', 'borrow apy (%)'], required: true },
  utilizationPct: {
    names: ['utilization_pct', 'avg_utilization', 'utilisation (%)'],
    required: false,
  },
  supplyUsd: { names: ['supply_usd', 'close_supply_usd', 'supply ($)'], required: false },
  borrowUsd: { names: ['borrow_usd', 'close_borrows_usd', 'borrow ($)'], required: false },
  liquidityUsd: {
    names: ['liquidity_usd', 'close_liquidity_usd', 'liquidity ($)'],
    required: false,
  },
  price: { names: ['price_usd', 'close_price', 'price ($)'], required: false },
};

/** Field -> column filled, for the optional fields. */
const OPTIONAL_COLUMNS: [Field, RatesColumn][] = [
  ['utilizationPct', 'utilization'],
  ['price', 'price_usd'],
  ['supplyUsd', 'total_supply_usd'],
  ['borrowUsd', 'total_borrow_usd'],
  ['liquidityUsd', 'available_borrow_usd'],
];

const PERCENT = 100;
const RATE_DECIMALS = 6;
const USD_DECIMALS = 10;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The built-in label map with `overrides` applied. */
export function datumlabSymbolMap(overrides: SymbolMapOverrides = {}): Map<string, string> {
  const map = new Map<string, string>();
  for (const [protocol, labels] of Object.entries(DATUMLAB_SYMBOLS)) {
    for (const [label, coin] of Object.entries(labels)) map.set(`${protocol}|${label}`, coin);
  }
  for (const [protocol, labels] of Object.entries(overrides)) {
    for (const [label, coin] of Object.entries(labels ?? {})) {
      if (coin === null) map.delete(`${protocol}|${label}`);
      else map.set(`${protocol}|${label}`, normalizeCoinType(coin));
    }
  }
  return map;
}

export function parseDatumlabCsv(
  text: string,
  file: string,
  options: DatumlabOptions = {},
): DatumlabRates {
  const csv = parseCsvText(text, file);
  const index = fieldIndexes(csv.header, file);
  const symbols = datumlabSymbolMap(options.symbolMap);

  const rows: RatesRow[] = [];
  const lineOfKey = new Map<string, number>();
  const unknownSymbols = new Map<string, SkippedLabel>();
  const unknownProtocols = new Map<string, number>();
  for (const record of csv.records) {
    const value = (field: Field): string => {
      const i = index[field];
      return i === undefined ? '' : (record.fields[i] ?? '').trim();
    };
    const fail = (field: Field, detail: string): InputError =>
      new InputError(file, record.line, csv.header[index[field]!] ?? field, detail);

    const sourceProtocol = value('protocol');
    const protocol = DATUMLAB_PROTOCOLS[sourceProtocol.toLowerCase()];
    if (protocol === undefined) {
      unknownProtocols.set(sourceProtocol, (unknownProtocols.get(sourceProtocol) ?? 0) + 1);
      continue;
    }
    const symbol = value('symbol');
    const coin = symbols.get(`${protocol}|${symbol}`);
    if (coin === undefined) {
      const key = `${protocol}|${symbol}`;
      const skipped = unknownSymbols.get(key) ?? { protocol, symbol, rows: 0 };
      skipped.rows += 1;
      unknownSymbols.set(key, skipped);
      continue;
    }

    const date = value('date');
    if (!DATE.test(date)) throw fail('date', `'${date}' is not a date like 2026-06-01`);
    // A daily row is the snapshot at 00:00 UTC of its date.
    let day: number;
    try {
      day = parseTime(`${date} 00:00:00`);
    } catch (error) {
      if (error instanceof TimeFormatError) throw fail('date', `'${date}' is not a date`);
      throw error;
    }
    const row = emptyRatesRow(day, protocol, coin);
    const key = `${row.timestamp}|${protocol}|${coin}`;
    const earlier = lineOfKey.get(key);
    if (earlier !== undefined) {
      throw fail('symbol', `'${symbol}' repeats the market and date of line ${earlier}`);
    }
    lineOfKey.set(key, record.line);

    const read = (field: Field, decimals: number, divisor = 1): number | null => {
      const text = value(field);
      if (text === '') return null;
      if (!NUMBER.test(text)) throw fail(field, `'${text}' is not a number`);
      return roundToDecimals(Number(text) / divisor, decimals);
    };
    row.token = symbol;
    row.lend_base_apr = read('supplyPct', RATE_DECIMALS, PERCENT);
    row.borrow_base_apr = read('borrowPct', RATE_DECIMALS, PERCENT);
    row.lend_reward_apr = 0;
    row.borrow_reward_apr = 0;
    row.lend_total_apr = row.lend_base_apr;
    row.borrow_total_apr = row.borrow_base_apr;
    row.utilization = read('utilizationPct', RATE_DECIMALS, PERCENT);
    row.price_usd = read('price', USD_DECIMALS);
    row.total_supply_usd = read('supplyUsd', USD_DECIMALS);
    row.total_borrow_usd = read('borrowUsd', USD_DECIMALS);
    row.available_borrow_usd = read('liquidityUsd', USD_DECIMALS);
    const risk = options.riskParams?.get(riskKey(protocol, symbol));
    row.collateral_ratio = risk?.collateralRatio ?? null;
    row.liquidation_threshold = risk?.liquidationThreshold ?? null;
    rows.push(row);
  }

  return {
    columns: filledColumns(index, options.riskParams !== undefined),
    rows,
    unknownSymbols: [...unknownSymbols.values()],
    unknownProtocols: [...unknownProtocols].map(([protocol, count]) => ({ protocol, rows: count })),
  };
}

function fieldIndexes(header: string[], file: string): Partial<Record<Field, number>> {
  const names = header.map((name) => name.trim().toLowerCase());
  const index: Partial<Record<Field, number>> = {};
  for (const [field, spec] of Object.entries(FIELDS) as [Field, (typeof FIELDS)[Field]][]) {
    const at = names.findIndex((name) => spec.names.includes(name));
    if (at !== -1) index[field] = at;
    else if (spec.required) {
      const accepted = spec.names.map((name) => `'${name}'`).join(' or ');
      throw new InputError(file, 1, null, `no column ${accepted} in the header`);
    }
  }
  return index;
}

function filledColumns(index: Partial<Record<Field, number>>, withRisk: boolean): RatesColumn[] {
  // Key, symbol and the six rate columns: the first ten columns of SCHEMA.md's order.
  const columns: RatesColumn[] = RATES_COLUMNS.slice(
    0,
    RATES_COLUMNS.indexOf('borrow_total_apr') + 1,
  );
  if (withRisk) columns.push('collateral_ratio', 'liquidation_threshold');
  for (const [field, column] of OPTIONAL_COLUMNS) {
    if (index[field] !== undefined) columns.push(column);
  }
  return columns;
}
