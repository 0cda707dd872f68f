// One field of the tag editor: its input (a list field a value a line), what typing in it would do (a
// mixed field emptied clears it), the value's problem, the file's own value where an edit differs, and —
// when it changed elsewhere since the user began typing — the choice of keeping theirs or taking it.

import { useEffect, useRef } from 'react';
import { TAG_FIELDS } from '../../../app/shared/fields.ts';
import { type FieldSummary, MULTI_SEPARATOR } from '../../../app/shared/rpc-contract.ts';
import { editorKey, keptAsText, labelOf, problemOf } from '../field-text.ts';
import { formatCount, quoteShort } from '../format.ts';
import { useSuggestions } from '../use-suggestions.ts';

const INFO = new Map(TAG_FIELDS.map((f) => [f.name, f]));
const LONG_FIELDS = new Set(['comment', 'lyrics']);

const isMulti = (key: string) => INFO.get(key)?.multi ?? false;

/** A list field (the credits, the works) shows a value a line; other fields several as Picard does. */
const isList = (key: string) => INFO.get(key)?.list ?? false;
const fieldText = (key: string, values: readonly string[]) =>
  values.join(isList(key) ? '\n' : MULTI_SEPARATOR);
/** Lines a list field shows before it scrolls. */
const MAX_LIST_ROWS = 8;

function fileNote(f: FieldSummary, tracks: number): string | undefined {
  if (f.editedTracks === 0) return undefined;
  const file =
    f.fileValues === null
      ? 'the files differ'
      : f.fileValues.length === 0
        ? '(none)'
        : f.fileValues.join(MULTI_SEPARATOR);
  return tracks === 1 ? `file: ${file}` : `edited on ${formatCount(f.editedTracks, 'track')}; file: ${file}`;
}

interface Props {
  readonly field: FieldSummary;
  /** What the user typed in it, if they did. */
  readonly draft: string | undefined;
  /** The tracks the editor shows. */
  readonly tracks: number;
  /** Changed elsewhere since the user began typing. */
  readonly conflict: boolean;
  onType(text: string): void;
  onRevert(): void;
  onKeepMine(): void;
}

export function EditorField({ field: f, draft, tracks, conflict, onType, onRevert, onKeepMine }: Props) {
  const key = editorKey(f);
  const mixed = f.values === null;
  const clearing = mixed && draft === '';
  const shown = draft ?? (mixed ? '' : fieldText(key, f.values!));
  const problem = draft === undefined ? undefined : problemOf(key, draft);
  const note = clearing
    ? `Saving clears ${labelOf(key)} on ${formatCount(f.tracks, 'track')}; ↺ keeps each track's own`
    : ((draft === undefined ? undefined : keptAsText(key, draft)) ?? fileNote(f, tracks));
  const id = `field-${key}`;
  const list = isList(key);
  const Input = LONG_FIELDS.has(key) || list ? 'textarea' : 'input';
  // Offered while the user types (an input only: a list field's lines have no list of their own).
  const offers = useSuggestions(key, Input === 'input' ? draft : undefined, isMulti(key));
  // The user's word is needed: the question is brought into view when it comes (it may be below the fold).
  const alert = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (conflict) alert.current?.scrollIntoView({ block: 'nearest' });
  }, [conflict]);
  // The question's buttons go once answered: the field takes the focus back, so the editor's keys
  // (Ctrl+Enter saves) go on working, where focus had fallen to the page.
  const answered = (answer: () => void) => {
    answer();
    document.getElementById(id)?.focus();
  };
  return (
    <div
      className={`field${draft !== undefined ? ' changed' : ''}${clearing ? ' clearing' : ''}${problem || conflict ? ' invalid' : ''}`}
    >
      <label htmlFor={id}>{labelOf(key)}</label>
      <div className="field-input">
        <Input
          id={id}
          name={key}
          value={shown}
          {...(list ? { className: 'list', rows: Math.min(MAX_LIST_ROWS, shown.split('\n').length) } : {})}
          placeholder={
            clearing
              ? `(cleared on ${formatCount(f.tracks, 'track')})`
              : mixed && draft === undefined
                ? '(mixed)'
                : ''
          }
          aria-invalid={problem !== undefined}
          spellCheck={false}
          onChange={(e) => onType(e.target.value)}
          {...(offers.length > 0 ? { list: `${id}-offers` } : {})}
        />
        {offers.length > 0 && (
          <datalist id={`${id}-offers`}>
            {offers.map((o) => (
              <option key={o.text} value={o.text} label={o.note} />
            ))}
          </datalist>
        )}
        {draft !== undefined && (
          <button
            type="button"
            className="revert"
            title="Keep the current value"
            aria-label={`Revert ${key}`}
            onClick={onRevert}
          >
            ↺
          </button>
        )}
      </div>
      {conflict && (
        <div className="field-problem" role="alert" ref={alert}>
          Changed elsewhere since you began typing: now{' '}
          {mixed ? 'different on each track' : quoteShort(f.values!.join(MULTI_SEPARATOR))}.{' '}
          <button type="button" onClick={() => answered(onKeepMine)}>
            Keep mine
          </button>{' '}
          <button type="button" onClick={() => answered(onRevert)}>
            Take theirs
          </button>
        </div>
      )}
      {problem && <div className="field-problem">{problem}</div>}
      {!problem && !conflict && note && <div className="field-note">{note}</div>}
    </div>
  );
}
