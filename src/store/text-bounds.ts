/**
 * SQLite keeps timestamps as text that other programs may spell with `T`, fractions or an offset,
 * so SQL can only narrow by date: these bounds leave a whole-day margin (offsets reach 14 hours)
 * and the exact cut happens after parsing.
 */
import { DAY, formatTime } from '../domain/time.js';

/** Use as `timestamp < textBelow(upTo)`: keeps every stamp at or before `upTo`. */
export function textBelow(upTo: number): string {
  return dayText(upTo + 2 * DAY);
}

/** Use as `timestamp >= textFrom(from)`: keeps every stamp at or after `from`. */
export function textFrom(from: number): string {
  return dayText(from - DAY);
}

function dayText(seconds: number): string {
  return formatTime(seconds).slice(0, 10);
}
