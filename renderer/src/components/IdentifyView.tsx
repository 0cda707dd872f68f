// Identify the selection, in a view of its own over the tracks: every proposal as a before → after diff
// per field, strong ones ticked and those to review not; tick all, none or the strong only; the arrow keys
// move between proposals, Space ticks, Enter applies. The library's own proposals (from the tracks'
// better-tagged copies) show at once; AcoustID's and MusicBrainz's (when enabled in config.json, and not
// "Offline") are added when they answer, and when the services cannot be reached the library's own stay,
// said as such (use-identify-answers.ts). Each album matched to a release shows its candidates: choosing
// another shows the choice at once and asks again with it, the old proposals dimmed (and not appliable)
// until the new ones replace them. Changes every track of an album shares are shown once for the album.
// "Also their other copies" (off until ticked) lists under each proposal the other copies of its recording
// it would write, each with its diff (the recording's own fields: core/identify/to-copies.ts). Applying the
// ticked ones (with those copies, and the release's front cover if asked) is one undoable edit of exactly
// the files shown, counted on the button; a track edited meanwhile is left out and named. The tags are
// saved at once; the covers follow, with their progress and a Cancel, like the asking.
import { type KeyboardEvent, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { Result, Target } from '../../../app/shared/rpc-contract.ts';
import { changeLine, sharedChanges } from '../../../app/shared/shared-changes.ts';
import { useApp } from '../app-context.tsx';
import { formatCount, formatEta } from '../format.ts';
import { appliedProposals, applyPlan, copiesOf } from '../identify-apply.ts';
import { carriedTicks, type TickChoice, ticksFor } from '../identify-ticks.ts';
import { type Found, type Progress, useIdentifyAnswers } from '../use-identify-answers.ts';
import { AlbumCandidates } from './AlbumCandidates.tsx';
import { DiffTable } from './DiffTable.tsx';
import { IdentifyProposal } from './IdentifyProposal.tsx';

type Proposal = Found['proposals'][number];

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
const TICKS: ReadonlyArray<[TickChoice, string]> = [
  ['all', 'All'],
  ['none', 'None'],
  ['strong', 'Strong only'],
];

const progressText = (p: Progress) =>
  `Asking ${p.service}: ${p.done} of ${formatCount(p.total, UNIT[p.service])}${p.done > 0 && p.done < p.total ? ` · ${formatEta(((p.total - p.done) * p.seconds) / p.done)}` : ''}`;

const KEYS_HINT = (
  <p className="hint keys">
    ↑ ↓ move between proposals · Space ticks or unticks · Enter applies the ticked ones · Esc closes
  </p>
);

/** Releases the user chose, by album key, for the target they were chosen for (another target starts
 *  with none, without a second ask). */
function useReleaseChoice(targetKey: string) {
  const [choice, setChoice] = useState({ targetKey, releases: NO_CHOICE });
  const chosen = choice.targetKey === targetKey ? choice.releases : NO_CHOICE;
  const choose = (albumKey: string, releaseId: string) =>
    setChoice({ targetKey, releases: { ...chosen, [albumKey]: releaseId } });
  return { chosen, choose };
}

export function IdentifyView({ target, targetKey, onClose, onUndo }: Props) {
  const { backend } = useApp();
  const [copies, setCopies] = useState(false);
  const [cover, setCover] = useState(true);
  /** Ask only the library's own copies, this time. */
  const [offline, setOffline] = useState(false);
  const { chosen, choose } = useReleaseChoice(targetKey);
  const { found, own, stale, running, progress, problem } = useIdentifyAnswers(
    backend,
    target,
    targetKey,
    chosen,
    offline,
  );
  const { ticked, tick } = useTicks(found);

  const { view, tickBoxes, focusTick } = useProposalFocus(found);

  const paths = new Map(found?.paths.map((p) => [p.id, p.path]));
  // Worked out once per answer, not at every tick of a checkbox (an answer may hold 2,000 proposals).
  const grouped = useMemo(() => albumsOf(found), [found]);
  const { titleOf, shared, albumReasons } = grouped;
  const proposals = found?.proposals ?? [];
  /** The proposals whose user's credits the user ticked to remove too: applied as the source names them. */
  const [replacing, setReplacing] = useState<ReadonlySet<number>>(new Set());
  const { picked, files, withRelease, anyCopies, strong } = applyPlan(proposals, {
    ticked,
    replacing,
    copies,
  });
  const { busy, apply, covering, coverProgress } = useIdentifyApply(found, {
    picked,
    copies,
    withCover: cover && withRelease && found?.coversEnabled === true,
    nameOf: (id) => fileName(paths.get(id)),
    onClose,
    onUndo,
  });

  const item = proposalItem({
    paths,
    titleOf,
    shared,
    albumReasons,
    copies,
    ticked,
    replacing,
    disabled: stale || busy,
    onReplace: (id, on) => setReplacing((ids) => toggled(ids, id, on)),
    onTick: (id, on) => tick((ids) => toggled(ids, id, on)),
  });
  const canApply = found !== null && !stale && files > 0 && !busy;
  const onKeyDown = identifyKeys({
    boxes: tickBoxes,
    focus: focusTick,
    close: onClose,
    apply: () => canApply && void apply(),
  });

  const going = running ?? covering;
  const status = statusText({ coverProgress, covering, progress, running, stale, found, problem });
  const ownNote = ownAnswerNote(found, own, offline, running);

  return (
    <section className="identify-view" aria-label="Identify" ref={view} tabIndex={-1} onKeyDown={onKeyDown}>
      <IdentifyHead
        offline={offline}
        onOffline={setOffline}
        busy={busy}
        canTick={proposals.length > 0 && !stale && !busy}
        onTicks={(c) => tick(() => ticksFor(proposals, c))}
        onClose={onClose}
      />
      {KEYS_HINT}
      <IdentifyStatus status={status} going={going} problem={problem} ownShown={found !== null && own} />
      <div className="identify-body">
        {found && (
          <AnswerBody
            found={found}
            stale={stale}
            summary={<AnswerSummary found={found} strong={strong} ownNote={ownNote} />}
            albums={albumBlocks(grouped, { chosen, disabled: busy, choose, item })}
            loose={proposals.filter((p) => p.cluster === undefined).map(item)}
          />
        )}
      </div>
      <IdentifyFoot
        copies={anyCopies ? { on: copies, set: setCopies } : undefined}
        cover={found?.coversEnabled && withRelease ? { on: cover, set: setCover } : undefined}
        files={files}
        canApply={canApply}
        onApply={() => void apply()}
      />
    </section>
  );
}

/** Each album's block, showing the release the user chose for it (else the one it matched). */
function albumBlocks(
  { albums, ofAlbum, shared }: ReturnType<typeof albumsOf>,
  on: {
    readonly chosen: Readonly<Record<string, string>>;
    readonly disabled: boolean;
    choose(albumKey: string, releaseId: string): void;
    readonly item: AlbumBlockProps['item'];
  },
) {
  return albums.map((a) => (
    <AlbumBlock
      key={a.key}
      album={a}
      proposals={ofAlbum.get(a.key)!}
      common={shared.get(a.key)!}
      chosenId={on.chosen[a.key] ?? a.releaseId}
      disabled={on.disabled}
      onChoose={(id) => on.choose(a.key, id)}
      item={on.item}
    />
  ));
}

/** How each proposal is shown: the album's reasons and shared changes left to the album, its copies
 *  when asked, its ticks. */
function proposalItem(shown: {
  readonly paths: ReadonlyMap<number, string>;
  readonly titleOf: ReadonlyMap<string, string>;
  readonly shared: ReadonlyMap<string, ReadonlySet<string>>;
  readonly albumReasons: ReadonlyMap<string, ReadonlySet<string>>;
  readonly copies: boolean;
  readonly ticked: ReadonlySet<number>;
  readonly replacing: ReadonlySet<number>;
  readonly disabled: boolean;
  onReplace(fileId: number, on: boolean): void;
  onTick(fileId: number, on: boolean): void;
}) {
  const { paths, shared, albumReasons } = shown;
  return (p: Proposal) => {
    const common = p.cluster === undefined ? undefined : shared.get(p.cluster);
    // The album's reasons are shown with the album; a track lists only its own.
    const ofTheAlbum = p.cluster === undefined ? undefined : albumReasons.get(p.cluster);
    return (
      <IdentifyProposal
        key={p.fileId}
        proposal={p}
        name={fileName(paths.get(p.fileId))}
        from={sourceOf(p, paths, shown.titleOf)}
        reasons={p.reasons.filter((r) => !ofTheAlbum?.has(r))}
        changes={p.changes.filter((c) => !common?.has(changeLine(c)))}
        copies={copiesOf(p, shown.copies).map((c) => ({ ...c, name: fileName(paths.get(c.fileId)) }))}
        ticked={shown.ticked.has(p.fileId)}
        replacing={shown.replacing.has(p.fileId)}
        onReplace={(on) => shown.onReplace(p.fileId, on)}
        disabled={shown.disabled}
        onTick={(on) => shown.onTick(p.fileId, on)}
      />
    );
  };
}

/**
 * Applying the ticked proposals (with their copies, and the releases' covers when asked) as one undoable
 * edit; the covers' progress is followed while they come. Closes the view once the tags are saved.
 */
function useIdentifyApply(
  found: Found | null,
  how: {
    readonly picked: ReturnType<typeof applyPlan>['picked'];
    readonly copies: boolean;
    readonly withCover: boolean;
    nameOf(id: number): string;
    onClose(): void;
    onUndo(batchId: number): void;
  },
) {
  const { backend, toast, fail, saved, noteOwnChange } = useApp();
  const [busy, setBusy] = useState(false);
  const { covering, coverProgress, beginCovers } = useCoverRun();
  const apply = async () => {
    if (!found) return;
    const { withCover } = how;
    const run = crypto.randomUUID();
    setBusy(true);
    const endCovers = beginCovers(run, withCover);
    try {
      noteOwnChange();
      const r = await backend.client.call('identify.apply', {
        ...(withCover ? { cover: true, run } : {}),
        proposals: appliedProposals(how.picked, how.copies),
      });
      tellApplied(r, how.nameOf, { toast, saved, onUndo: how.onUndo });
      how.onClose();
    } catch (err) {
      fail(err);
    } finally {
      endCovers();
      setBusy(false);
    }
  };
  return { busy, apply, covering, coverProgress };
}

/** An answer: its summary, what it left out, its albums, then the proposals of no album; dimmed while a
 *  newer answer is asked for. */
function AnswerBody(props: {
  readonly found: Found;
  readonly stale: boolean;
  readonly summary: ReactNode;
  readonly albums: ReactNode;
  readonly loose: ReactNode;
}) {
  const { found, stale } = props;
  return (
    <div className={stale ? 'answer stale' : 'answer'} aria-busy={stale}>
      {props.summary}
      {found.warnings.map((w) => (
        <p key={w} className="hint">
          Left out: {w}
        </p>
      ))}
      {props.albums}
      <ul className="proposals">{props.loose}</ul>
    </div>
  );
}

/** The ticks, for the answer they were made on: a new answer carries over those of the proposals it
 *  repeats (set while rendering, so no frame shows the new answer with the old ticks). */
function useTicks(found: Found | null) {
  const [ticks, setTicks] = useState<{ of: Found | null; ids: Set<number> }>({ of: null, ids: new Set() });
  if (ticks.of !== found)
    setTicks({ of: found, ids: carriedTicks(ticks.of?.proposals ?? [], ticks.ids, found?.proposals ?? []) });
  return {
    ticked: ticks.of === found ? ticks.ids : new Set<number>(),
    tick: (update: (ids: Set<number>) => Set<number>) => setTicks((t) => ({ ...t, ids: update(t.ids) })),
  };
}

/** An answer's albums, each with its proposals, the changes all of them share and the album's reasons;
 *  and the candidates' titles by release id. */
function albumsOf(found: Found | null) {
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
}

/** The view's keys: never the app's own (Space plays, the arrows seek) while it is open. The arrows, Home
 *  and End move between the proposals' boxes; Enter applies; Esc closes. */
function identifyKeys(on: {
  boxes(): HTMLInputElement[];
  focus(box: HTMLInputElement | undefined): void;
  close(): void;
  apply(): void;
}) {
  return (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const el = e.target as HTMLElement;
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (e.key === 'Escape') {
      handled();
      on.close();
      return;
    }
    if (el instanceof HTMLInputElement && el.type !== 'checkbox') return; // a release's radios keep their arrows
    const boxes = on.boxes();
    const at = boxes.indexOf(el as HTMLInputElement);
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at < 0 ? boxes.length - 1 : at - 1,
      Home: 0,
      End: boxes.length - 1,
    };
    const to = Object.hasOwn(moves, e.key) ? moves[e.key] : undefined;
    if (to !== undefined) {
      handled();
      on.focus(boxes[Math.min(boxes.length - 1, Math.max(0, to))]);
    } else if (el instanceof HTMLButtonElement) {
      // A button keeps its Enter and Space.
    } else if (e.key === 'Enter') {
      handled();
      on.apply();
    } else if (e.key === ' ' && !(el instanceof HTMLInputElement)) handled(); // Space ticks a focused box only
  };
}

