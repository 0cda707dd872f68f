// What a scan or a look skipped (links), said on stderr; apart from format.ts, whose templates and album
// values load the served naming a scan has no use for.
/** Links a scan or a look skipped, said on stderr: the first few, then how many more (a folder of links can hold thousands). */
const SKIPPED_SAID = 20;

export function warnSkipped(
  warn: (line: string) => void,
  skipped: ReadonlyArray<{ readonly path: string; readonly reason: string }>,
): void {
  for (const f of skipped.slice(0, SKIPPED_SAID)) warn(`skipped ${f.path}: ${f.reason}`);
  if (skipped.length > SKIPPED_SAID)
    warn(`skipped ${skipped.length - SKIPPED_SAID} more link(s) (--json lists every one)`);
}
