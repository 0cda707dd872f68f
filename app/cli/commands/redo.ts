// `sleeve redo [BATCH]`: makes an undone edit batch active again (default: the one undone last).
import { redoBatch } from '../../core/library/edits.ts';
import { batchCommand } from './undo.ts';

export const { usage, run } = batchCommand('redo', redoBatch, 'redid');
