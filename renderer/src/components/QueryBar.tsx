// The query bar: the CLI's query language, checked as you type by the same parser the backend uses, so a
// syntax error shows at once, underlined where it is, and the last valid query stays in effect.
import { forwardRef, useState } from 'react';
import { parseQuery, QuerySyntaxError } from '../../../app/shared/query.ts';

interface Props {
  readonly value: string;
  onQuery(query: string): void;
}

export interface QueryProblem {
  readonly message: string;
  readonly start: number;
  readonly length: number;
}

export function checkQuery(text: string): QueryProblem | undefined {
  try {
    parseQuery(text);
    return undefined;
  } catch (err) {
    if (err instanceof QuerySyntaxError)
      return { message: err.message, start: err.position, length: err.length };
    throw err;
  }
}

export const QueryBar = forwardRef<HTMLInputElement, Props>(function QueryBar({ value, onQuery }, ref) {
  const [text, setText] = useState(value);
  const [problem, setProblem] = useState<QueryProblem | undefined>();
  const [synced, setSynced] = useState(value);
  // The query changed from outside (an album or artist was opened): show it.
  if (value !== synced) {
    setSynced(value);
    setText(value);
    setProblem(undefined);
  }
  const change = (next: string) => {
    setText(next);
    const found = checkQuery(next);
    setProblem(found);
    if (!found) {
      setSynced(next);
      onQuery(next);
    }
  };
  return (
    <div className="query-bar">
      <div className="query-input-wrap">
        <input
          ref={ref}
          type="search"
          aria-label="Query"
          aria-invalid={problem !== undefined}
          aria-describedby={problem ? 'query-error' : undefined}
          spellCheck={false}
          placeholder="Filter: word, artist:beatles, year:1990..1999, genre:=Rock, ^live, date-   ( / to focus)"
          value={text}
          onChange={(e) => change(e.target.value)}
        />
        {problem && (
          <div className="query-mark" aria-hidden="true">
            <span className="before">{text.slice(0, problem.start)}</span>
            <span className="bad">{text.slice(problem.start, problem.start + problem.length) || ' '}</span>
          </div>
        )}
      </div>
      {problem && (
        <div id="query-error" className="query-error" role="alert">
          {problem.message}
        </div>
      )}
    </div>
  );
});
