// beets' dates in templates: `$added` and `$mtime` read as beets formats them (its `time_format`,
// "%Y-%m-%d %H:%M:%S", in local time), and %time{text,format}, which reads such a text back
// (Python's time.strptime) and writes it with `format` as Python's time.strftime does on Linux: glibc's
// directives in the C locale, with its flags, widths and modifiers. Pure: the renderer
// checks templates with it too.
import { cStrftime, fieldsMoment } from './c-strftime.ts';

/** beets' `time_format`: how a template shows a date, and what %time reads. */
const TIME_FORMAT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A time in ms since the epoch as beets shows it in a template ("2026-11-29 20:35:48", local time). */
export function beetsTimeText(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)} ${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`;
}

/** %time{text,format}: `text` in beets' time format, written with `format`; other text as it is (where
 *  beets stops with Python's error). */
export function beetsTime(text: string, format: string): string {
  const m = TIME_FORMAT.exec(text.trim());
  if (!m) return text;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d); // years 0–99 as they are, not 1900–1999
  // What strptime refuses: 2026-02-30, no such day; an hour past 23, a minute past 59, a second past 61.
  if (day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || h > 23 || mi > 59 || s > 61) return text;
  return cStrftime(fieldsMoment(y, mo, d, h, mi, s), format);
}
