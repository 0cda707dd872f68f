// What a command-line change of the recordings a query lists leaves, said before it is confirmed: the
// other copies of them it does not reach, and the recordings whose listed copy is not the one players get
// (the app's editor says the same beside its Other copies box).

/** The counts the notes are made of (edit-targets.ts, tool-tracks.ts). */
export interface CopiesLeft {
  readonly otherCopies: number;
  readonly notKept: number;
}

/** A line for each thing the change leaves, `verb` what --copies does ("edits", "changes"). */
export function copiesNotes({ otherCopies, notKept }: CopiesLeft, verb: string): string[] {
  const notes: string[] = [];
  if (otherCopies > 0)
    notes.push(
      `${otherCopies} other ${otherCopies === 1 ? 'copy' : 'copies'} of these recordings left as they are (--copies ${verb} them too)`,
    );
  if (notKept > 0)
    notes.push(
      notKept === 1
        ? `the copy listed of one of these recordings is not the one players get (its kept copy: sleeve dup shows it): players will not show this change (--copies ${verb} every copy)`
        : `the copies listed of ${notKept} of these recordings are not the ones players get (their kept copies: sleeve dup shows them): players will not show this change (--copies ${verb} every copy)`,
    );
  return notes;
}
