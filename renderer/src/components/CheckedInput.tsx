// A one-line input checked as you type: a problem is underlined where it is and explained below, and
// only valid text reaches `onValid` (so the last valid value stays in effect). The query bar and the
// mount view's template editor are both this.
import { forwardRef, useState } from 'react';
import { fixesOf, type InputProblem } from '../input-problem.ts';

interface Props {
  readonly value: string;
  readonly label: string;
  /** Id of the problem's message (for tests and aria-describedby). */
  readonly errorId: string;
  readonly className: string;
  readonly placeholder?: string;
  check(text: string): InputProblem | undefined;
  onValid(text: string): void;
  /** Every edit, with whether the text is valid (a form disables its action while it is not). */
  onText?(text: string, valid: boolean): void;
  /** A problem only the backend could find in the valid text (an unknown field): shown the same way. */
  readonly remoteProblem?: InputProblem;
  /** The Down arrow pressed in it (a list below takes the keyboard). */
  onArrowDown?(): void;
}

export const CheckedInput = forwardRef<HTMLInputElement, Props>(function CheckedInput(
  { value, label, errorId, className, placeholder, check, onValid, onText, remoteProblem, onArrowDown },
  ref,
) {
  const [text, setText] = useState(value);
  const [localProblem, setProblem] = useState<InputProblem | undefined>();
  // The backend's problem is about the text in effect: shown while that text is what is typed.
  const problem = localProblem ?? (text === value ? remoteProblem : undefined);
  const [synced, setSynced] = useState(value);
  // The value changed from outside (an album or artist was opened): show it.
  if (value !== synced) {
    setSynced(value);
    setText(value);
    setProblem(undefined);
  }
  const change = (next: string) => {
    setText(next);
    const found = check(next);
    setProblem(found);
    onText?.(next, !found);
    if (!found) {
      setSynced(next);
      onValid(next);
    }
  };
  return (
    <div className={`checked-input ${className}`}>
      <div className="checked-input-wrap">
        <input
          ref={ref}
          type="search"
          aria-label={label}
          aria-invalid={problem !== undefined}
          aria-describedby={problem ? errorId : undefined}
          spellCheck={false}
          placeholder={placeholder}
          value={text}
          onChange={(e) => change(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowDown' || !onArrowDown || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey)
              return;
            e.preventDefault();
            onArrowDown();
          }}
        />
        {problem && (
          <div className="checked-input-mark" aria-hidden="true">
            <span className="before">{text.slice(0, problem.start)}</span>
            <span className="bad">{text.slice(problem.start, problem.start + problem.length) || ' '}</span>
          </div>
        )}
      </div>
      {problem && (
        <div id={errorId} className="checked-input-error" role="alert">
          {problem.message}
          <Fixes fixes={fixesOf(text, problem)} onFix={change} />
        </div>
      )}
    </div>
  );
});

/** The text with the problem put right, a link each: a click puts it in the input. */
function Fixes({ fixes, onFix }: { fixes: readonly string[]; onFix(text: string): void }) {
  if (fixes.length === 0) return null;
  return (
    <span className="fixes">
      {' '}
      Use
      {fixes.map((fix, i) => (
        <span key={fix}>
          {i > 0 && ' or'}{' '}
          <button type="button" className="link inline" onClick={() => onFix(fix)}>
            {fix}
          </button>
        </span>
      ))}
      ?
    </span>
  );
}
