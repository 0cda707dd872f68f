// beets' dates in templates (app/shared/beets-time.ts): %time against what Python's time.strftime wrote
// for the same times on Linux (glibc, C locale), and $added / $mtime as beets shows them.
import { describe, expect, it } from 'vitest';
import { beetsTime, beetsTimeText } from '../../app/shared/beets-time.ts';
import { Template } from '../../app/shared/template.ts';

/** [time in beets' format, strftime format, Python's result]. */
const PYTHON: Array<[string, string, string]> = [
  ['2026-03-05 07:04:09', '%Y', '2026'],
  ['2026-03-05 07:04:09', '%Y-%m', '2026-03'],
  ['2026-03-05 07:04:09', '%y %m %d %H %M %S', '26 03 05 07 04 09'],
  ['2026-03-05 07:04:09', '%a %A %b %B %h', 'Thu Thursday Mar March Mar'],
  ['2026-03-05 07:04:09', '%j %U %W %w %u', '064 09 09 4 4'],
  ['2026-03-05 07:04:09', '%I %l %k %p', '07  7  7 AM'],
  ['2026-03-05 07:04:09', '%e|%-d|%_m|%-H|%0e', ' 5|5| 3|7|05'],
  ['2026-03-05 07:04:09', '%c', 'Thu Mar  5 07:04:09 2026'],
  ['2026-03-05 07:04:09', '%x %X', '03/05/26 07:04:09'],
  ['2026-03-05 07:04:09', '%D %T %F %R %r', '03/05/26 07:04:09 2026-03-05 07:04 07:04:09 AM'],
  ['2026-03-05 07:04:09', '%C %%', '20 %'],
  ['2026-03-05 07:04:09', '%^a %^B', 'THU MARCH'],
  ['2026-03-05 07:04:09', '%Q stays', '%Q stays'],
  ['2024-12-30 23:59:59', '%j %U %W %w %u', '365 52 53 1 1'],
  ['2024-12-30 23:59:59', '%I %p', '11 PM'],
  ['2024-12-30 23:59:59', '%a %e', 'Mon 30'],
  ['2023-01-01 00:00:00', '%j %U %W %w %u', '001 01 00 0 7'],
  ['2023-01-01 00:00:00', '%I %l %p', '12 12 AM'],
  // Flags, widths, modifiers, ISO weeks; the zone unknown after strptime.
  ['2026-03-05 07:04:09', '%P %#p', 'am am'],
  ['2026-03-05 07:04:09', '%V %G %g', '10 2026 26'],
  ['2026-03-05 07:04:09', '%z|%Z', '|'],
  ['2026-03-05 07:04:09', '%Ey %Od %EY', '26 05 2026'],
  ['2026-03-05 07:04:09', '%#B %#a %^p', 'MARCH THU AM'],
  ['2026-03-05 07:04:09', '%10d|%_5m|%-3d|%05e', '0000000005|    3|  5|00005'],
  ['2026-03-05 07:04:09', '%10B|%-10B|', '     March|     March|'],
  ['2026-03-05 07:04:09', '%3j|%1Y|%6Y', '064|2026|002026'],
  ['2024-12-30 23:59:59', '%P %#p', 'pm pm'],
  ['2024-12-30 23:59:59', '%V %G %g', '01 2025 25'],
  ['2021-01-01 12:00:00', '%V %G %g', '53 2020 20'],
  ['2021-01-01 12:00:00', '%P %#p', 'pm pm'],
  ['2027-01-03 00:00:00', '%V %G %g', '53 2026 26'],
];

describe("beets' %time and dates", () => {
  it.each(PYTHON)('%s written as %s is what Python writes', (time, format, expected) => {
    expect(beetsTime(time, format)).toBe(expected);
    expect(new Template('%time{$added,$format}').render((f) => ({ added: time, format })[f])).toBe(expected);
  });

  it("leaves text that is not a time in beets' format as it is", () => {
    expect(beetsTime('2026', '%Y')).toBe('2026');
    expect(beetsTime('2026-02-30 00:00:00', '%Y')).toBe('2026-02-30 00:00:00');
    expect(beetsTime('', '%Y')).toBe('');
  });

  it('shows a time in ms as beets shows a date, in local time, and reads it back', () => {
    const ms = new Date(2026, 10, 29, 20, 35, 48).getTime();
    expect(beetsTimeText(ms)).toBe('2026-11-29 20:35:48');
    expect(beetsTime(beetsTimeText(ms), '%s')).toBe(String(ms / 1000));
  });
});
