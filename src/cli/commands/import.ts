/** `lendstats import DIR`: load a folder of table CSVs into the database, creating it if needed. */
import type { Command } from 'commander';
import { importFolder, type ImportReport } from '../../io/import.js';
import type { CliContext } from '../context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description(
      'load <table>.csv or <table>.csv.gz files of the six tables into the database, ' +
        'all in one transaction (creates the database if it does not exist)',
    )
    .argument('<dir>', 'folder holding the CSV files')
    .option('--json', 'print one JSON document on stdout')
    .action(async function runImport(dir: string, opts: { json?: boolean }) {
      const report = await importFolder(dir, ctx.dbTarget());
      ctx.stdout(opts.json ? `${JSON.stringify(report)}\n` : formatReport(dir, report));
    });
}

export function formatReport(dir: string, report: ImportReport): string {
  const header = ['table', 'file', 'rows', 'inserted', 'updated', 'unchanged'];
  const rows = report.tables.map((table) => [
    table.table,
    table.file,
    String(table.rows),
    String(table.inserted),
    String(table.updated),
    String(table.unchanged),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();

  const created = report.created ? ' (created)' : '';
  const lines = [
    `imported ${dir} into ${report.database}${created} in ${report.seconds.toFixed(1)} s`,
    line(header),
    ...rows.map(line),
  ];
  const added = report.tables.flatMap((table) =>
    table.addedColumns.map((c) => `${table.table}.${c}`),
  );
  if (added.length > 0) lines.push(`added columns: ${added.join(', ')}`);
  if (report.skipped.length > 0) lines.push(`skipped: ${report.skipped.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