/** What the view is doing, said above the answer: fetching covers, asking a service (its progress), or
 *  looking in the library's own copies; null when nothing is under way. */
function statusText(now: {
  coverProgress: Progress | null;
  covering: string | null;
  progress: Progress | null;
  running: string | null;
  stale: boolean;
  found: Found | null;
  problem: unknown;
}): string | null {
  if (now.covering)
    return now.coverProgress ? progressText(now.coverProgress) : 'Tags saved; fetching the front covers…';
  if (now.progress) return progressText(now.progress);
  if (now.running)
    return now.stale
      ? 'Asking again with the release you chose…'
      : 'Asking the web services for more… (at their own pace: MusicBrainz once a second)';
  return !now.found && !now.problem ? 'Looking in the library’s own copies…' : null;
}

/** Where the proposals shown come from, when it is not the web services' answer. */
function ownAnswerNote(found: Found | null, own: boolean, offline: boolean, running: string | null): string {
  if (!found || !own) return '';
  if (offline)
    return ' · Offline: the library’s own proposals, from its better-tagged copies; no web service asked';
  return running
    ? ' · so far the library’s own, from its better-tagged copies; the web services’ are added when they answer'
    : '';
}

/** The answer in a line: its proposals (strong, to review), where they come from, and what each web
 *  service was asked (or that it is off). */
