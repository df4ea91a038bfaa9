// Runs the lendstats CLI in this process and reports its peak RSS on stderr when it exits:
// node bench/child.mjs <lendstats arguments>
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
await import('../bin/lendstats.js');
