/** Numbers and times as people read them; times are UTC strings from the API, shown in a zone. */

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  // -0.004 would print as "-$0.00".
  return usd.format(Math.abs(value) < 0.005 ? 0 : value);
}

export function formatApr(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const percent = value * 100;
  return `${Math.abs(percent) < 0.005 ? '0.00' : percent.toFixed(2)}%`;
}

export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return '–';
  const abs = Math.abs(value);
  const fraction = abs >= 1000 ? 2 : abs >= 1 ? digits : Math.max(digits, 6);
  return value.toLocaleString('en-US', { maximumFractionDigits: fraction });
}

/** CSS class of a signed amount. */
export function sign(value: number | null | undefined): string {
  if (value === null || value === undefined || Math.abs(value) < 0.005) return '';
  return value > 0 ? 'pos' : 'neg';
}

/** `2026-06-17 09:00:00` (UTC) -> epoch seconds. */
export function utcSeconds(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`) / 1000;
}

/** Epoch seconds -> `2026-06-17 09:00:00` (UTC), the form the API takes. */
export function utcText(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(seconds: number, zone: string): Record<string, string> {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    });
    formatters.set(zone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(seconds * 1000))) {
    parts[part.type] = part.value;
  }
  return parts;
}

/** `2026-06-17 11:00` in the zone (seconds shown only when not zero). */
export function formatIn(text: string | number, zone: string, withZone = false): string {
  const seconds = typeof text === 'number' ? text : utcSeconds(text);
  const p = partsIn(seconds, zone);
  const sec = p['second'] === '00' ? '' : `:${p['second']}`;
  const label = `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}${sec}`;
  return withZone ? `${label} ${zoneLabel(zone, seconds)}` : label;
}

export function timeIn(text: string, zone: string): string {
  const p = partsIn(utcSeconds(text), zone);
  return `${p['hour']}:${p['minute']}`;
}

export function zoneLabel(zone: string, seconds: number): string {
  return zone === 'UTC' ? 'UTC' : (partsIn(seconds, zone)['timeZoneName'] ?? zone);
}

/** The value of a datetime-local input (`YYYY-MM-DDTHH:MM`) for a UTC time, in the zone. */
export function toLocalInput(text: string, zone: string): string {
  const p = partsIn(utcSeconds(text), zone);
  return `${p['year']}-${p['month']}-${p['day']}T${p['hour']}:${p['minute']}`;
}

/** A wall time in the zone (`YYYY-MM-DDTHH:MM[:SS]`) -> UTC text; null when malformed. */
export function fromLocalInput(value: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s ?? 0) / 1000;
  // The zone's offset at the guess, then at the corrected instant (DST edges).
  let instant = wall - offsetOf(wall, zone);
  instant = wall - offsetOf(instant, zone);
  return utcText(instant);
}

function offsetOf(seconds: number, zone: string): number {
  const p = partsIn(seconds, zone);
  const asUtc =
    Date.UTC(
      Number(p['year']),
      Number(p['month']) - 1,
      Number(p['day']),
      Number(p['hour']),
      Number(p['minute']),
      Number(p['second']),
    ) / 1000;
  return asUtc - seconds;
}

/** `9 h`, `3 d 4 h`, `0 s`. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round((seconds / 3600) * 10) / 10} h`;
  const days = Math.floor(seconds / 86_400);
  const hours = Math.round((seconds % 86_400) / 3600);
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}

export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

export function zones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? ['Europe/London', 'America/New_York'];
  return ['UTC', ...all.filter((zone) => zone !== 'UTC')];
}
