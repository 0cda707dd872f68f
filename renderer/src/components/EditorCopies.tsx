// The other copies of the selected recordings, listed when the user turns copies on in the tag editor: each
// with what it says of the fields being edited and what it would say after saving. A save writes only the
// copies ticked here. At first only copies that are whole and say what the selected copy says of every
// edited field are ticked; a partial copy (a 30-second cut) or one that says something else (its own
// title, "… (edit)") is written only when the user ticks it. A tick, once shown, stays as it is while the
// user goes on editing (a field added may make a copy differ): only the user changes it.

import { useEffect, useMemo, useRef, useState } from 'react';
import { formatName } from '../../../app/shared/format-names.ts';
import { MAX_PICKED_COPIES, MULTI_SEPARATOR, type Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';

type Copy = Result<'tags.copies'>['copies'][number];

interface Props {
  /** The summary the editor shows: whose copies are listed. */
  readonly preview: string;
  /** The fields being edited, with their new values (by the editor's key). */
  readonly edits: ReadonlyArray<{ key: string; label: string; values: string[] }>;
  /** Tells the editor which copies a save writes. */
  onPicked(ids: number[]): void;
}

const shown = (values: readonly string[] | undefined) =>
  values && values.length > 0 ? `“${values.join(MULTI_SEPARATOR)}”` : '(none)';
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Ticked at first: a whole copy that agrees with the selected one on every edited field. */
const suggested = (c: Copy) => !c.partial && c.differs.length === 0;

/** The user's tick, else the one it had when first listed. */
const ticked = (c: Copy, picks: ReadonlyMap<number, boolean>, first: ReadonlyMap<number, boolean>) =>
  picks.get(c.id) ?? first.get(c.id) ?? suggested(c);

export function EditorCopies({ preview, edits, onPicked }: Props) {
  const { backend, fail } = useApp();
  const [list, setList] = useState<Result<'tags.copies'> | null>(null);
  // The user's own ticks, by copy; the rest as `suggested` ticked them when they were first listed.
  const [picks, setPicks] = useState<ReadonlyMap<number, boolean>>(new Map());
  const [first, setFirst] = useState<ReadonlyMap<number, boolean>>(new Map());
  const keys = edits.map((e) => e.key);
  const box = useRef<HTMLFieldSetElement>(null);
  const loaded = list !== null;
  // Turned on below the fields: brought into view once listed, so each copy the save may write is seen.
  useEffect(() => {
    if (loaded) box.current?.scrollIntoView({ block: 'nearest' });
  }, [loaded]);
  const keysKey = keys.join('\n');

  // biome-ignore lint/correctness/useExhaustiveDependencies: keys are described by keysKey
  useEffect(() => {
    let live = true;
    backend.client.call('tags.copies', { preview, keys, offset: 0, limit: MAX_PICKED_COPIES }).then((l) => {
      if (!live) return;
      setList(l);
      setFirst((was) => {
        const fresh = l.copies.filter((c) => !was.has(c.id));
        return fresh.length === 0
          ? was
          : new Map([...was, ...fresh.map((c) => [c.id, suggested(c)] as const)]);
      });
    }, fail);
    return () => {
      live = false;
    };
  }, [preview, keysKey, backend, fail]);

  const picked = useMemo(
    () => (list?.copies ?? []).filter((c) => ticked(c, picks, first)).map((c) => c.id),
    [list, picks, first],
  );
  const pickedKey = picked.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: picked is described by pickedKey
  useEffect(() => onPicked(picked), [pickedKey, onPicked]);

  if (!list) return <div className="loading">Loading the other copies…</div>;
  return (
    <fieldset className="editor-copies" ref={box}>
      <legend>
        Other copies: {picked.length} of {formatCount(list.total, 'copy', 'copies')} ticked to be written too
      </legend>
      <ul aria-label="Other copies">
        {list.copies.map((c) => {
          const name = nameOf(c.path);
          return (
            <li key={c.id} className={c.partial || c.differs.length > 0 ? 'copy unlike' : 'copy'}>
              <label className="checkbox" title={c.path}>
                <input
                  type="checkbox"
                  aria-label={`Write ${name} too`}
                  checked={ticked(c, picks, first)}
                  onChange={(e) => setPicks((p) => new Map(p).set(c.id, e.target.checked))}
                />{' '}
                <bdi>{name}</bdi>{' '}
                <span className="hint">
                  {[formatName(c.format ?? null), c.bitrate && `${Math.round(c.bitrate / 1000)} kbps`]
                    .filter(Boolean)
                    .join(' · ')}
                  {c.partial && ' · part of the recording only'}
                </span>
              </label>
              {edits.map((e) => (
                <div key={e.key} className="copy-diff">
                  {e.label}: {shown(c.values[e.key])} → {shown(e.values)}
                  {c.differs.includes(e.key) && <em> (says something other than the selected copy)</em>}
                </div>
              ))}
            </li>
          );
        })}
      </ul>
      {list.total > list.copies.length && (
        <p className="hint">
          Listing {list.copies.length} of {list.total}: select fewer tracks to reach the others.
        </p>
      )}
    </fieldset>
  );
}
