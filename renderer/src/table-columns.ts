// The track table's columns: the built-in ones (tags the table always receives and file properties) and
// any other tag as a column; which are shown, in which order and how wide, remembered in localStorage.
import { useCallback, useMemo, useState } from 'react';
import { statusOf } from '../../app/shared/damage.ts';
import { formatName } from '../../app/shared/format-names.ts';
import { MAX_TAG_COLUMNS, TABLE_TAGS, type TrackRow } from '../../app/shared/rpc-contract.ts';
import { formatDuration, formatGain, trackNumber, trackTitle } from './format.ts';
import { readStored } from './stored.ts';

export interface Column {
  readonly key: string;
  readonly label: string;
  /** The query field the header's click sorts by. */
  readonly sortField: string;
  /** That order in words, where the label alone would mislead (File sorts by the whole path). */
  readonly sortedAs?: string;
  readonly width: number;
  readonly numeric?: boolean;
  /** A path, clipped at its start so the file name stays visible. */
  readonly clipStart?: boolean;
  value(row: TrackRow): string;
  /** The cell's tooltip, when it says more than the value. */
  describe?(row: TrackRow): string;
  /** A tag no page row carries (TABLE_TAGS): asked for with each page while shown. */
  readonly asked?: boolean;
}

const tag = (key: string, label: string, width: number): Column => ({
  key,
  label,
  sortField: key,
  width,
  value: (r) => r.tags[key] ?? '',
});

/** A ReplayGain column: its gain as the app writes gains (a tag that is no number, as it is). Sorted by the
 *  number, the measured gain where a file carries none of its own (as the rows show it). */
const gain = (key: string, label: string): Column => ({
  ...tag(key, label, 84),
  numeric: true,
  value: (r) => {
    const db = Number.parseFloat(r.tags[key] ?? '');
    return Number.isFinite(db) ? formatGain(db) : (r.tags[key] ?? '');
  },
});

/** What another copy's title says of the copy its recording keeps: its format and file. */
const keptCopyWords = (kept: NonNullable<TrackRow['keptCopy']>) =>
  `another copy of this recording: players get the ${formatName(kept.format)} copy, ${kept.path.slice(kept.path.lastIndexOf('/') + 1)}`;

export const BUILT_IN_COLUMNS: readonly Column[] = [
  {
    key: 'tracknumber',
    label: '#',
    sortField: 'tracknumber',
    width: 52, // "100" whole: albums, boxes and playlists run past 99
    numeric: true,
    value: (r) => trackNumber(r.tags.tracknumber),
  },
  {
    key: 'title',
    label: 'Title',
    sortField: 'title',
    width: 182,
    value: trackTitle,
    describe: (r) => (r.keptCopy ? `${trackTitle(r)} (${keptCopyWords(r.keptCopy)})` : trackTitle(r)),
  },
  tag('artist', 'Artist', 130),
  tag('album', 'Album', 190),
  tag('albumartist', 'Album artist', 160),
  { ...tag('discnumber', 'Disc', 48), numeric: true, value: (r) => trackNumber(r.tags.discnumber) },
  tag('date', 'Date', 96),
  tag('genre', 'Genre', 120),
  tag('composer', 'Composer', 160),
  // The credits a classical library is read by: asked for only while shown (a choir's performers are long).
  { ...tag('work', 'Work', 200), asked: true },
  { ...tag('conductor', 'Conductor', 140), asked: true },
  { ...tag('performer', 'Performers', 220), asked: true, describe: (r) => r.tags.performer ?? '' },
  {
    key: 'duration',
    label: 'Time',
    sortField: 'duration',
    width: 52,
    numeric: true,
    value: (r) => formatDuration(r.duration),
  },
  {
    key: 'format',
    label: 'Format',
    sortField: 'format',
    width: 72,
    value: (r) => formatName(r.format, r.codec),
    describe: (r) => [r.format, r.codec].filter(Boolean).join(': '),
  },
  { key: 'codec', label: 'Codec', sortField: 'codec', width: 80, value: (r) => r.codec ?? '' },
  gain('replaygain_track_gain', 'Track gain'),
  gain('replaygain_album_gain', 'Album gain'),
  {
    key: 'bitrate',
    label: 'kbps',
    sortField: 'bitrate',
    width: 60,
    numeric: true,
    value: (r) => (r.bitrate ? String(Math.round(r.bitrate / 1000)) : ''),
  },
  {
    key: 'samplerate',
    label: 'kHz',
    sortField: 'samplerate',
    width: 60,
    numeric: true,
    value: (r) => (r.sampleRate ? String(r.sampleRate / 1000) : ''),
  },
  {
    key: 'size',
    label: 'Size',
    sortField: 'size',
    width: 80,
    numeric: true,
    value: (r) => `${(r.size / 1e6).toFixed(1)} MB`,
  },
  {
    key: 'status',
    label: 'Status',
    sortField: 'status',
    width: 88,
    // Empty for a file that is fine: only damage catches the eye.
    value: (r) => {
      const status = statusOf(r);
      return status === 'ok' ? '' : status;
    },
    describe: (r) => r.error ?? r.warning ?? (r.status === 'missing' ? 'the file is not there any more' : ''),
  },
  { key: 'path', label: 'Path', sortField: 'path', width: 360, clipStart: true, value: (r) => r.path },
  {
    key: 'file',
    label: 'File',
    sortField: 'path',
    sortedAs: 'path (folder, then file name)',
    width: 160,
    value: (r) => r.path.slice(r.path.lastIndexOf('/') + 1),
    describe: (r) => r.path,
  },
];

