/** `lendstats import-rates FILE`: load rate history (SCHEMA.md CSV or Datum Labs daily rows). */
import { InvalidArgumentError, type Command } from 'commander';

import {
  RATES_FORMATS,
  readRatesFile,
  saveRates,
  type RatesFormat,
} from '../../io/import-rates.js';
import type { CliContext } from '../context.js';

interface ImportRatesFlags {
  format?: RatesFormat;
  symbolMap?: string;
  riskParams?: string;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('import-rates')
    .description(
      'load rate history into rates_snapshot in one transaction: the CSV form of SCHEMA.md or ' +
        'Datum Labs daily per-market rows (creates the database if it does not exist)',
    )
    .argument('<file>', 'the CSV file (plain or .gz)')
    .option('--format <format>', 'csv | datumlab (default: told by the header)', formatArgument)
    .option('--symbol-map <json>', 'datumlab: JSON file of label -> coin type per protocol')
    .option('--risk-params <csv>', 'datumlab: risk parameter sheet (LTV, liquidation threshold)')
    .option('--json', 'print one JSON document on stdout')
    .action(async function importRatesAction(file: string, flags: ImportRatesFlags) {
      const started = performance.now();
      const rates = await readRatesFile(file, {
        ...(flags.format === undefined ? {} : { format: flags.format }),
        ...(flags.symbolMap === undefined ? {} : { symbolMap: flags.symbolMap }),
        ...(flags.riskParams === undefined ? {} : { riskParams: flags.riskParams }),
      });
      const store = await ctx.openStore({ create: true });
      let counts;
      try {
        counts = await saveRates(store, rates);
      } finally {
        await store.close();
      }

      const report = {
        file,
        format: rates.format,
        database: store.target,
        rows: rates.rows.length,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: counts.unchanged,
        unknown_symbols: rates.unknownSymbols,
        unknown_protocols: rates.unknownProtocols,
        ignored_columns: rates.ignoredColumns,
        seconds: (performance.now() - started) / 1000,
      };
      if (flags.json) {
        ctx.stdout(`${JSON.stringify(report)}\n`);
        return;
      }
      const lines = [
        `imported ${file} (${rates.format}) into ${store.target} in ${report.seconds.toFixed(1)} s`,
        `rates_snapshot: ${rates.rows.length} rows, ${counts.inserted} inserted, ` +
          `${counts.updated} updated, ${counts.unchanged} unchanged`,
      ];
      if (rates.unknownSymbols.length > 0) {
        const labels = rates.unknownSymbols.map(
          (s) => `${s.protocol} ${s.symbol} (${s.rows} rows)`,
        );
        lines.push(`unknown symbols, skipped (map them with --symbol-map): ${labels.join(', ')}`);
      }
      if (rates.unknownProtocols.length > 0) {
        const names = rates.unknownProtocols.map((p) => `${p.protocol} (${p.rows} rows)`);
        lines.push(`other protocols, skipped: ${names.join(', ')}`);
      }
      if (rates.ignoredColumns.length > 0) {
        lines.push(`ignored columns: ${rates.ignoredColumns.join(', ')}`);
      }
      ctx.stdout(`${lines.join('\n')}\n`);
    });
}

function formatArgument(value: string): RatesFormat {
  if (!(RATES_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${RATES_FORMATS.join(', ')}`);
  }
  return value as RatesFormat;
}
