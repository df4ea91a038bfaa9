/**
 * The optional inputs of the Datum Labs import, parsed from text: a JSON symbol map that
 * overrides or extends the built-in one, and the workbook's risk-parameter sheet.
 */
import { z } from 'zod';

import { roundToDecimals } from '../domain/decimal-text.js';
import { InputError } from '../domain/errors.js';
import type { StoredProtocol } from '../pipeline/readers/types.js';
import { parseCsvText } from './csv-text.js';
import { DATUMLAB_PROTOCOLS } from './datumlab-symbols.js';

/** Per stored protocol, label -> coin type; `null` removes a built-in label. */
export type SymbolMapOverrides = Partial<Record<StoredProtocol, Record<string, string | null>>>;

const symbolMapSchema = z.record(z.string(), z.record(z.string(), z.string().nullable()));

/**
 * `{ "Navi": { "WBTC": "0x…::wbtc::WBTC", "wBTC": null }, "AlphaLend": { … } }`: protocol names
 * as stored or as the source writes them, without case; labels exactly as in the source.
 */
export function parseSymbolMapJson(text: string, file: string): SymbolMapOverrides {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, null, null, `not valid JSON: ${(error as Error).message}`);
  }
  const parsed = symbolMapSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(file, null, issue.path.join('.') || null, issue.message);
  }

  const overrides: SymbolMapOverrides = {};
  for (const [name, labels] of Object.entries(parsed.data)) {
    const protocol = DATUMLAB_PROTOCOLS[name.trim().toLowerCase()];
    if (protocol === undefined) {
      const known = Object.keys(DATUMLAB_PROTOCOLS).join(', ');
      throw new InputError(file, null, name, `unknown protocol; expected one of ${known}`);
    }
    overrides[protocol] = { ...overrides[protocol], ...labels };
  }
  return overrides;
}

export interface RiskParam {
  collateralRatio: number;
  liquidationThreshold: number;
}

/** Keyed by `riskKey(protocol, label)`. */
export type RiskParams = Map<string, RiskParam>;

export function riskKey(protocol: StoredProtocol, label: string): string {
  return `${protocol}|${label}`;
}

const RATIO_DECIMALS = 6;

/**
 * The "Risk Params" sheet (`Protocol,Symbol,LTV,Liq. threshold,…`): LTV and liquidation threshold
 * as fractions, rounded to 6 decimals (a stored 0.9399999999999999 reads as 0.94). Rows of other
 * protocols are skipped.
 */
export function parseDatumlabRiskParams(text: string, file: string): RiskParams {
  const csv = parseCsvText(text, file);
  const names = csv.header.map((name) => name.trim().toLowerCase());
  const columns = ['protocol', 'symbol', 'ltv', 'liq. threshold'].map((name) => {
    const index = names.indexOf(name);
    if (index === -1) throw new InputError(file, 1, name, 'is missing from the header');
    return index;
  });
  const [protocolAt, symbolAt, ltvAt, thresholdAt] = columns as [number, number, number, number];

  const params: RiskParams = new Map();
  for (const record of csv.records) {
    const protocol = DATUMLAB_PROTOCOLS[(record.fields[protocolAt] ?? '').trim().toLowerCase()];
    if (protocol === undefined) continue;
    const ratio = (at: number): number => {
      const value = (record.fields[at] ?? '').trim();
      if (!/^\d+(\.\d+)?$/.test(value)) {
        throw new InputError(file, record.line, csv.header[at]!, `'${value}' is not a fraction`);
      }
      return roundToDecimals(Number(value), RATIO_DECIMALS);
    };
    params.set(riskKey(protocol, (record.fields[symbolAt] ?? '').trim()), {
      collateralRatio: ratio(ltvAt),
      liquidationThreshold: ratio(thresholdAt),
    });
  }
  return params;
}
