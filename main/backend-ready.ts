// The backend announces itself with one JSON line on stdout (`sleeve serve --json`): where it listens and
// its token. Pure, so the main process's parsing of it is tested without Electron.
import { z } from 'zod';

const ReadySchema = z.object({
  url: z.string(),
  port: z.number().int().min(1).max(65535),
  token: z.string().regex(/^[A-Za-z0-9_-]{20,}$/),
});
export type BackendReady = z.infer<typeof ReadySchema> & { readonly origin: string };

/** The backend's announcement in `text` (its stdout so far), once a whole line has arrived. */
export function readyLine(text: string): BackendReady | 'incomplete' {
  const end = text.indexOf('\n');
  if (end < 0) return 'incomplete';
  const ready = ReadySchema.parse(JSON.parse(text.slice(0, end)));
  return { ...ready, origin: `http://127.0.0.1:${ready.port}` };
}
