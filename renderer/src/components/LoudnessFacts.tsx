// One track's loudness in the editor (track.details): what the scan measured (EBU R128, ReplayGain 2.0
// toward −18 LUFS), its album's gain, and whose ReplayGain players get — or why none; for a track that
// carries its own and was measured, a choice of which players get.
import { Fragment, useState } from 'react';
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
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

type Choice = 'default' | 'own' | 'measured';

const SOURCE_LABEL = { own: 'its own', measured: 'measured by Sleeve' };

/** Which ReplayGain players get of a track that has both: saved as it is chosen (track.gainSource). */
function GainSourceChoice({
  id,
  loudness: l,
  onChange,
}: {
  id: number;
  loudness: Loudness;
  onChange: (l: Loudness) => void;
}) {
  const { backend } = useApp();
  const [problem, setProblem] = useState<string | null>(null);
  const choose = (choice: Choice) => {
    setProblem(null);
    backend.client.call('track.gainSource', { id, choice }).then(
      (r) => onChange(r.loudness),
      (err: unknown) => setProblem(`Not changed: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  return (
    <>
      <label className="gain-source">
        Serve{' '}
        <select
          aria-label="ReplayGain players get"
          value={l.chosen ? l.source : 'default'}
          onChange={(e) => choose(e.target.value as Choice)}
        >
          <option value="default">the library’s default ({SOURCE_LABEL[l.defaultSource]})</option>
          <option value="own">its own ReplayGain</option>
          <option value="measured">ReplayGain measured by Sleeve</option>
        </select>
      </label>
      {problem && <p className="problem">{problem}</p>}
    </>
  );
}

export function LoudnessFacts({ id, loudness: initial }: { id: number; loudness: Loudness }) {
  const [l, setLoudness] = useState(initial);
  // New details (another track, the library changed) replace what a choice here returned.
  const [shown, setShown] = useState(initial);
  if (shown !== initial) {
    setShown(initial);
    setLoudness(initial);
  }
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
      {l.ownGain && l.status === 'ok' && <GainSourceChoice id={id} loudness={l} onChange={setLoudness} />}
    </section>
  );
}