function AnswerSummary({ found, strong, ownNote }: { found: Found; strong: number; ownNote: string }) {
  return (
    <p className="hint">
      {found.proposals.length === 0
        ? found.online
          ? 'No proposal: no better-tagged copy, and nothing AcoustID could name'
          : 'No proposal: no better-tagged copy'
        : `${formatCount(found.proposals.length, 'proposal')}: ${strong} strong, ${found.proposals.length - strong} to review`}
      {ownNote}
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
  );
}

interface AlbumBlockProps {
  readonly album: NonNullable<Found['albums']>['clusters'][number];
  readonly proposals: readonly Proposal[];
  /** The changes every track of the album shares, shown once. */
  readonly common: ReadonlySet<string>;
  readonly chosenId: string | undefined;
  readonly disabled: boolean;
  onChoose(releaseId: string): void;
  item(p: Proposal): ReactNode;
}

/** An album matched to releases: its candidates, what every track gets, then each track's own. */
function AlbumBlock({ album: a, proposals, common, chosenId, disabled, onChoose, item }: AlbumBlockProps) {
  const first = proposals[0];
  return (
    <div className="album-block">
      <AlbumCandidates album={a} chosenId={chosenId} disabled={disabled} onChoose={onChoose} />
      {first && common.size > 0 && (
        <div className="every-track">
          <div className="hint">For every track:</div>
          <DiffTable changes={first.changes.filter((c) => common.has(changeLine(c)))} />
        </div>
      )}
      <ul className="proposals" aria-label={`Tracks of ${a.album ?? a.dir}`}>
        {proposals.map(item)}
      </ul>
    </div>
  );
}

