// Identify the selection: every proposal (from the tracks' better-tagged copies, and from AcoustID and
// MusicBrainz when enabled in config.json) as a before → after diff per field; strong ones ticked, those to
// review not. Each album matched to a release shows its candidates: choosing another shows the choice at
// once and asks again with it, the old proposals dimmed (and not appliable) until the new ones replace them.
// Changes every track of an album shares are shown once for the album. "Also their other copies" (off until
// ticked) lists under each proposal the other copies of its recording it would write, each with its diff
// (the recording's own fields: core/identify/to-copies.ts). Applying the ticked ones (with those copies,
// and the release's front cover if asked) is one undoable edit of exactly the files shown, counted on the
// button; a track edited meanwhile is left out and named. The tags are saved at once; the covers follow,
// with their progress and a Cancel, like the asking.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { EventData, Result, Target } from '../../../app/shared/rpc-contract.ts';
import { changeLine, sharedChanges } from '../../../app/shared/shared-changes.ts';
import { useApp } from '../app-context.tsx';
import { formatCount, formatEta } from '../format.ts';
import { LONG_RUN_SECONDS, notifyAway } from '../notify-away.ts';
import { AlbumCandidates } from './AlbumCandidates.tsx';
import { DiffTable } from './DiffTable.tsx';

type Found = Result<'identify.propose'>;
type Proposal = Found['proposals'][number];
/** A run's progress, with the seconds since its service's first report. */
type Progress = EventData<'identify.progress'> & { seconds: number };

interface Props {
  readonly target: Target;
  readonly targetKey: string;
  onClose(): void;
  onUndo(batchId: number): void;
}

const NO_CHOICE: Readonly<Record<string, string>> = {};

const fileName = (path: string | undefined) => path?.split('/').pop() ?? '';
/** What a service's progress counts. */
const UNIT: Record<Progress['service'], string> = {
  AcoustID: 'request',
  MusicBrainz: 'album',
  'Cover Art Archive': 'cover',
};