/** What a new user sees, fitting beside the editor in a 1280 px window (926 px) with the file's name in
 *  view: Date, Genre, Album artist, Disc, Composer, Work, Conductor, Performers, the full path and the
 *  technical columns are a click away; Status (empty unless a file is damaged) beside the title, where it is seen. */
export const DEFAULT_COLUMNS: readonly string[] = [
  'tracknumber',
  'title',
  'status',
  'artist',
  'album',
  'duration',
  'format',
  'file',
];

const BY_KEY = new Map(BUILT_IN_COLUMNS.map((c) => [c.key, c]));
/** A tag's name as a column key: what the query language calls fields. */
export const TAG_KEY = /^[a-z_][a-z0-9_]*$/;

/** The column of a key: a built-in one, or the tag of that name. */
export function columnFor(key: string): Column {
  return BY_KEY.get(key) ?? tag(key, key, 140);
}

/** Tags beyond those every row carries: asked for with each page. */
export function extraTags(keys: readonly string[]): string[] {
  const known = new Set<string>(TABLE_TAGS);
  return keys.filter((k) => !known.has(k) && (BY_KEY.get(k)?.asked ?? !BY_KEY.has(k)));
}

const COLUMNS_KEY = 'sleeve.columns';
const WIDTHS_KEY = 'sleeve.columnWidths';

const isKeyList = (v: unknown): v is string[] =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((k) => typeof k === 'string' && TAG_KEY.test(k)) &&
  extraTags(v).length <= MAX_TAG_COLUMNS;
const isWidths = (v: unknown): v is Record<string, number> =>
  typeof v === 'object' && v !== null && Object.values(v).every((w) => typeof w === 'number' && w >= 32);

export interface TableColumns {
  /** Shown, in order. */
  readonly keys: readonly string[];
  readonly columns: readonly Column[];
  readonly widths: Readonly<Record<string, number>>;
  setKeys(keys: readonly string[]): void;
  /** A width while dragging; `save` remembers it. */
  setWidth(key: string, width: number, save: boolean): void;
}

export function useTableColumns(): TableColumns {
  const [keys, setKeysState] = useState<readonly string[]>(() =>
    readStored(COLUMNS_KEY, isKeyList, DEFAULT_COLUMNS),
  );
  const [widths, setWidths] = useState<Record<string, number>>(() => readStored(WIDTHS_KEY, isWidths, {}));
  const setKeys = useCallback((next: readonly string[]) => {
    const unique = [...new Set(next)];
    const keep = unique.length > 0 ? unique : DEFAULT_COLUMNS;
    setKeysState(keep);
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(keep));
  }, []);
  const setWidth = useCallback((key: string, width: number, save: boolean) => {
    setWidths((w) => {
      const next = { ...w, [key]: Math.max(32, Math.round(width)) };
      if (save) localStorage.setItem(WIDTHS_KEY, JSON.stringify(next));
      return next;
    });
  }, []);
  const columns = useMemo(() => keys.map(columnFor), [keys]);
  return { keys, columns, widths, setKeys, setWidth };
}