const toggled = (ids: ReadonlySet<number>, id: number, on: boolean): Set<number> => {
  const next = new Set(ids);
  if (on) next.add(id);
  else next.delete(id);
  return next;
};

interface HeadProps {
  readonly offline: boolean;
  onOffline(on: boolean): void;
  readonly busy: boolean;
  readonly canTick: boolean;
  onTicks(choice: TickChoice): void;
  onClose(): void;
}

/** The view's title, its Offline switch, ticking all, none or the strong only, and Close. */
function IdentifyHead({ offline, onOffline, busy, canTick, onTicks, onClose }: HeadProps) {
  return (
    <header className="identify-head">
      <h2>Identify</h2>
      <label
        className="checkbox"
        title="Like sleeve identify --offline: propose only from the library's better-tagged copies"
      >
        <input
          type="checkbox"
          checked={offline}
          disabled={busy}
          onChange={(e) => onOffline(e.target.checked)}
        />{' '}
        Offline: only the library’s own copies
      </label>
      <fieldset className="tick-all">
        <legend>Tick:</legend>
        {TICKS.map(([c, label]) => (
          <button key={c} type="button" disabled={!canTick} onClick={() => onTicks(c)}>
            {label}
          </button>
        ))}
      </fieldset>
      <button type="button" className="close" onClick={onClose}>
        Close
      </button>
    </header>
  );
}