export function IdentifyPanel({ target, targetKey, onClose, onUndo }: Props) {
  const { backend, toast, fail, saved } = useApp();
  const [found, setFound] = useState<Found | null>(null);
  /** The releases `found` was asked with (JSON of `chosen`): another choice makes it an earlier answer. */
  const [foundFor, setFoundFor] = useState('');
  const [ticked, setTicked] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [copies, setCopies] = useState(false);
  const [cover, setCover] = useState(true);
  /** Releases the user chose, by album key, for the target they were chosen for (another target starts
   *  with none, without a second ask). */
  const [choice, setChoice] = useState({ targetKey, releases: NO_CHOICE });
  const chosen = choice.targetKey === targetKey ? choice.releases : NO_CHOICE;
  /** Why no proposals could be made (too many tracks, the service down): said in the panel. */
  const [problem, setProblem] = useState<string | null>(null);
  /** The run asking now (null when none), and how far it got. */
  const [running, setRunning] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  /** The apply fetching covers now (its run), stopped by Cancel or by closing the panel. */
  const [covering, setCovering] = useState<string | null>(null);
  const coveringRef = useRef<string | null>(null);
  useEffect(
    () => () => {
      const run = coveringRef.current;
      if (run) void backend.client.call('identify.cancel', { run }).catch(() => undefined);
    },
    [backend],
  );

  // Another target's answer is no answer for this one; a new choice keeps it on screen, dimmed, meanwhile.
  // biome-ignore lint/correctness/useExhaustiveDependencies: target is described by targetKey
  useEffect(() => setFound(null), [targetKey]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: target is described by targetKey
  useEffect(() => {
    let live = true;
    setProblem(null);
    setProgress(null);
    const choice = Object.keys(chosen).length > 0 ? { chosen } : {};
    const asked = JSON.stringify(chosen);
    const run = crypto.randomUUID();
    const started = new Map<string, number>();
    const off = backend.client.on('identify.progress', (p) => {
      if (p.run !== run || !live) return;
      if (!started.has(p.service)) started.set(p.service, performance.now());
      setProgress({ ...p, seconds: (performance.now() - started.get(p.service)!) / 1000 });
    });
    setRunning(run);
    const began = performance.now();
    backend.client
      .call('identify.propose', { target, online: true, run, ...choice })
      .then(
        (f) => {
          if (!live) return;
          if ((performance.now() - began) / 1000 >= LONG_RUN_SECONDS)
            notifyAway('Sleeve: identification finished', `${f.proposals.length} proposals to review`);
          setFound(f);
          setFoundFor(asked);
          setTicked(new Set(f.proposals.filter((p) => p.strength === 'strong').map((p) => p.fileId)));
        },
        (err: unknown) => live && setProblem(err instanceof Error ? err.message : String(err)),
      )
      .finally(() => {
        off();
        if (live) setRunning(null);
      });
    return () => {
      live = false;
      off();
      // A run no one will see the end of is stopped (what it received stays cached).
      void backend.client.call('identify.cancel', { run }).catch(() => undefined);
    };
  }, [targetKey, backend, fail, chosen]);

  const paths = new Map(found?.paths.map((p) => [p.id, p.path]));
  // Worked out once per answer, not at every tick of a checkbox (an answer may hold 2,000 proposals).
  const { albums, titleOf, ofAlbum, shared, albumReasons } = useMemo(() => {
    const albums = found?.albums?.clusters ?? [];
    const ofAlbum = new Map<string, Proposal[]>(albums.map((a) => [a.key, []]));
    for (const p of found?.proposals ?? []) if (p.cluster !== undefined) ofAlbum.get(p.cluster)?.push(p);
    return {
      albums,
      titleOf: new Map(albums.flatMap((a) => a.candidates.map((c) => [c.id, c.title]))),
      ofAlbum,
      shared: new Map(albums.map((a) => [a.key, sharedChanges(ofAlbum.get(a.key)!)])),
      albumReasons: new Map(albums.map((a) => [a.key, new Set(a.reasons)])),
    };
  }, [found]);
  const from = (p: Proposal) =>
    p.source === 'copy'
      ? `its copy ${fileName(paths.get(p.sourceId!))}`
      : p.source === 'release'
        ? `the release “${titleOf.get(p.releaseId!) ?? p.releaseId}”`
        : `AcoustID (score ${p.score?.toFixed(2)})`;
  const withRelease = found?.proposals.some((p) => ticked.has(p.fileId) && p.releaseId) ?? false;
  const copiesOf = (p: Proposal) => (copies ? (p.copies ?? []) : []);
  const anyCopies = found?.proposals.some((p) => (p.copies ?? []).length > 0) ?? false;
  const picked = found?.proposals.filter((p) => ticked.has(p.fileId)) ?? [];
  /** The files Apply writes: the ticked proposals' and, while asked, their copies. */
  const files = picked.reduce((n, p) => n + 1 + copiesOf(p).length, 0);
  /** The proposals shown are an earlier answer: another release was chosen since (asked for now, or the
   *  asking failed). They are dimmed and cannot be applied. */
  const stale = found !== null && (running !== null || foundFor !== JSON.stringify(chosen));

  const item = (p: Proposal) => {
    const common = p.cluster === undefined ? undefined : shared.get(p.cluster);
    // The album's reasons are shown with the album; a track lists only its own.
    const ofTheAlbum = p.cluster === undefined ? undefined : albumReasons.get(p.cluster);
    const own = p.reasons.filter((r) => !ofTheAlbum?.has(r));
    return (
      <li key={p.fileId} className={p.strength}>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={ticked.has(p.fileId)}
            disabled={stale}
            onChange={(e) =>
              setTicked((t) => {
                const next = new Set(t);
                if (e.target.checked) next.add(p.fileId);
                else next.delete(p.fileId);
                return next;
              })
            }
          />{' '}
          <strong>{fileName(paths.get(p.fileId))}</strong> ← {from(p)} ·{' '}
          <span className="badge">{p.strength === 'strong' ? 'strong' : 'to review'}</span>
        </label>
        {own.length > 0 && <div className="hint">{own.join('; ')}</div>}
        <DiffTable changes={p.changes.filter((c) => !common?.has(changeLine(c)))} />
        {copiesOf(p).length > 0 && (
          <ul className="copies" aria-label={`Other copies of ${fileName(paths.get(p.fileId))}`}>
            {copiesOf(p).map((c) => (
              <li key={c.fileId}>
                and its copy <strong>{fileName(paths.get(c.fileId))}</strong>
                <DiffTable changes={c.changes} />
              </li>
            ))}
          </ul>
        )}
      </li>
    );
  };

  const apply = async () => {
    if (!found) return;
    const withCover = cover && withRelease && found.coversEnabled;
    const run = crypto.randomUUID();
    setBusy(true);
    setProgress(null);
    let started = 0;
    const off = backend.client.on('identify.progress', (p) => {
      if (p.run !== run) return;
      started ||= performance.now();
      setProgress({ ...p, seconds: (performance.now() - started) / 1000 });
    });
    if (withCover) {
      coveringRef.current = run;
      setCovering(run);
    }
    try {
      const r = await backend.client.call('identify.apply', {
        ...(withCover ? { cover: true, run } : {}),
        proposals: picked.map((p) => ({
          fileId: p.fileId,
          changes: p.changes.map(({ key, before, after }) => ({ key, before, after })),
          ...(p.releaseId ? { releaseId: p.releaseId } : {}),
          // Exactly the copies listed under it: the backend writes these and no others.
          ...(copiesOf(p).length > 0
            ? {
                copies: copiesOf(p).map((c) => ({
                  fileId: c.fileId,
                  changes: c.changes.map(({ key, before, after }) => ({ key, before, after })),
                })),
              }
            : {}),
        })),
      });
      for (const problem of r.coverProblems) toast('error', `No cover: ${problem}`);
      for (const id of r.stale)
        toast('error', `Not applied to ${fileName(paths.get(id))}: its tags changed since the proposal.`);
      const batch = r.batch;
      if (batch) saved(`Identified ${formatCount(r.applied, 'track')} (edit ${batch.id})`, batch.id, onUndo);
      onClose();
    } catch (err) {
      fail(err);
    } finally {
      off();
      coveringRef.current = null;
      setCovering(null);
      setBusy(false);
    }
  };

  return (
    <section className="identify-panel" aria-label="Identify">
      <h3>Identify</h3>
      {((!found || running) && !problem) || covering ? (
        <div className="loading" role="status">
          {progress
            ? `Asking ${progress.service}: ${progress.done} of ${formatCount(progress.total, UNIT[progress.service])}${progress.done > 0 && progress.done < progress.total ? ` · ${formatEta(((progress.total - progress.done) * progress.seconds) / progress.done)}` : ''}`
            : covering
              ? 'Tags saved; fetching the front covers…'
              : stale
                ? 'Asking again with the release you chose…'
                : 'Looking for proposals… (web services are asked at their own pace: MusicBrainz once a second)'}
          {(running ?? covering) && (
            <button
              type="button"
              onClick={() =>
                void backend.client.call('identify.cancel', { run: (running ?? covering)! }).catch(fail)
              }
            >
              Cancel
            </button>
          )}
        </div>
      ) : null}
      {problem && (
        <div className="field-problem" role="alert">
          {problem}
        </div>
      )}
      {found && (
        <div className={stale ? 'answer stale' : 'answer'} aria-busy={stale}>
          <p className="hint">
            {found.proposals.length === 0
              ? found.online
                ? 'No proposal: no better-tagged copy, and nothing AcoustID could name'
                : 'No proposal: no better-tagged copy'
              : `${formatCount(found.proposals.length, 'proposal')}`}
            {found.online
              ? ` · AcoustID: ${formatCount(found.online.requests, 'request')}, ${found.online.cached} answered before, ${found.online.unknown} unknown`
              : found.onlineEnabled
                ? ''
                : ' · AcoustID is off (identify.acoustid in config.json)'}
            {found.albums
              ? ` · MusicBrainz: ${formatCount(found.albums.requests, 'request')}, ${found.albums.cached} answered before`
              : found.albumsEnabled
                ? ''
                : ' · MusicBrainz is off (identify.musicbrainz in config.json)'}
          </p>
          {found.warnings.map((w) => (
            <p key={w} className="hint">
              Left out: {w}
            </p>
          ))}
          {albums.map((a) => {
            const common = shared.get(a.key)!;
            const first = ofAlbum.get(a.key)![0];
            return (
              <div key={a.key} className="album-block">
                <AlbumCandidates
                  album={a}
                  chosenId={chosen[a.key] ?? a.releaseId}
                  disabled={busy}
                  onChoose={(id) => setChoice({ targetKey, releases: { ...chosen, [a.key]: id } })}
                />
                {first && common.size > 0 && (
                  <div className="every-track">
                    <div className="hint">For every track:</div>
                    <DiffTable changes={first.changes.filter((c) => common.has(changeLine(c)))} />
                  </div>
                )}
                <ul className="proposals" aria-label={`Tracks of ${a.album ?? a.dir}`}>
                  {ofAlbum.get(a.key)!.map(item)}
                </ul>
              </div>
            );
          })}
          <ul className="proposals">{found.proposals.filter((p) => p.cluster === undefined).map(item)}</ul>
        </div>
      )}
      {anyCopies && (
        <label className="checkbox">
          <input type="checkbox" checked={copies} onChange={(e) => setCopies(e.target.checked)} /> Also their
          other copies, so every copy of these recordings agrees: only the recording's own fields (not album,
          numbers or dates), never a field edited in Sleeve; listed under each track
        </label>
      )}
      {found?.coversEnabled && withRelease && (
        <label className="checkbox">
          <input type="checkbox" checked={cover} onChange={(e) => setCover(e.target.checked)} /> Add the
          release's front cover (Cover Art Archive) to tracks without one
        </label>
      )}
      <div className="editor-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button
          type="button"
          className="primary"
          disabled={!found || stale || files === 0 || busy}
          onClick={() => void apply()}
        >
          Apply {files > 0 ? formatCount(files, 'track') : ''}
        </button>
      </div>
    </section>
  );
}
