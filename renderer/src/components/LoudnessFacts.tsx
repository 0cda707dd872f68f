// One track's loudness in the editor, read-only (track.details): what the scan measured (EBU R128,
// ReplayGain 2.0 toward −18 LUFS), its album's gain, and whose ReplayGain players get — or why none.
import { Fragment } from 'react';
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { formatCount, formatGain } from '../format.ts';

type Loudness = Result<'track.details'>['loudness'];

/** Why there are no figures; null when there are. */
function whyNone(l: Loudness): string | null {
  switch (l.status) {
    case null:
      return 'Not measured yet: scan its folder to measure it.';
    case 'silent':
      return 'Silent: there is no loudness to measure.';
    case 'too_short':
      return 'Too short to measure.';
    case 'error':
      return `Could not be measured${l.note ? `: ${l.note}` : ''}.`;
    case 'ok':
      return null;
  }
}

const SERVED: Record<Loudness['served'], string> = {
  file: 'the file’s own ReplayGain',
  measured: 'ReplayGain measured by Sleeve',
  none: 'no ReplayGain',
};

/** With a true minus sign, as gains are shown. */
const fixed = (n: number | null, digits: number, unit: string) =>
  n === null ? null : `${n.toFixed(digits).replace('-', '−')} ${unit}`;

export function LoudnessFacts({ loudness: l }: { loudness: Loudness }) {
  const facts: Array<[string, string | null]> = [
    ['Integrated', fixed(l.integrated, 2, 'LUFS')],
    ['Range', fixed(l.range, 1, 'LU')],
    ['True peak', l.truePeak ? fixed(20 * Math.log10(l.truePeak), 2, 'dBTP') : null],
    ['Track gain', l.trackGain === null ? null : formatGain(l.trackGain)],
    ['Album gain', l.album && `${formatGain(l.album.gain)} over ${formatCount(l.album.tracks, 'track')}`],
    ['Players get', SERVED[l.served]],
  ];
  // With figures, a note says what they were measured from (part of the file).
  const note = whyNone(l) ?? l.note;
  return (
    <section className="loudness" aria-label="Loudness">
      <h3>Loudness</h3>
      {note && <p className="hint">{note}</p>}
      <dl>
        {facts.map(
          ([label, value]) =>
            value && (
              <Fragment key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </Fragment>
            ),
        )}
      </dl>
    </section>
  );
}
