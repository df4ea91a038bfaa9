#!/usr/bin/env node
// Runs the compiled CLI from dist/ (built by `npm ci` through `prepare`), or the TypeScript
// sources through tsx when dist/ is missing or older than a source file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist/cli/main.js`;
const stamp = `${root}dist/.stamp`;

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    const time = entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

function compiledIsCurrent() {
  if (process.env.LENDSTATS_FROM_SOURCE === '1' || !existsSync(stamp)) return false;
  return existsSync(compiled) && statSync(stamp).mtimeMs >= newestSource(`${root}src`);
}

let main;
if (compiledIsCurrent()) {
  ({ main } = await import(compiled));
} else {
  const { tsImport } = await import('tsx/esm/api');
  ({ main } = await tsImport('../src/cli/main.ts', import.meta.url));
}
await main(process.argv);
