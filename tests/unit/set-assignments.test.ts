// `sleeve set`'s words: the query's, field=value assignments (repeated for several values) and beets'
// `field!` deletions (`beet modify QUERY genre=Jazz comment!`), and `field=` a blank field, cleared.
import { describe, expect, it } from 'vitest';
import { splitAssignments } from '../../app/cli/commands/set.ts';

describe("sleeve set's words", () => {
  it('tells the query from assignments and deletions', () => {
    expect(
      splitAssignments(['artist:ada', 'title:help!', 'genre=Jazz', 'Genre=Soul', 'comment!', 'mb_albumid!']),
    ).toEqual({
      query: 'artist:ada title:help!',
      changes: [{ key: 'genre', values: ['Jazz', 'Soul'] }],
      cleared: ['comment', 'mb_albumid'],
    });
    // A query's exact term has its colon first; an exclamation mark alone or inside a value is text.
    expect(splitAssignments(['album:=x', '!', 'title=Hey!'])).toEqual({
      query: 'album:=x !',
      changes: [{ key: 'title', values: ['Hey!'] }],
      cleared: [],
    });
    // An empty value is a blank field, as beets' `title=` is: cleared; beside other values it is none.
    expect(splitAssignments(['path:a', 'title=', 'date=', 'genre=Rock', 'genre='])).toEqual({
      query: 'path:a',
      changes: [{ key: 'genre', values: ['Rock'] }],
      cleared: ['title', 'date'],
    });
  });
});
