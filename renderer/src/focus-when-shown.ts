// Focus for an element that may not be there yet: the tag editor's first field, asked for by E or Edit
// tags as a row is selected, comes only once that row's tags are read (its "Loading tags…" has no field,
// and a focus tried then had gone to the next input in the editor, "New field name", or nowhere).

/** Focuses the first element `selector` finds, now or once it is added; the wait ends at the user's next
 *  key or press, so a late field never takes the focus from what they went on to. Returns the wait's end. */
export function focusWhenShown(root: Document, selector: string): () => void {
  const found = () => root.querySelector<HTMLElement>(selector);
  const now = found();
  if (now) {
    now.focus();
    return () => {};
  }
  const observer = new MutationObserver(() => {
    const element = found();
    if (!element) return;
    stop();
    element.focus();
  });
  const window = root.defaultView;
  const stop = () => {
    observer.disconnect();
    window?.removeEventListener('keydown', stop, true);
    window?.removeEventListener('pointerdown', stop, true);
  };
  observer.observe(root.body, { childList: true, subtree: true });
  window?.addEventListener('keydown', stop, true);
  window?.addEventListener('pointerdown', stop, true);
  return stop;
}
