// strftime as Python calls it on Linux: glibc's, in the C locale. beets' %time (beets-time.ts) writes with
// it, and Picard's $dateformat and $datetime through datetime's own codes (tagger-script/python.ts).
import { DAYS, MONTHS } from './c-locale.ts';

/** Day of the year, 1-based. */
const yearDay = (d: Date) =>
  Math.round(
    (Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(d.getFullYear(), 0, 1)) / 864e5,
  ) + 1;

/** Week of the year, its weeks starting on `first` (0 Sunday: %U, 1 Monday: %W); days before the first
 *  such day are week 0. */
const weekOfYear = (d: Date, first: number) =>
  Math.floor((yearDay(d) - 1 + 7 - ((d.getDay() - first + 7) % 7)) / 7);

/** ISO 8601's week-numbering year and week (%G, %V): weeks from Monday, week 1 holding the first Thursday. */
function isoWeek(d: Date): [year: number, week: number] {
  const thursday = new Date(
    Date.UTC(d.getFullYear(), d.getMonth(), d.getDate() + 3 - ((d.getDay() + 6) % 7)),
  );
  const year = thursday.getUTCFullYear();
  return [year, Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 864e5 / 7) + 1];
}

/** The numbers a directive writes, with their padded width (negative: padded with spaces). */
function numberOf(d: Date, c: string): [number, number] | undefined {
  const h12 = d.getHours() % 12 || 12;
  switch (c) {
    case 'Y':
      return [d.getFullYear(), 1];
    case 'y':
      return [d.getFullYear() % 100, 2];
    case 'C':
      return [Math.floor(d.getFullYear() / 100), 2];
    case 'G':
      return [isoWeek(d)[0], 1];
    case 'g':
      return [isoWeek(d)[0] % 100, 2];
    case 'V':
      return [isoWeek(d)[1], 2];
    case 'm':
      return [d.getMonth() + 1, 2];
    case 'd':
      return [d.getDate(), 2];
    case 'e':
      return [d.getDate(), -2];
    case 'H':
      return [d.getHours(), 2];
    case 'k':
      return [d.getHours(), -2];
    case 'I':
      return [h12, 2];
    case 'l':
      return [h12, -2];
    case 'M':
      return [d.getMinutes(), 2];
    case 'S':
      return [d.getSeconds(), 2];
    case 'j':
      return [yearDay(d), 3];
    case 'w':
      return [d.getDay(), 1];
    case 'u':
      return [d.getDay() || 7, 1];
    case 'U':
      return [weekOfYear(d, 0), 2];
    case 'W':
      return [weekOfYear(d, 1), 2];
    case 's':
      return [Math.floor(d.getTime() / 1000), 1];
    default:
      return undefined;
  }
}

/**
 * Python's time.strftime on Linux, of `d`'s local fields: glibc's directives in the C locale, its flags (`-`
 * no padding, `_` spaces, `0` zeros, `^` upper case, `#` the case swapped), a field width, the `E` and `O`
 * modifiers (the C locale has no alternatives); %z and %Z are empty (a time of no known zone: what strptime
 * reads). An unknown directive is written as it is, as glibc does.
 */
export function cStrftime(d: Date, format: string): string {
  return format.replace(
    /%([-_0^#]*)(\d*)[EO]?([a-zA-Z%])/g,
    (whole, flags: string, width: string, c: string) => {
      const n = numberOf(d, c);
      if (n) {
        const [value, natural] = n;
        const fill = flags.includes('_') ? ' ' : flags.includes('0') ? '0' : natural < 0 ? ' ' : '0';
        if (flags.includes('-') && width === '') return String(value);
        const padded = Math.max(Number(width || 0), width === '' ? Math.abs(natural) : 0);
        return String(value).padStart(padded, flags.includes('-') ? ' ' : fill);
      }
      let text = textOf(d, c);
      if (text === undefined) return whole;
      if (flags.includes('^')) text = text.toUpperCase();
      else if (flags.includes('#')) text = c === 'p' ? text.toLowerCase() : text.toUpperCase();
      return text.padStart(Number(width || 0), flags.includes('0') ? '0' : ' ');
    },
  );
}

function textOf(d: Date, c: string): string | undefined {
  switch (c) {
    case 'a':
      return DAYS[d.getDay()]!.slice(0, 3);
    case 'A':
      return DAYS[d.getDay()];
    case 'b':
    case 'h':
      return MONTHS[d.getMonth()]!.slice(0, 3);
    case 'B':
      return MONTHS[d.getMonth()];
    case 'p':
      return d.getHours() < 12 ? 'AM' : 'PM';
    case 'P':
      return d.getHours() < 12 ? 'am' : 'pm';
    case 'c':
      return cStrftime(d, '%a %b %e %H:%M:%S %Y');
    case 'x':
    case 'D':
      return cStrftime(d, '%m/%d/%y');
    case 'X':
    case 'T':
      return cStrftime(d, '%H:%M:%S');
    case 'F':
      return cStrftime(d, '%Y-%m-%d');
    case 'R':
      return cStrftime(d, '%H:%M');
    case 'r':
      return cStrftime(d, '%I:%M:%S %p');
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
