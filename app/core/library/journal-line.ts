// One line of a mount's save journal: `S2 <crc32> <json>`, the JSON holding the save and the identity of
// the library it was accepted for. The checksum (CRC-32 of the JSON's bytes: every one- and two-bit flip
// is caught) and the identity are checked before anything is applied: a damaged line, a line written for
// another library (a library rebuilt beside an old journal), a line no Sleeve of this version wrote, are
// never guessed at — they are set aside with the reason (set-aside-saves.ts), and so is a torn last line.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { isValidTagKey } from '../../shared/fields.ts';

const ChangeSchema = z.object({
  fileId: z.number().int().positive(),
  key: z.string().refine(isValidTagKey, 'an invalid field name'),
  /** What the tagger read of the field; `after`, what it wrote. */
  before: z.array(z.string()),
  after: z.array(z.string()),
});

const PictureRefSchema = z.object({ hash: z.string(), type: z.number().int(), description: z.string() });

/** An image the save brings (stored in `art` when the save is applied); bytes in base64 in the journal. */
const ImageSchema = z.object({
  hash: z.string(),
  mime: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  depth: z.number().nullable().optional(),
  bytes: z.number().int().nonnegative(),
  data: z.string(),
});

export const SaveSchema = z.object({
  id: z.string().min(1),
  /** When the mount accepted it (ms since the epoch). */
  at: z.number(),
  /** The served path, for what the daemon says. */
  path: z.string(),
  description: z.string(),
  changes: z.array(ChangeSchema),
  art: z.array(
    z.object({
      fileId: z.number().int().positive(),
      pictures: z.array(PictureRefSchema),
      /** The pictures the tagger read (what it changed them from). */
      read: z.array(PictureRefSchema).optional(),
    }),
  ),
  images: z.array(ImageSchema),
  /** When the saving process first opened the file (ms): a field an edit changed since is not taken
   *  back (save-merge.ts). Absent in lines of an older Sleeve: `at` counts. */
  readAt: z.number().optional(),
  /** Set when `readAt` is only the earliest the process can have read the file (it read it through an
   *  earlier daemon of the mount, or through this one by then): it read it at some time up to this one. */
  readUntil: z.number().optional(),
  /** When that process's earlier saves of the file were accepted: its own batches, no change "since". */
  own: z.array(z.number()).optional(),
  /** The saving process (kit/process-alive.ts: processIdentity): its batch says so, for a later daemon. */
  writer: z.string().max(64).optional(),
});

/** One save as the mount accepted it: the tagger's changes, ready to apply as one edit batch. */
export type AcceptedSave = z.infer<typeof SaveSchema>;

const LineSchema = SaveSchema.extend({ library: z.string() });

const MARK = 'S2 ';
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** The line (newline included) that journals `save` for library `library`. */
export function journalLine(save: AcceptedSave, library: string): Buffer {
  const json = Buffer.from(JSON.stringify({ ...save, library }));
  return Buffer.concat([Buffer.from(`${MARK}${hex8(crc32(json))} `), json, Buffer.from('\n')]);
}

/** A journal entry that cannot be applied as it is: its bytes, kept, and why. */
export interface Unreadable {
  /** The save's id when it could be read, else one made from the bytes (the same bytes, the same id). */
  readonly id: string;
  readonly reason: string;
  readonly entry: Buffer;
  /** The save, when it could be read (written for another library): what the user may still apply. */
  readonly save?: AcceptedSave;
}

export type ReadLine = { readonly save: AcceptedSave } | { readonly unreadable: Unreadable };

const idOf = (bytes: Buffer) => `bytes-${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}`;

/** Reads one complete journal line (without its newline), for library `library`. */
export function readJournalLine(line: Buffer, library: string): ReadLine {
  const unreadable = (reason: string, save?: AcceptedSave) => ({
    unreadable: { id: save?.id ?? idOf(line), reason, entry: line, ...(save ? { save } : {}) },
  });
  const text = line.toString('latin1');
  if (!text.startsWith(MARK))
    return unreadable(
      text.startsWith('{') ? 'written without a checksum by an older Sleeve' : 'not a journal entry',
    );
  const sum = text.slice(MARK.length, MARK.length + 8);
  const json = line.subarray(MARK.length + 9);
  if (text[MARK.length + 8] !== ' ' || sum !== hex8(crc32(json)))
    return unreadable('damaged: its checksum does not match its contents');
  let parsed: z.infer<typeof LineSchema>;
  try {
    const result = LineSchema.safeParse(JSON.parse(json.toString('utf8')));
    if (!result.success) {
      const issue = result.error.issues[0]!;
      return unreadable(`not a valid save (${issue.path.join('.') || 'entry'}: ${issue.message})`);
    }
    parsed = result.data;
  } catch {
    return unreadable('not a valid save (not JSON)');
  }
  const { library: theirs, ...save } = parsed;
  if (theirs !== library)
    return unreadable(`accepted for another library (${theirs}; this one is ${library})`, save);
  return { save };
}

/** What a journal's bytes hold: its complete lines read, and a torn end (bytes after the last newline). */
export function readJournal(bytes: Buffer, library: string): ReadLine[] {
  const lines: ReadLine[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(10, start); nl >= 0; nl = bytes.indexOf(10, start)) {
    if (nl > start) lines.push(readJournalLine(bytes.subarray(start, nl), library));
    start = nl + 1;
  }
  if (start < bytes.length) {
    const torn = bytes.subarray(start);
    lines.push({
      unreadable: {
        id: idOf(torn),
        reason: `torn: its last ${torn.length} bytes end without a line break (a crash while writing it)`,
        entry: torn,
      },
    });
  }
  return lines;
}
