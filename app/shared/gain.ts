// A ReplayGain gain as text: declared once for the tags the mount serves and the app's display.

/** Two decimals and the sign always shown ("+0.53 dB", "-7.23 dB"), as ReplayGain taggers write it;
 *  `minus` for display ("−", a true minus sign). */
export function formatGain(db: number, minus = '-'): string {
  const r = Math.round(db * 100) / 100 || 0;
  return `${r < 0 ? minus : '+'}${Math.abs(r).toFixed(2)} dB`;
}

/** What a history's "before" says of a gain field the file had none of, served from Sleeve's measurement. */
export const MEASURED_GAIN_SERVED = 'the measured gain, as served';
