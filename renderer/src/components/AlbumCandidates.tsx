// An album (a folder's files) matched to MusicBrainz releases: the candidates, best first, each with its
// score and evidence; the one chosen (the proposed one until the user picks another) is selected, and
// choosing another asks for its proposals instead.
import type { AlbumMatch } from '../../../app/shared/rpc-contract.ts';

interface Props {
  readonly album: AlbumMatch;
  /** The release selected: the user's choice as soon as it is made, before its proposals arrive. */
  readonly chosenId: string | undefined;
  readonly disabled: boolean;
  onChoose(releaseId: string): void;
}

const folderName = (dir: string) => dir.split('/').pop() || dir;

export function AlbumCandidates({ album, chosenId, disabled, onChoose }: Props) {
  const name = `release-${album.key}`;
  return (
    <fieldset className="album-match">
      <legend>
        Album <strong>{album.album ?? folderName(album.dir)}</strong> · {album.fileIds.length} tracks ·{' '}
        <span className={`badge ${album.strength}`}>
          {album.strength === 'strong' ? 'strong' : 'to review'}
        </span>
      </legend>
      {album.reasons.length > 0 && <div className="hint">{album.reasons.join('; ')}</div>}
      {album.candidates.length > 0 && (
        <ul className="candidates" aria-label="Candidate releases">
          {album.candidates.map((c) => (
            <li key={c.id}>
              <label className="checkbox">
                <input
                  type="radio"
                  name={name}
                  checked={c.id === chosenId}
                  disabled={disabled}
                  onChange={() => onChoose(c.id)}
                />{' '}
                <span className="score">{c.score.toFixed(2)}</span> <strong>{c.title}</strong> by {c.artist}{' '}
                <span className="hint">
                  ({[c.date, c.country, c.format, `${c.tracks} tracks`].filter(Boolean).join(', ')})
                </span>
              </label>
              <div className="hint evidence">{c.evidence.join(', ')}</div>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
