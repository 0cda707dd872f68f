// The selection's front cover in the tag editor: shown, set from an image (chosen, or dropped on it),
// removed; each an undoable edit (the files are never written; the mount serves the new cover).
import { type DragEvent, useRef, useState } from 'react';
import type { Target } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { coverState } from '../cover-state.ts';
import { useCoverEdit } from '../use-cover-edit.ts';

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
  const { backend } = useApp();
  const { summary, busy, edit } = useCoverEdit(target, targetKey, copies, onUndo);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const setFrom = async (file: File | undefined) => {
    if (!file || busy) return;
    await edit(
      async () => ({ kind: 'set', type: FRONT, upload: await backend.upload(file) }),
      'Set the cover',
      file.name,
    );
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void setFrom(e.dataTransfer.files[0]);
  };

  if (!summary) return null;
  const { withFront, front } = summary;
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
        <span className="hint">{coverState(summary)}. Drop an image here to set it.</span>
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