interface StatusProps {
  readonly status: string | null;
  /** The run under way, which Cancel stops. */
  readonly going: string | null;
  readonly problem: { message: string; step: string } | null;
  /** The library's own proposals are shown. */
  readonly ownShown: boolean;
}

/** What is under way (with Cancel), and what went wrong. */
function IdentifyStatus({ status, going, problem, ownShown }: StatusProps) {
  const { backend, fail } = useApp();
  return (
    <>
      {status !== null && (
        <div className="loading" role="status">
          {status}
          {going && (
            <button
              type="button"
              onClick={() => void backend.client.call('identify.cancel', { run: going }).catch(fail)}
            >
              Cancel
            </button>
          )}
        </div>
      )}
      {problem && (
        <div className="field-problem" role="alert">
          {problem.message}
          {problem.step === 'web' && ownShown
            ? `${/[.?!]$/.test(problem.message) ? '' : '.'} The proposals shown are the library’s own, from its better-tagged copies.`
            : ''}
        </div>
      )}
    </>
  );
}

interface Switch {
  readonly on: boolean;
  set(on: boolean): void;
}

interface FootProps {
  /** Also the other copies: offered when a proposal has some. */
  readonly copies: Switch | undefined;
  /** The release's front cover: offered when a ticked proposal names a release and covers are on. */
  readonly cover: Switch | undefined;
  readonly files: number;
  readonly canApply: boolean;
  onApply(): void;
}

