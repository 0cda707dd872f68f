// The window's own undoable actions, newest last: each notice that offers Undo (an edit saved or redone,
// a playlist removed) is one, until it is used or no longer applies. Ctrl+Z takes back the newest of them,
// so it undoes what the user did last here (a playlist removed after an edit restores the playlist, not
// the edit); only when none is left does it undo the library's newest edit.

/** The most actions kept: far more than anyone takes back in a row. */
const MOST = 50;

export class UndoStack {
  #entries: Array<{ readonly about: string; readonly run: () => void }> = [];

  /** An action the user can take back, `about` naming it (a notice's). */
  push(about: string, run: () => void): void {
    this.drop(about);
    this.#entries.push({ about, run });
    if (this.#entries.length > MOST) this.#entries.shift();
  }

  /** The action no longer applies (used from its notice, or its edit undone elsewhere). */
  drop(about: string): void {
    this.#entries = this.#entries.filter((e) => e.about !== about);
  }

  /** Takes back the newest action; false when none is left. */
  undoNewest(): boolean {
    const newest = this.#entries.pop();
    newest?.run();
    return newest !== undefined;
  }
}
