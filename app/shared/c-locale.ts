// The C locale's names of months and days: what strftime writes for %B, %b, %A and %a wherever Python runs
// it as Sleeve reads it (Picard's $dateformat, beets' %time).
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
