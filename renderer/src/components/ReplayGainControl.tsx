// The player bar's ReplayGain mode, and the gain it applies to the playing track (why, on hover).
import { formatGain } from '../format.ts';
import { type AppliedGain, GAIN_MODES, type GainMode, isGainMode } from '../replay-gain.ts';

const MODES: Record<GainMode, { label: string; title: string }> = {
  off: { label: 'RG off', title: 'ReplayGain off: tracks play as they are' },
  track: { label: 'RG track', title: 'ReplayGain: each track at its own gain' },
  album: {
    label: 'RG album',
    title: 'ReplayGain: each album at its gain, its tracks as loud as it made them',
  },
  auto: { label: 'RG auto', title: 'ReplayGain: album gain while an album plays in order, else track gain' },
};

interface Props {
  readonly mode: GainMode;
  /** What plays at which gain; null when nothing plays. */
  readonly applied: AppliedGain | null;
  onMode(mode: GainMode): void;
}

export function ReplayGainControl({ mode, applied, onMode }: Props) {
  return (
    <span className="replaygain">
      <select
        aria-label="ReplayGain mode"
        title={MODES[mode].title}
        value={mode}
        onChange={(e) => isGainMode(e.target.value) && onMode(e.target.value)}
      >
        {GAIN_MODES.map((m) => (
          <option key={m} value={m} title={MODES[m].title}>
            {MODES[m].label}
          </option>
        ))}
      </select>
      {applied && (
        // Not an <output>: its status role would be read out at every track.
        <span className="applied" title={applied.label}>
          {applied.kind ? formatGain(applied.db) : '—'}
        </span>
      )}
    </span>
  );
}
