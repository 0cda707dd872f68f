// A track without tags that has tagged copies (the kept copy of a recording can be the only good audio and
// carry no tags): the editor proposes what its best-tagged copy says. Taking the proposal fills the fields
// as drafts, shown and saved like any typing; nothing is written until Save.
import { useEffect, useState } from 'react';
import { MULTI_SEPARATOR, type Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';

type Copy = Result<'tags.copies'>['copies'][number];

interface Props {
  /** The summary of the one track shown. */
  readonly preview: string;
  /** The fields proposed, by the editor's key, with their labels. */
  readonly fields: ReadonlyArray<{ key: string; label: string }>;
  onTake(values: Record<string, string>): void;
}

/** Copies at most asked about: a recording is rarely held more often. */
const ASKED = 20;

const filled = (c: Copy) => Object.values(c.values).filter((v) => v.length > 0).length;

export function CopyTagsProposal({ preview, fields, onTake }: Props) {
  const { backend, fail } = useApp();
  const [best, setBest] = useState<Copy | null>(null);
  const keys = fields.map((f) => f.key);
  const keysKey = keys.join('\n');

  // biome-ignore lint/correctness/useExhaustiveDependencies: keys are described by keysKey
  useEffect(() => {
    let live = true;
    backend.client.call('tags.copies', { preview, keys, offset: 0, limit: ASKED }).then((l) => {
      if (!live) return;
      const whole = l.copies.filter((c) => !c.partial && filled(c) > 0);
      setBest(whole.sort((a, b) => filled(b) - filled(a))[0] ?? null);
    }, fail);
    return () => {
      live = false;
    };
  }, [preview, keysKey, backend, fail]);

  if (!best) return null;
  const said = fields.filter((f) => (best.values[f.key] ?? []).length > 0);
  const name = best.path.slice(best.path.lastIndexOf('/') + 1);
  return (
    <div className="copy-proposal" role="note">
      No tags here. Its copy <bdi title={best.path}>{name}</bdi> says{' '}
      {said.map((f) => `${f.label} “${best.values[f.key]!.join(MULTI_SEPARATOR)}”`).join(', ')}.{' '}
      <button
        type="button"
        onClick={() =>
          onTake(Object.fromEntries(said.map((f) => [f.key, best.values[f.key]!.join(MULTI_SEPARATOR)])))
        }
      >
        Use these
      </button>
    </div>
  );
}
