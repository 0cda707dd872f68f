// strftime as Python calls it on Linux: glibc's, in the C locale. beets' %time (beets-time.ts) writes with
// it, and Picard's $dateformat and $datetime through datetime's own codes (tagger-script/python.ts).
import { DAYS, MONTHS } from './c-locale.ts';

/** The fields of a moment strftime writes (a month 0-based, a weekday 0 for Sunday), and its time since
 *  the epoch in seconds (%s). */
export interface Moment {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  epochSeconds(): number;
}

/** `d` in local time. */
export const localMoment = (d: Date): Moment => ({
  year: d.getFullYear(),
  month: d.getMonth(),
  day: d.getDate(),
  weekday: d.getDay(),
  hours: d.getHours(),
  minutes: d.getMinutes(),
  seconds: d.getSeconds(),
  epochSeconds: () => Math.floor(d.getTime() / 1000),
});

/** A day (`month` 1-based) and a time of it as Python holds them apart from any zone (a date, a parsed
 *  struct_time): no clock change moves them (a midnight a change skips is still 00:00); %s is the local
 *  time's. */
export function fieldsMoment(
  year: number,
  month: number,
  day: number,
  hours = 0,
  minutes = 0,
  seconds = 0,
): Moment {
  return {
    year,
    month: month - 1,
    day,
    weekday: new Date(utcDay(year, month - 1, day)).getUTCDay(),
    hours,
    minutes,
    seconds,
    epochSeconds: () => {
      const local = new Date(2000, 0, 1, hours, minutes, seconds);
      local.setFullYear(year, month - 1, day);
      return Math.floor(local.getTime() / 1000);
    },
  };
}

/** A day's time in ms at UTC midnight, years 0–99 as they are (Date.UTC takes them for 1900–1999). */
function utcDay(year: number, month: number, day: number): number {
  const t = new Date(0);
  t.setUTCFullYear(year, month, day);
  return t.getTime();
}

/** Day of the year, 1-based. */
const yearDay = (m: Moment) =>
  Math.round((utcDay(m.year, m.month, m.day) - utcDay(m.year, 0, 1)) / 864e5) + 1;

/** Week of the year, its weeks starting on `first` (0 Sunday: %U, 1 Monday: %W); days before the first
 *  such day are week 0. */
const weekOfYear = (m: Moment, first: number) =>
  Math.floor((yearDay(m) - 1 + 7 - ((m.weekday - first + 7) % 7)) / 7);

/** ISO 8601's week-numbering year and week (%G, %V): weeks from Monday, week 1 holding the first Thursday. */
function isoWeek(m: Moment): [year: number, week: number] {
  const thursday = new Date(utcDay(m.year, m.month, m.day + 3 - ((m.weekday + 6) % 7)));
  const year = thursday.getUTCFullYear();
  return [year, Math.floor((thursday.getTime() - utcDay(year, 0, 1)) / 864e5 / 7) + 1];
}

/** The numbers a directive writes, with their padded width (negative: padded with spaces). */
function numberOf(m: Moment, c: string): [number, number] | undefined {
  const h12 = m.hours % 12 || 12;
  switch (c) {
    case 'Y':
      return [m.year, 1];
    case 'y':
      return [m.year % 100, 2];
    case 'C':
      return [Math.floor(m.year / 100), 1];
    case 'G':
      return [isoWeek(m)[0], 1];
    case 'g':
      return [isoWeek(m)[0] % 100, 2];
    case 'V':
      return [isoWeek(m)[1], 2];
    case 'm':
      return [m.month + 1, 2];
    case 'd':
      return [m.day, 2];
    case 'e':
      return [m.day, -2];
    case 'H':
      return [m.hours, 2];
    case 'k':
      return [m.hours, -2];
    case 'I':
      return [h12, 2];
    case 'l':
      return [h12, -2];
    case 'M':
      return [m.minutes, 2];
    case 'S':
      return [m.seconds, 2];
    case 'j':
      return [yearDay(m), 3];
    case 'w':
      return [m.weekday, 1];
    case 'u':
      return [m.weekday || 7, 1];
    case 'U':
      return [weekOfYear(m, 0), 2];
    case 'W':
      return [weekOfYear(m, 1), 2];
    case 's':
      return [m.epochSeconds(), 1];
    default:
      return undefined;
  }
}

/**
 * Python's time.strftime on Linux, of a moment's fields: glibc's directives in the C locale, its flags (`-`
 * no padding, `_` spaces, `0` zeros, `^` upper case, `#` the case swapped), a field width, the `E` and `O`
 * modifiers (the C locale has no alternatives); %z and %Z are empty (a time of no known zone: what strptime
 * reads). An unknown directive is written as it is, as glibc does.
 */
export function cStrftime(m: Moment, format: string): string {
  return format.replace(
    /%([-_0^#]*)(\d*)[EO]?([a-zA-Z%])/g,
    (whole, flags: string, width: string, c: string) => {
      const n = numberOf(m, c);
      if (n) {
        const [value, natural] = n;
        const fill = flags.includes('_') ? ' ' : flags.includes('0') ? '0' : natural < 0 ? ' ' : '0';
        if (flags.includes('-') && width === '') return String(value);
        const padded = Math.max(Number(width || 0), width === '' ? Math.abs(natural) : 0);
        return String(value).padStart(padded, flags.includes('-') ? ' ' : fill);
      }
      let text = textOf(m, c);
      if (text === undefined) return whole;
      if (flags.includes('^')) text = text.toUpperCase();
      else if (flags.includes('#')) text = c === 'p' ? text.toLowerCase() : text.toUpperCase();
      return text.padStart(Number(width || 0), flags.includes('0') ? '0' : ' ');
    },
  );
}

function textOf(m: Moment, c: string): string | undefined {
  switch (c) {
    case 'a':
      return DAYS[m.weekday]!.slice(0, 3);
    case 'A':
      return DAYS[m.weekday];
    case 'b':
    case 'h':
      return MONTHS[m.month]!.slice(0, 3);
    case 'B':
      return MONTHS[m.month];
    case 'p':
      return m.hours < 12 ? 'AM' : 'PM';
    case 'P':
      return m.hours < 12 ? 'am' : 'pm';
    case 'c':
      return cStrftime(m, '%a %b %e %H:%M:%S %Y');
    case 'x':
    case 'D':
      return cStrftime(m, '%m/%d/%y');
    case 'X':
    case 'T':
      return cStrftime(m, '%H:%M:%S');
    case 'F':
      return cStrftime(m, '%Y-%m-%d');
    case 'R':
      return cStrftime(m, '%H:%M');
    case 'r':
      return cStrftime(m, '%I:%M:%S %p');
    case 'z':
    case 'Z':
      return '';
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case '%':
      return '%';
    default:
      return undefined;
  }
}
