// The selection's front cover in the tag editor: shown, set from an image (chosen, or dropped on it),
// removed; each an undoable edit (the files are never written; the mount serves the new cover).
import { type DragEvent, useEffect, useRef, useState } from 'react';
import type { Params, Result, Target } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';

const FRONT = 3;
const IMAGE_TYPES = 'image/png,image/jpeg,image/gif,image/webp,image/bmp';

interface Props {
  readonly target: Target;
  readonly targetKey: string;
  /** The other copies of the selection's recordings the user ticked in the editor: edited too. */
  readonly copies: readonly number[];
  onUndo(batchId: number): void;
}

export function CoverEditor({ target, targetKey, copies, onUndo }: Props) {
  const { backend, libraryVersion, toast, fail, saved, noteOwnChange } = useApp();
  const [summary, setSummary] = useState<Result<'art.summary'> | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: target is described by targetKey
  useEffect(() => {
    let live = true;
    backend.client.call('art.summary', { target }).then((s) => live && setSummary(s), fail);
    return () => {
      live = false;
    };
  }, [targetKey, libraryVersion, backend, fail]);

  /** `change` made once busy: a picture is sent to the backend first. */
  const edit = async (change: () => Promise<Params<'art.edit'>['change']>, done: string) => {
    setBusy(true);
    try {
      noteOwnChange();
      const r = await backend.client.call('art.edit', {
        target,
        change: await change(),
        ...(copies.length > 0 ? { copies: [...copies] } : {}),
      });
      const batch = r.batch;
      if (batch)
        saved(`${done} on ${formatCount(r.changedTracks, 'track')} (edit ${batch.id})`, batch.id, onUndo);
      else toast('info', 'Nothing to change: the tracks already have this cover.');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const setFrom = async (file: File | undefined) => {
    if (!file || busy) return;
    await edit(
      async () => ({ kind: 'set', type: FRONT, upload: await backend.upload(file) }),
      'Set the cover',
    );
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void setFrom(e.dataTransfer.files[0]);
  };

  if (!summary) return null;
  const { tracks, withFront, front } = summary;
  const state =
    withFront === 0
      ? 'No cover'
      : front
        ? withFront < tracks
          ? `On ${formatCount(withFront, 'track')} of ${tracks}`
          : `${front.width ?? '?'}×${front.height ?? '?'} ${front.mime.replace('image/', '').toUpperCase()}`
        : `Covers differ (${formatCount(withFront, 'track')} have one)`;
  return (
    <section
      className={`cover-editor${over ? ' drop-target' : ''}`}
      aria-label="Cover"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {front ? (
        <img src={backend.artUrl(front.hash)} alt="Front cover" />
      ) : (
        <div className="cover-placeholder" aria-hidden="true">
          ♪
        </div>
      )}
      <div className="cover-actions">
        <span className="hint">{state}. Drop an image here to set it.</span>
        <input
          ref={input}
          type="file"
          accept={IMAGE_TYPES}
          hidden
          aria-label="Cover image file"
          onChange={(e) => {
            void setFrom(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <button type="button" disabled={busy} onClick={() => input.current?.click()}>
          {withFront > 0 ? 'Replace cover…' : 'Set cover…'}
        </button>
        <button
          type="button"
          disabled={busy || withFront === 0}
          onClick={() => void edit(async () => ({ kind: 'remove', type: FRONT }), 'Removed the cover')}
        >
          Remove cover
        </button>
      </div>
    </section>
  );
}
