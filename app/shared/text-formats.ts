// The formats tags go out and come back in as text (`sleeve export`/`import`, the app's Tags as text),
// and how a file's name says which: declared once for the core, the RPC contract and the renderer.

export const TEXT_FORMATS = ['csv', 'tsv', 'json'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

/** A file's format by its name's ending, in any case; undefined for another. */
export function formatOfName(name: string): TextFormat | undefined {
  const dot = name.lastIndexOf('.');
  const ending = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  return TEXT_FORMATS.find((f) => f === ending);
}
