// The query bar: the CLI's query language, checked as you type by the same parser the backend uses, so a
// syntax error shows at once, underlined where it is, and the last valid query stays in effect.
import { forwardRef } from 'react';
import { parseQuery, QuerySyntaxError } from '../../../app/shared/query.ts';
import type { InputProblem } from '../input-problem.ts';
import { CheckedInput } from './CheckedInput.tsx';

export function checkQuery(text: string): InputProblem | undefined {
  try {
    parseQuery(text);
    return undefined;
  } catch (err) {
    if (err instanceof QuerySyntaxError)
      return { message: err.message, start: err.position, length: err.length };
    throw err;
  }
}

export const QueryBar = forwardRef<
  HTMLInputElement,
  {
    value: string;
    onQuery(query: string): void;
    /** Whether what is typed parses (while it does not, the last valid query stays in effect). */
    onValidity(valid: boolean): void;
    remoteProblem?: InputProblem;
    /** Down pressed in the bar: into the list it filters. */
    onArrowDown?(): void;
  }
>(function QueryBar({ value, onQuery, onValidity, remoteProblem, onArrowDown }, ref) {
  return (
    <CheckedInput
      ref={ref}
      value={value}
      label="Query"
      errorId="query-error"
      className="query-bar"
      placeholder="Filter: word, artist:beatles, year:1990..1999, genre:=Rock, ^live, date-   ( / to focus)"
      check={checkQuery}
      onValid={onQuery}
      onText={(_, valid) => onValidity(valid)}
      remoteProblem={remoteProblem}
      {...(onArrowDown && { onArrowDown })}
    />
  );
});
