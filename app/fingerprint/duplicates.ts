// Recording groups as the user sees them: members with what tells copies apart, each scored against the
// group's best copy (lossless over lossy, then higher bitrate, then longer), byte-identical files marked.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Db } from '../db/database.ts';
import { rawItems } from './fingerprint-store.ts';
import { compareAtAnyOffset } from './recording-match.ts';

export interface DuplicateMember {
  readonly id: number;
  readonly path: string;
  readonly format: string | null;
  readonly lossless: boolean;
  readonly bitrate: number | null;
  readonly duration: number | null;
  readonly size: number;
  /** compare2 score against the best copy (over the overlap for a partial copy); 1 for the best. */
  readonly score: number;
  /** Seconds into the full recording where a partial copy starts; null for a full copy. */
  readonly partialOffset: number | null;
  /** Id of an earlier member with exactly the same bytes. */
  readonly identicalTo: number | null;
  readonly best: boolean;
}

export interface DuplicateGroup {
  readonly group: number;
  readonly members: DuplicateMember[];
}

interface Row {
  id: number;
  path: string;
  format: string | null;
  lossless: number | null;
  bitrate: number | null;
  duration: number | null;
  size: number;
  mtimeMs: number;
  partialOffset: number | null;
  data: Uint8Array;
  sha256: string | null;
}

const better = (a: Row, b: Row): number =>
  (b.partialOffset === null ? 1 : 0) - (a.partialOffset === null ? 1 : 0) ||
  (b.lossless ?? 0) - (a.lossless ?? 0) ||
  (b.bitrate ?? 0) - (a.bitrate ?? 0) ||
  (b.duration ?? 0) - (a.duration ?? 0) ||
  a.id - b.id;

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Groups with two or more present members, one at a time. */
export async function* duplicateGroups(db: Db): AsyncGenerator<DuplicateGroup> {
  const groupIds = db
    .prepare(
      `SELECT m.group_id FROM recording_members m JOIN files f ON f.id = m.file_id AND f.status = 'ok'
       GROUP BY m.group_id HAVING count(*) > 1 ORDER BY min(m.file_id)`,
    )
    .pluck()
    .all() as number[];
  const members = db.prepare(
    `SELECT f.id, f.path, f.format, f.lossless, f.bitrate, f.duration, f.size, f.mtime_ms AS mtimeMs,
            m.partial_offset AS partialOffset, p.data, p.sha256
     FROM recording_members m JOIN files f ON f.id = m.file_id AND f.status = 'ok'
     JOIN fingerprints p ON p.file_id = f.id
     WHERE m.group_id = ? ORDER BY f.id`,
  );
  const saveHash = db.prepare(
    'UPDATE fingerprints SET sha256 = ? WHERE file_id = ? AND size = ? AND mtime_ms = ?',
  );
  for (const group of groupIds) {
    const rows = (members.all(group) as Row[]).sort(better);
    const best = rows[0]!;
    const bestRaw = rawItems(best.data);
    // Only files sharing a size can be byte-identical: hash just those, once.
    const sizes = new Map<number, number>();
    for (const r of rows) sizes.set(r.size, (sizes.get(r.size) ?? 0) + 1);
    for (const r of rows) {
      if ((sizes.get(r.size) ?? 0) > 1 && r.sha256 === null) {
        r.sha256 = await sha256(r.path).catch(() => null);
        if (r.sha256) saveHash.run(r.sha256, r.id, r.size, r.mtimeMs);
      }
    }
    const firstWithHash = new Map<string, number>();
    const out = [...rows]
      .sort((a, b) => a.id - b.id)
      .map((r): DuplicateMember => {
        const c = r === best ? null : compareAtAnyOffset(bestRaw, rawItems(r.data));
        const identicalTo =
          r.sha256 && (sizes.get(r.size) ?? 0) > 1 ? (firstWithHash.get(r.sha256) ?? null) : null;
        if (r.sha256 && !firstWithHash.has(r.sha256)) firstWithHash.set(r.sha256, r.id);
        return {
          id: r.id,
          path: r.path,
          format: r.format,
          lossless: r.lossless === 1,
          bitrate: r.bitrate,
          duration: r.duration,
          size: r.size,
          score: c === null ? 1 : r.partialOffset === null ? c.score : c.overlapScore,
          partialOffset: r.partialOffset,
          identicalTo,
          best: r === best,
        };
      });
    yield { group, members: out };
  }
}