/** What Apply also does (other copies, covers) and Apply, with the files it writes. */
function IdentifyFoot({ copies, cover, files, canApply, onApply }: FootProps) {
  return (
    <footer className="identify-foot">
      {copies && (
        <label className="checkbox">
          <input type="checkbox" checked={copies.on} onChange={(e) => copies.set(e.target.checked)} /> Also
          their other copies, so every copy of these recordings agrees: only the recording's own fields (not
          album, numbers or dates), never a field edited in Sleeve; listed under each track
        </label>
      )}
      {cover && (
        <label className="checkbox">
          <input type="checkbox" checked={cover.on} onChange={(e) => cover.set(e.target.checked)} /> Add the
          release's front cover (Cover Art Archive) to tracks without one
        </label>
      )}
      <button type="button" className="primary" disabled={!canApply} onClick={onApply}>
        Apply {files > 0 ? formatCount(files, 'track') : ''}
      </button>
    </footer>
  );
}

/** The apply fetching covers now (its run), stopped by Cancel or by closing the view, and its progress. */
function useCoverRun() {
  const { backend } = useApp();
  const [covering, setCovering] = useState<string | null>(null);
  const [coverProgress, setCoverProgress] = useState<Progress | null>(null);
  const coveringRef = useRef<string | null>(null);
  useEffect(
    () => () => {
      const run = coveringRef.current;
      if (run) void backend.client.call('identify.cancel', { run }).catch(() => undefined);
    },
    [backend],
  );
  /** Follows the run's progress (and, with covers, names it the one to cancel); returns its end. */
  const beginCovers = (run: string, withCover: boolean) => {
    setCoverProgress(null);
    let started = 0;
    const off = backend.client.on('identify.progress', (p) => {
      if (p.run !== run) return;
      started ||= performance.now();
      setCoverProgress({ ...p, seconds: (performance.now() - started) / 1000 });
    });
    if (withCover) {
      coveringRef.current = run;
      setCovering(run);
    }
    return () => {
      off();
      coveringRef.current = null;
      setCovering(null);
    };
  };
  return { covering, coverProgress, beginCovers };
}

/** The keys work at once: the view has the focus, then its first proposal when one comes. */
function useProposalFocus(found: Found | null) {
  const view = useRef<HTMLElement>(null);
  useEffect(() => view.current?.focus(), []);
  const tickBoxes = () => [...(view.current?.querySelectorAll<HTMLInputElement>('input.tick') ?? [])];
  const focusTick = (box: HTMLInputElement | undefined) => {
    box?.focus({ preventScroll: true });
    box?.closest('li')?.scrollIntoView({ block: 'nearest' });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new answer is what may bring a first proposal
  useEffect(() => {
    // Not scrolled to: the album and its candidates above it stay in sight.
    if (document.activeElement === view.current) tickBoxes()[0]?.focus({ preventScroll: true });
  }, [found]);
  return { view, tickBoxes, focusTick };
}

/** Where a proposal comes from: a copy, a release, or AcoustID. */
function sourceOf(
  p: Proposal,
  paths: ReadonlyMap<number, string>,
  titleOf: ReadonlyMap<string, string>,
): string {
  if (p.source === 'copy') return `its copy ${fileName(paths.get(p.sourceId!))}`;
  if (p.source === 'release') return `the release “${titleOf.get(p.releaseId!) ?? p.releaseId}”`;
  return `AcoustID (score ${p.score?.toFixed(2)})`;
}

/** What an apply did, told: each cover not had, each track left out (edited meanwhile), and the edit. */
function tellApplied(
  r: Result<'identify.apply'>,
  nameOf: (id: number) => string,
  tell: Pick<ReturnType<typeof useApp>, 'toast' | 'saved'> & { onUndo(batchId: number): void },
): void {
  for (const problem of r.coverProblems) tell.toast('error', `No cover: ${problem}`);
  for (const id of r.stale)
    tell.toast('error', `Not applied to ${nameOf(id)}: its tags changed since the proposal.`);
  const batch = r.batch;
  if (batch)
    tell.saved(`Identified ${formatCount(r.applied, 'track')} (edit ${batch.id})`, batch.id, tell.onUndo);
}
