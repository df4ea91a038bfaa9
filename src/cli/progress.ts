/**
 * Progress of a long step on stderr: a bar with rate and ETA on a terminal, plain periodic lines
 * otherwise (logs, CI). Generic: start(total, label), increment(n), stop().
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  increment(n?: number): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Where to write; default process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Force the plain-line form (or the bar); default: bar when the stream is a TTY. */
  tty?: boolean;
  /** Seconds between plain lines; default 5. */
  intervalSeconds?: number;
  /** Milliseconds clock, for tests. */
  now?: () => number;
}

export function createProgress(opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? stream.isTTY === true;
  return tty ? barProgress(stream) : lineProgress(stream, opts);
}

function barProgress(stream: NodeJS.WritableStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}',
      etaBuffer: 50,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let value = 0;
  const rate = (): string => {
    const seconds = (Date.now() - started) / 1000;
    return seconds > 0 ? (value / seconds).toFixed(1) : '0';
  };
  return {
    start(total, label) {
      started = Date.now();
      value = 0;
      bar.start(total, 0, { label, rate: '0' });
    },
    increment(n = 1) {
      value += n;
      bar.increment(n, { rate: rate() });
    },
    stop() {
      bar.stop();
    },
  };
}

function lineProgress(stream: NodeJS.WritableStream, opts: ProgressOptions): Progress {
  const now = opts.now ?? Date.now;
  const interval = (opts.intervalSeconds ?? 5) * 1000;
  let label = '';
  let total = 0;
  let value = 0;
  let started = 0;
  let lastLine = 0;
  let running = false;

  const write = (): void => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? value / seconds : 0;
    const percent = total > 0 ? Math.floor((value / total) * 100) : 100;
    const eta = rate > 0 ? `, ETA ${formatDuration((total - value) / rate)}` : '';
    stream.write(`${label}: ${value}/${total} (${percent}%), ${rate.toFixed(1)}/s${eta}\n`);
    lastLine = now();
  };

  return {
    start(nextTotal, nextLabel) {
      label = nextLabel;
      total = nextTotal;
      value = 0;
      started = now();
      lastLine = started;
      running = true;
    },
    increment(n = 1) {
      value += n;
      if (running && now() - lastLine >= interval) write();
    },
    stop() {
      if (!running) return;
      running = false;
      const seconds = (now() - started) / 1000;
      stream.write(`${label}: ${value}/${total} done in ${formatDuration(seconds)}\n`);
    },
  };
}

export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
