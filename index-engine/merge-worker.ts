// Worker thread that runs file-segment merges, so a long merge never delays searches or writes.
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../kit/worker-pool.ts';
import { type MergeTask, mergeSegments } from './segment-merge.ts';
import type { SegmentSummary } from './segment-writer.ts';

if (parentPort)
  serveTasks(parentPort, async (task: MergeTask): Promise<SegmentSummary> => mergeSegments(task));
