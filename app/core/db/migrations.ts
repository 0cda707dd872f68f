// Numbered schema migrations. Append only: a released migration is never edited.
// The user-edit layer (edit_batches, edits) is kept apart from what files say (file_tags);
// `tags` is the materialized effective view (file tags overlaid with active edits).
import { mayBeDecomposedSql } from './canonical-name.ts';
import { copiesTouchedSql, EVERY_RECORDING } from './copies-touched.ts';
import { searchedPathSql } from './searched-path.ts';

/** The files of albums of two or more MusicBrainz release ids put in the change feed, each at a number of
 *  its own (a round of the album years takes a few hundred at a time, and moves past each number it saw):
 *  migrations 47 and 48. */
const ALBUMS_OF_RELEASES_MOVED = `
  UPDATE files SET change_seq = moved.seq
  FROM (
    SELECT a.file_id AS id,
      (SELECT coalesce(max(change_seq), 0) FROM files) + row_number() OVER (ORDER BY a.file_id) AS seq
    FROM album_years a
    JOIN (
      SELECT y.artist, y.album FROM tags t JOIN album_years y ON y.file_id = t.file_id
      WHERE t.key = 'musicbrainz_albumid' AND t.idx = 0 AND y.album <> ''
      GROUP BY y.artist, y.album HAVING count(DISTINCT t.value) > 1
    ) m ON m.artist = a.artist AND m.album = a.album
  ) AS moved
  WHERE files.id = moved.id;`;

/** The files `ids` (a SELECT of `id`s) put in the change feed, each at a number of its own (a round of
 *  the album years takes a few hundred, and moves past each number it saw). For migrations from 61 on;
 *  the released ones keep their text. */
const inTheFeed = (ids: string) => `
  UPDATE files SET change_seq = moved.seq
  FROM (SELECT id, (SELECT coalesce(max(change_seq), 0) FROM files) + row_number() OVER (ORDER BY id) AS seq
    FROM (${ids})) AS moved
  WHERE files.id = moved.id;`;

/** A library's own random id (migration 30), drawn anew for each library copied from the empty one
 *  (empty-library.ts): the same SQL, so migration 30's text is as released. */
export const NEW_LIBRARY_ID = 'lower(hex(randomblob(8)))';

/** Migrations 62 and 63: the trigger `name` noting the recordings `groups` selects as touched (copies-touched.ts). */
const copiesTrigger = (name: string, on: string, groups: string) => `
  DROP TRIGGER IF EXISTS ${name};
  CREATE TRIGGER ${name} ${on}
    BEGIN ${copiesTouchedSql(groups).join('; ')}; END;`;
const GROUP_OF_NEW_FILE = 'SELECT group_id FROM recording_members WHERE file_id = NEW.file_id';

/** Migrations 64 and 71: `derived`'s state table keeps its place in copies_touched (album-copies.ts), from
 *  now on; a library that has values derived walks every recording once (they counted every copy). */
const followingKeptCopies = (derived: 'album_loudness' | 'album_years') => `
  ALTER TABLE ${derived}_state ADD COLUMN copies_seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ${derived}_state ADD COLUMN copies_group INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ${derived}_state ADD COLUMN copies_every INTEGER;
  UPDATE ${derived}_state SET copies_seq = (SELECT seq FROM copies_state),
    copies_group = (SELECT coalesce(max(group_id), 0) FROM copies_touched),
    copies_every = CASE WHEN EXISTS (SELECT 1 FROM ${derived}) THEN 0 END;`;

/** Migration 71: the album_years rows of an album of two releases or more. */
const OF_SEVERAL_RELEASES = `album <> '' AND (artist, album) IN (
  SELECT artist, album FROM album_years WHERE album <> '' AND disambig <> '')`;

export const MIGRATIONS: readonly string[] = [
  /* 1: library */ `
  CREATE TABLE roots (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    added_at INTEGER NOT NULL
  );

  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    root_id INTEGER NOT NULL REFERENCES roots(id),
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    inode INTEGER NOT NULL,
    format TEXT,
    codec TEXT,
    lossless INTEGER,
    sample_rate INTEGER,
    channels INTEGER,
    bit_depth INTEGER,
    duration REAL,
    bitrate INTEGER,
    audio_start INTEGER,
    audio_end INTEGER,
    status TEXT NOT NULL CHECK (status IN ('ok', 'missing', 'error')),
    error TEXT,
    scanned_at INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    CHECK ((status = 'error') = (error IS NOT NULL))
  );
  CREATE INDEX files_by_root ON files(root_id);
  CREATE INDEX files_by_status ON files(status);

  CREATE TABLE file_tags (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    key TEXT NOT NULL COLLATE NOCASE,
    idx INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (file_id, key, idx)
  ) WITHOUT ROWID;

  CREATE TABLE art (
    hash TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    width INTEGER,
    height INTEGER,
    bytes INTEGER NOT NULL,
    data BLOB NOT NULL
  );

  CREATE TABLE file_art (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    hash TEXT NOT NULL REFERENCES art(hash),
    picture_type INTEGER NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (file_id, idx)
  ) WITHOUT ROWID;
  CREATE INDEX file_art_by_hash ON file_art(hash);

  CREATE TABLE edit_batches (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    description TEXT NOT NULL,
    undone_at INTEGER
  );

  -- Tag keys compare case-insensitively, as Vorbis comment names do.
  -- vals is a JSON array of strings; [] clears the field.
  CREATE TABLE edits (
    batch_id INTEGER NOT NULL REFERENCES edit_batches(id) ON DELETE CASCADE,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    key TEXT NOT NULL COLLATE NOCASE,
    vals TEXT NOT NULL CHECK (json_valid(vals)),
    PRIMARY KEY (batch_id, file_id, key)
  ) WITHOUT ROWID;
  CREATE INDEX edits_by_file ON edits(file_id, key, batch_id);

  CREATE TABLE tags (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    key TEXT NOT NULL COLLATE NOCASE,
    idx INTEGER NOT NULL,
    value TEXT NOT NULL,
    fold TEXT NOT NULL,
    PRIMARY KEY (file_id, key, idx)
  ) WITHOUT ROWID;
  CREATE INDEX tags_by_key ON tags(key, fold);

  -- Substring search over the path and all effective tag values; rowid = files.id.
  CREATE VIRTUAL TABLE search USING fts5(path, text, tokenize = 'trigram', content = '', contentless_delete = 1);
  `,
  /* 2: fingerprints and recording groups */ `
  -- One row per fingerprinted file, for the file as it was (size, mtime) when fingerprinted.
  -- data is Chromaprint's compressed fingerprint (its first byte is the algorithm).
  CREATE TABLE fingerprints (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'silent', 'too_short', 'weak', 'error')),
    seconds REAL,
    data BLOB,
    error TEXT,
    sha256 TEXT,
    computed_at INTEGER NOT NULL,
    CHECK ((status = 'error') = (data IS NULL)),
    CHECK ((status = 'error') = (error IS NOT NULL))
  );

  -- Files that are the same recording share a group_id. partial_offset (seconds) marks a partial copy:
  -- where in the group's full copy it starts (0 when only its end was cut).
  CREATE TABLE recording_members (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL,
    partial_offset REAL,
    fingerprint_at INTEGER NOT NULL
  );
  CREATE INDEX recording_members_by_group ON recording_members(group_id);
  `,
  /* 3: change feed and cover-art edits */ `
  -- Raised (to the library's highest + 1) whenever what a file shows changes: its effective tags or
  -- art, its size, mtime, status or audio range. Readers such as the FUSE daemon follow it.
  ALTER TABLE files ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX files_by_change ON files(change_seq);

  -- A batch can replace a file's pictures: the newest active row wins over file_art.
  -- pictures is a JSON array of {hash, type, description}; [] removes all pictures.
  CREATE TABLE art_edits (
    batch_id INTEGER NOT NULL REFERENCES edit_batches(id) ON DELETE CASCADE,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    pictures TEXT NOT NULL CHECK (json_valid(pictures)),
    PRIMARY KEY (batch_id, file_id)
  ) WITHOUT ROWID;
  CREATE INDEX art_edits_by_file ON art_edits(file_id, batch_id);
  `,
  /* 4: what a served FLAC header keeps */ `
  -- FLAC: bytes of the metadata blocks a regenerated header keeps as they are, and the Vorbis vendor
  -- string, so the mount knows a file's size without reading it (NULL: read it when needed).
  ALTER TABLE files ADD COLUMN flac_kept_bytes INTEGER;
  ALTER TABLE files ADD COLUMN flac_vendor TEXT;
  `,
  /* 5: audio embeddings for "more like this" */ `
  -- One row per analysed file, for the file as it was (size, mtime) and the extractor that ran.
  -- vector: little-endian float32s, unit length; status other than ok says why there is none.
  CREATE TABLE embeddings (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    extractor TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'too_short', 'silent', 'error')),
    seconds REAL,
    vector BLOB,
    reason TEXT,
    computed_at INTEGER NOT NULL,
    CHECK ((status = 'ok') = (vector IS NOT NULL)),
    CHECK ((status = 'ok') = (reason IS NULL))
  );

  -- What the LanceDB table holds, row for row: which file, as of which change_seq, group and vector.
  -- Its difference from the library is what a sync writes. No foreign key: a forgotten file's row must
  -- still be found to delete it from LanceDB.
  CREATE TABLE similarity_rows (
    file_id INTEGER PRIMARY KEY,
    change_seq INTEGER NOT NULL,
    group_id INTEGER,
    computed_at INTEGER NOT NULL
  );
  `,
  /* 6: one folded text per file for short searches */ `
  -- The path and every effective tag value, case-folded, newline-joined. A search term under three
  -- characters (too short for the trigram index) scans this narrow table instead of every tag row.
  CREATE TABLE search_folded (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    text TEXT NOT NULL
  );
  INSERT INTO search_folded (file_id, text)
    SELECT id, fold(path) || coalesce(char(10) || (SELECT group_concat(fold, char(10)) FROM tags WHERE file_id = files.id), '')
    FROM files;
  -- Path order (the default listing) straight from an index that also answers the status condition.
  CREATE INDEX files_by_path_status ON files(path, status);
  `,
  /* 7: the copy of a recording the user keeps */ `
  -- "Prefer this copy" in a duplicate group. Kept per file, not per group: group ids change when
  -- groups merge or split, the chosen file does not. At most one per group (duplicates.ts keeps it so).
  CREATE TABLE preferred_copies (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    chosen_at INTEGER NOT NULL
  );
  `,
  /* 8: what went wrong in a file that could still be read */ `
  -- "; "-joined problems of a readable file (cover art that is no image Sleeve serves, a truncated
  -- stream): the file stays listed, and "sleeve info" says what is wrong with it.
  ALTER TABLE files ADD COLUMN warning TEXT;
  `,
  /* 9: the bytes of a path that is not valid UTF-8 */ `
  -- A file whose name is not valid UTF-8 is listed under its path with each such byte shown as \\xNN
  -- (path stays text, unique and searchable); the bytes the file system knows it by are kept here, and
  -- everything that opens the file opens coalesce(path_bytes, path). NULL for every other file.
  ALTER TABLE files ADD COLUMN path_bytes BLOB;
  `,
  /* 10: which version of the readers read a file */ `
  -- Raised (READER_VERSION in app/core/media/reader-version.ts) when the readers learn to record more: a
  -- rescan re-reads a file an older reader read even though the file itself did not change. 0: before
  -- this column (re-read once).
  ALTER TABLE files ADD COLUMN reader_version INTEGER NOT NULL DEFAULT 0;
  `,
  /* 11: what a regenerated header keeps of the original, for the containers after FLAC */ `
  -- JSON, by format (HeaderKept in app/core/media/read-track.ts): for Ogg Vorbis/Opus laid out as the
  -- specs say {idPage, setup, pages, vendor}; for WAV/AIFF {chunks} (the bytes of the chunks copied).
  -- The mount knows a served file's size from it without reading the file.
  ALTER TABLE files ADD COLUMN header_kept TEXT;
  `,
  /* 12: each file's size as the mount serves it */ `
  -- Computed by the scan and by every edit, in the transaction that changed the file (planServed in
  -- app/core/served/served-plan.ts), so the mount daemon starts without sizing every file. Valid only
  -- while served_seq = change_seq and served_version is the code's SERVED_VERSION; NULL: not known (the
  -- daemon sizes the file itself).
  ALTER TABLE files ADD COLUMN served_size INTEGER;
  ALTER TABLE files ADD COLUMN served_seq INTEGER;
  ALTER TABLE files ADD COLUMN served_version INTEGER;
  `,
  /* 13: each file's path under the mount's default template */ `
  -- Recorded with served_size, valid under the same condition: components joined with '/' (a component
  -- never holds one). The daemon of a mount with the default template starts from these instead of
  -- reading every file's tags and rendering its path.
  ALTER TABLE files ADD COLUMN served_path TEXT;
  `,
  /* 14: a counter of changes to which copy of a recording is kept */ `
  -- Raised by every change that can move a recording's kept copy (otherCopies in
  -- app/core/fingerprint/duplicates.ts): group membership, the user's choice, and a member's status or
  -- what ranks it. The mount daemon, serving one file per recording, works out the kept copies again when
  -- it moves. Triggers, so no writer can forget it.
  CREATE TABLE copies_state (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
  INSERT INTO copies_state (id, seq) VALUES (1, 0);
  CREATE TRIGGER copies_member_added AFTER INSERT ON recording_members
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  CREATE TRIGGER copies_member_changed AFTER UPDATE ON recording_members
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  CREATE TRIGGER copies_member_removed AFTER DELETE ON recording_members
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  CREATE TRIGGER copies_choice_added AFTER INSERT ON preferred_copies
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  CREATE TRIGGER copies_choice_removed AFTER DELETE ON preferred_copies
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  CREATE TRIGGER copies_member_file_changed
    AFTER UPDATE OF status, lossless, bit_depth, sample_rate, bitrate, warning, duration ON files
    WHEN EXISTS (SELECT 1 FROM recording_members WHERE file_id = NEW.id)
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  `,
  /* 15: playlists */ `
  -- A playlist is a list of files in order, or (query not NULL) a smart playlist: a saved query, its sort
  -- terms ordering it, over one file per recording, at most max_tracks. Entries name files, which are
  -- never deleted (a missing file keeps its row), so an entry never dangles.
  CREATE TABLE playlists (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    query TEXT,
    max_tracks INTEGER,
    created_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
  );
  CREATE TABLE playlist_entries (
    playlist_id INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    file_id INTEGER NOT NULL REFERENCES files(id),
    PRIMARY KEY (playlist_id, position)
  ) WITHOUT ROWID;
  CREATE INDEX playlist_entries_file ON playlist_entries(file_id);
  -- Raised by every change to a playlist, so a mount daemon knows when to write its .m3u8 files again.
  CREATE TABLE playlists_state (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
  INSERT INTO playlists_state (id, seq) VALUES (1, 0);
  CREATE TRIGGER playlist_added AFTER INSERT ON playlists BEGIN UPDATE playlists_state SET seq = seq + 1; END;
  CREATE TRIGGER playlist_changed AFTER UPDATE ON playlists BEGIN UPDATE playlists_state SET seq = seq + 1; END;
  CREATE TRIGGER playlist_removed AFTER DELETE ON playlists BEGIN UPDATE playlists_state SET seq = seq + 1; END;
  CREATE TRIGGER playlist_entry_added AFTER INSERT ON playlist_entries
    BEGIN UPDATE playlists_state SET seq = seq + 1; END;
  CREATE TRIGGER playlist_entry_removed AFTER DELETE ON playlist_entries
    BEGIN UPDATE playlists_state SET seq = seq + 1; END;
  `,
  /* 16: removing a playlist is undoable */ `
  -- Set when the user removes the playlist: it is gone from every list and mount but can be restored,
  -- until its name is taken by another or it has been removed for 30 days.
  ALTER TABLE playlists ADD COLUMN removed_at INTEGER;
  `,
  /* 17: answers of identification web services */ `
  -- What AcoustID (and later MusicBrainz) answered, by a key of the question (a hash of the fingerprint
  -- and duration asked): asking again costs no request, and an interrupted run resumes.
  CREATE TABLE web_cache (
    service TEXT NOT NULL,
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (service, key)
  ) WITHOUT ROWID;
  `,
  /* 18: a library folder the user removed */ `
  -- Removing a folder from the library keeps its files' rows (their edits, fingerprints, preferred copies
  -- and playlist entries name them) under the status 'removed': out of every view and mount until the folder
  -- is scanned again. SQLite cannot widen a CHECK in place, so the table is rebuilt (the migration runs
  -- with foreign keys off, so dropping the old table cascades nowhere) with its indexes and trigger.
  CREATE TABLE files_new (
    id INTEGER PRIMARY KEY,
    root_id INTEGER NOT NULL REFERENCES roots(id),
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    inode INTEGER NOT NULL,
    format TEXT,
    codec TEXT,
    lossless INTEGER,
    sample_rate INTEGER,
    channels INTEGER,
    bit_depth INTEGER,
    duration REAL,
    bitrate INTEGER,
    audio_start INTEGER,
    audio_end INTEGER,
    status TEXT NOT NULL CHECK (status IN ('ok', 'missing', 'error', 'removed')),
    error TEXT,
    scanned_at INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    change_seq INTEGER NOT NULL DEFAULT 0,
    flac_kept_bytes INTEGER,
    flac_vendor TEXT,
    warning TEXT,
    path_bytes BLOB,
    reader_version INTEGER NOT NULL DEFAULT 0,
    header_kept TEXT,
    served_size INTEGER,
    served_seq INTEGER,
    served_version INTEGER,
    served_path TEXT,
    CHECK ((status = 'error') = (error IS NOT NULL))
  );
  INSERT INTO files_new (id, root_id, path, size, mtime_ms, inode, format, codec, lossless, sample_rate, channels,
    bit_depth, duration, bitrate, audio_start, audio_end, status, error, scanned_at, added_at, change_seq,
    flac_kept_bytes, flac_vendor, warning, path_bytes, reader_version, header_kept, served_size, served_seq,
    served_version, served_path)
  SELECT id, root_id, path, size, mtime_ms, inode, format, codec, lossless, sample_rate, channels,
    bit_depth, duration, bitrate, audio_start, audio_end, status, error, scanned_at, added_at, change_seq,
    flac_kept_bytes, flac_vendor, warning, path_bytes, reader_version, header_kept, served_size, served_seq,
    served_version, served_path FROM files;
  DROP TABLE files;
  ALTER TABLE files_new RENAME TO files;
  CREATE INDEX files_by_root ON files(root_id);
  CREATE INDEX files_by_status ON files(status);
  CREATE INDEX files_by_change ON files(change_seq);
  CREATE INDEX files_by_path_status ON files(path, status);
  CREATE TRIGGER copies_member_file_changed
    AFTER UPDATE OF status, lossless, bit_depth, sample_rate, bitrate, warning, duration ON files
    WHEN EXISTS (SELECT 1 FROM recording_members WHERE file_id = NEW.id)
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  -- When the user removed the folder; NULL for a folder in the library.
  ALTER TABLE roots ADD COLUMN removed_at INTEGER;
  `,
  /* 19: saves a mount journalled while the library was held, once applied (app/core/mounted/save-queue.ts) */ `
  -- A journal replayed after a crash skips what it finds here: each save is applied exactly once. Rows
  -- are deleted once no journal holds their save.
  CREATE TABLE applied_saves (id TEXT PRIMARY KEY, batch_id INTEGER) WITHOUT ROWID;
  `,
  /* 20: the user's word on which files are one recording (app/core/fingerprint/copy-decisions.ts) */ `
  -- A pair of files the user split apart (together = 0) or joined (together = 1), in an edit batch so that
  -- it is in the history and undone like an edit: a pair's newest decision in an active batch counts.
  -- Grouping never puts a split pair in one group and keeps a joined pair together, whatever the index says.
  CREATE TABLE copy_decisions (
    batch_id INTEGER NOT NULL REFERENCES edit_batches(id),
    a INTEGER NOT NULL REFERENCES files(id),
    b INTEGER NOT NULL REFERENCES files(id),
    together INTEGER NOT NULL CHECK (together IN (0, 1)),
    PRIMARY KEY (batch_id, a, b),
    CHECK (a < b)
  ) WITHOUT ROWID;
  `,
  /* 21: recordings that hold part of another (app/core/fingerprint/recording-match.ts) */ `
  -- longer_id holds overlap seconds of shorter_id from start seconds in: two recordings, each listed on
  -- its own (an extended mix and the track inside it), the relation shown beside them.
  CREATE TABLE recording_relations (
    longer_id INTEGER NOT NULL REFERENCES files(id),
    shorter_id INTEGER NOT NULL REFERENCES files(id),
    start REAL NOT NULL,
    overlap REAL NOT NULL,
    PRIMARY KEY (longer_id, shorter_id)
  ) WITHOUT ROWID;
  CREATE INDEX recording_relations_by_shorter ON recording_relations(shorter_id);
  -- Groups holding a partial copy were formed by the old rule (any overlap, judged in scan order): their
  -- files are grouped again by the next scan, which tells partial copies from related recordings.
  DELETE FROM recording_members WHERE group_id IN
    (SELECT group_id FROM recording_members WHERE partial_offset IS NOT NULL);
  `,
  /* 22: the web cache bounded (app/core/identify/web-cache.ts) */ `
  -- Old answers are deleted, and the oldest go first when the cache is over its size: both by age.
  CREATE INDEX web_cache_by_age ON web_cache(fetched_at);
  `,
  /* 23: edits committed as truth, their derived rows brought up to date after (app/core/library/derivation.ts) */ `
  -- A large batch is written in several short transactions: until its last one it is held undone, with
  -- the writer's pid here, so nothing counts it; a batch whose writer died is deleted, never shown.
  ALTER TABLE edit_batches ADD COLUMN writing_pid INTEGER;
  CREATE INDEX edit_batches_writing ON edit_batches(writing_pid) WHERE writing_pid IS NOT NULL;
  -- Batches (edited, undone or redone) whose files' derived rows are not all up to date: files above
  -- next_file are still to be derived, in file id order; remaining counts them.
  CREATE TABLE derive_batches (
    batch_id INTEGER PRIMARY KEY REFERENCES edit_batches(id) ON DELETE CASCADE,
    next_file INTEGER NOT NULL DEFAULT 0,
    remaining INTEGER NOT NULL
  );
  `,
  /* 24: the search index merged in bounded steps (app/core/library/search-merge.ts) */ `
  -- FTS5's automatic merging did unbounded work inside an insert now and then (up to 0.5 s holding the
  -- write lock at 20k tracks); writers merge a few pages at a time instead.
  INSERT INTO search(search, rank) VALUES ('automerge', 0);
  `,
  /* 25: the art table bounded (app/core/library/art-collect.ts) */ `
  -- How many places in art edits name each picture (any batch: active, undone or still being written), so
  -- whether an edit names one is a lookup, not a read of every batch's JSON. Counted by triggers: a cover
  -- set on 100k tracks adds one row, not 100k. art_edits rows are never updated (refused: the counts
  -- would go wrong).
  CREATE TABLE art_edit_refs (hash TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO art_edit_refs (hash, n)
    SELECT json_extract(j.value, '$.hash'), count(*) FROM art_edits a, json_each(a.pictures) j GROUP BY 1;
  CREATE TRIGGER art_edit_named AFTER INSERT ON art_edits BEGIN
    INSERT INTO art_edit_refs (hash, n) SELECT json_extract(value, '$.hash'), 1 FROM json_each(NEW.pictures) WHERE true
      ON CONFLICT (hash) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER art_edit_unnamed AFTER DELETE ON art_edits BEGIN
    UPDATE art_edit_refs SET n = n - (SELECT count(*) FROM json_each(OLD.pictures)
                                      WHERE json_extract(value, '$.hash') = art_edit_refs.hash)
      WHERE hash IN (SELECT json_extract(value, '$.hash') FROM json_each(OLD.pictures));
    DELETE FROM art_edit_refs
      WHERE n = 0 AND hash IN (SELECT json_extract(value, '$.hash') FROM json_each(OLD.pictures));
  END;
  CREATE TRIGGER art_edit_fixed BEFORE UPDATE OF pictures ON art_edits BEGIN
    SELECT RAISE(ABORT, 'art_edits rows are never updated');
  END;
  -- Pictures that may be named by nothing since \`at\` (ms): stored (even a store ignored because the picture
  -- was there: BEFORE fires for it too), or let go by a file or by the last edit naming it. The collector
  -- deletes each one nothing names once \`at\` is old enough, and forgets the rest. Triggers, so no writer
  -- can forget it; upserts, since an INSERT OR IGNORE that fires one would make an OR REPLACE in it ignore.
  -- (json_extract, not ->>: the mount's C binding parses this schema with the system's SQLite, which may
  -- predate ->>.)
  CREATE TABLE art_released (hash TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX art_released_by_age ON art_released(at);
  CREATE TRIGGER art_stored BEFORE INSERT ON art BEGIN
    INSERT INTO art_released (hash, at)
      VALUES (NEW.hash, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
      ON CONFLICT (hash) DO UPDATE SET at = excluded.at;
  END;
  CREATE TRIGGER file_art_released AFTER DELETE ON file_art BEGIN
    INSERT INTO art_released (hash, at)
      VALUES (OLD.hash, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
      ON CONFLICT (hash) DO UPDATE SET at = excluded.at;
  END;
  CREATE TRIGGER art_edit_released AFTER DELETE ON art_edit_refs BEGIN
    INSERT INTO art_released (hash, at)
      VALUES (OLD.hash, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
      ON CONFLICT (hash) DO UPDATE SET at = excluded.at;
  END;
  -- Every picture stored before is looked at once.
  INSERT INTO art_released (hash, at)
    SELECT hash, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) FROM art;
  `,
  // 26: folders inside a library folder the user left out (`sleeve exclude`): never walked or watched;
  // their files stay in the library under the status 'removed' (edits kept) until the rule is dropped
  // and the folder scanned again.
  `
  CREATE TABLE excluded_folders (
    path TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // 27: measured loudness (ReplayGain 2.0), an analysis fact of a file's content like its fingerprint;
  // and the album figures each file is served with, derived from its album's measured tracks and kept up
  // to date by following the change feed from album_loudness_state.seq.
  `
  CREATE TABLE loudness (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'silent', 'too_short', 'error')),
    integrated REAL,
    range REAL,
    true_peak REAL,
    sample_peak REAL,
    seconds REAL,
    histogram BLOB,
    note TEXT,
    computed_at INTEGER NOT NULL,
    CHECK ((status = 'ok') = (integrated IS NOT NULL AND histogram IS NOT NULL)),
    CHECK (status != 'error' OR note IS NOT NULL)
  );
  CREATE TABLE album_loudness (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    artist TEXT NOT NULL,
    album TEXT NOT NULL,
    integrated REAL NOT NULL,
    peak REAL NOT NULL,
    tracks INTEGER NOT NULL
  );
  CREATE TABLE album_loudness_state (seq INTEGER NOT NULL);
  -- Nothing is measured yet: no change so far can move an album's figures.
  INSERT INTO album_loudness_state (seq) SELECT coalesce(max(change_seq), 0) FROM files;
  `,
  // 28: files.shown_seq, the change_seq of the last change to what the library shows of a file (its tags,
  // art, place, presence), apart from changes only to what is measured of it (its loudness, its album's):
  // a preview is refused for the first kind only, while the mount follows both through change_seq.
  `
  ALTER TABLE files ADD COLUMN shown_seq INTEGER NOT NULL DEFAULT 0;
  UPDATE files SET shown_seq = change_seq;
  `,
  // 29: whose ReplayGain a file that carries its own is served (app/core/library/gain-source.ts): its own
  // or what Sleeve measured, chosen per file (gain_choices) over the library's default (gain_default). A
  // new default reaches files in id order, a chunk per transaction: files above next_file still follow
  // \`previous\` until their chunk moves their change_seq.
  `
  CREATE TABLE gain_choices (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('own', 'measured'))
  );
  CREATE TABLE gain_default (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    source TEXT NOT NULL CHECK (source IN ('own', 'measured')),
    previous TEXT CHECK (previous IN ('own', 'measured')),
    next_file INTEGER,
    CHECK ((previous IS NULL) = (next_file IS NULL))
  );
  INSERT INTO gain_default (id, source) VALUES (1, 'own');
  `,
  // 30: the library's own name on a shared fingerprint index server (app/core/fingerprint/remote-indexes.ts):
  // a random id of this library, the default index name made from it, and the indexes this library created
  // there — the only ones it ever deletes.
  `
  CREATE TABLE library_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    library_id TEXT NOT NULL
  );
  INSERT INTO library_identity (id, library_id) VALUES (1, ${NEW_LIBRARY_ID});
  CREATE TABLE remote_indexes (
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (url, name)
  ) WITHOUT ROWID;
  `,
  // 31: who made each edit batch (the app, a \`sleeve\` command, a save through the mount; NULL before this
  // was kept), so a save refused for a field changed since its editor loaded it says by whom; and the
  // highest frequency a file's audio reaches (Hz, measured with its loudness), so the kept copy of a
  // recording is never a band-limited one. What a copy measures ranks it (copy-rank.ts): a new measurement
  // of a copy may move its recording's kept copy, as a change to its bitrate does.
  `
  ALTER TABLE edit_batches ADD COLUMN origin TEXT;
  ALTER TABLE loudness ADD COLUMN bandwidth REAL;
  CREATE TRIGGER copies_member_measured AFTER INSERT ON loudness
    WHEN EXISTS (SELECT 1 FROM recording_members WHERE file_id = NEW.file_id)
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  CREATE TRIGGER copies_member_remeasured AFTER UPDATE ON loudness
    WHEN EXISTS (SELECT 1 FROM recording_members WHERE file_id = NEW.file_id)
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  `,
  // 32: an album's loudness counts each recording once (album-loudness.ts), so its figures follow the
  // grouping of files into recordings: a file with album figures that joins a recording held by another
  // file, leaves one, or moves to another, moves in the change feed, and the next round figures its album
  // again. Until now they followed only the files' own changes: an album measured before its copies were
  // grouped counted each copy as a track until a rescan. Those figures are made again: each file with
  // album figures that is one of several copies moves in the feed (one change_seq each, after the last).
  `
  CREATE TRIGGER album_member_grouped AFTER INSERT ON recording_members
    WHEN EXISTS (SELECT 1 FROM album_loudness WHERE file_id = NEW.file_id)
      AND EXISTS (SELECT 1 FROM recording_members WHERE group_id = NEW.group_id AND file_id != NEW.file_id)
    BEGIN
      UPDATE files SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM files) WHERE id = NEW.file_id;
    END;
  CREATE TRIGGER album_member_regrouped AFTER UPDATE OF group_id ON recording_members
    WHEN OLD.group_id IS NOT NEW.group_id
      AND EXISTS (SELECT 1 FROM album_loudness WHERE file_id = NEW.file_id)
    BEGIN
      UPDATE files SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM files) WHERE id = NEW.file_id;
    END;
  CREATE TRIGGER album_member_ungrouped AFTER DELETE ON recording_members
    WHEN EXISTS (SELECT 1 FROM album_loudness WHERE file_id = OLD.file_id)
      AND EXISTS (SELECT 1 FROM recording_members WHERE group_id = OLD.group_id)
    BEGIN
      UPDATE files SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM files) WHERE id = OLD.file_id;
    END;
  UPDATE files SET change_seq = moved.seq
  FROM (
    SELECT a.file_id AS id,
      (SELECT coalesce(max(change_seq), 0) FROM files) + row_number() OVER (ORDER BY a.file_id) AS seq
    FROM album_loudness a JOIN recording_members m ON m.file_id = a.file_id
    WHERE EXISTS (SELECT 1 FROM recording_members o WHERE o.group_id = m.group_id AND o.file_id != m.file_id)
  ) AS moved
  WHERE files.id = moved.id;
  `,
  // 33: the album year each file on an album is served with (\$albumyear in the default path template: one
  // folder per album), derived from its album's tracks (app/core/library/album-years.ts) with the album it
  // was derived on and the file's own year then (what moves it). Kept up to date by the edits and scans
  // that change files, and by following the change feed from album_years_state.seq: from 0, so the first
  // process to follow it derives every album of a library made before.
  // (Written to run again harmlessly, as a test reopening a library as an older version's runs it.)
  `
  CREATE TABLE IF NOT EXISTS album_years (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    artist TEXT NOT NULL,
    album TEXT NOT NULL,
    own TEXT,
    year TEXT
  );
  CREATE TABLE IF NOT EXISTS album_years_state (seq INTEGER NOT NULL);
  INSERT INTO album_years_state (seq) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM album_years_state);
  `,
  // 34: journal entries a mount could not apply (app/core/library/set-aside-saves.ts): damaged, accepted for
  // another library, or refused by the library (a file gone), kept with the reason until the user applies
  // or discards them, so that they never hold back the saves after them.
  `
  CREATE TABLE set_aside_saves (
    id TEXT PRIMARY KEY,
    path TEXT,
    accepted_at INTEGER,
    set_aside_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    entry BLOB NOT NULL
  ) WITHOUT ROWID;
  `,
  // 35: the edit history bounded (app/core/library/history-prune.ts): batches up to `through` are past it,
  // no longer listed, undone or redone; those up to `folded` keep only what still shows (an undone one is
  // deleted, an active one keeps the rows no later pruned batch replaced). `at`, `batches` and `days`:
  // when it was last pruned and the rule then, said when an undo reaches past it.
  `
  CREATE TABLE IF NOT EXISTS history_pruned (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    through INTEGER NOT NULL,
    folded INTEGER NOT NULL,
    at INTEGER,
    batches INTEGER,
    days INTEGER
  );
  INSERT OR IGNORE INTO history_pruned (id, through, folded) VALUES (1, 0, 0);
  `,
  // 36: what a listener does with the library's tracks, albums and artists, as Subsonic clients report it
  // (app/core/library/listening.ts): plays and the last play of a file, stars and ratings of a file, an
  // album (its album artist and title, as album-tile.ts groups it) or an artist. Kept apart from the
  // tags: none of it is an edit, nothing is served from it, and marks_state.seq moves with each change.
  `
  CREATE TABLE IF NOT EXISTS track_marks (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    plays INTEGER NOT NULL DEFAULT 0,
    played_at INTEGER,
    starred_at INTEGER,
    rating INTEGER CHECK (rating BETWEEN 1 AND 5)
  );
  CREATE TABLE IF NOT EXISTS group_marks (
    kind TEXT NOT NULL CHECK (kind IN ('album', 'artist')),
    artist TEXT NOT NULL,
    album TEXT NOT NULL,
    starred_at INTEGER,
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    PRIMARY KEY (kind, artist, album)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS marks_state (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
  INSERT OR IGNORE INTO marks_state (id, seq) VALUES (1, 0);
  CREATE TRIGGER IF NOT EXISTS track_marks_added AFTER INSERT ON track_marks
    BEGIN UPDATE marks_state SET seq = seq + 1; END;
  CREATE TRIGGER IF NOT EXISTS track_marks_changed AFTER UPDATE ON track_marks
    BEGIN UPDATE marks_state SET seq = seq + 1; END;
  CREATE TRIGGER IF NOT EXISTS group_marks_added AFTER INSERT ON group_marks
    BEGIN UPDATE marks_state SET seq = seq + 1; END;
  CREATE TRIGGER IF NOT EXISTS group_marks_changed AFTER UPDATE ON group_marks
    BEGIN UPDATE marks_state SET seq = seq + 1; END;
  `,
  // 37: a save through the mount merged by field (app/core/library/save-merge.ts): a field the tagger changed
  // that an edit changed since the tagger read the file keeps the library's value, and the tagger's is kept
  // here with both others until the user takes it or keeps the library's. A redo's time is kept, and the
  // undo time it cleared, so that a batch redone after a tagger read counts as a change since, and as
  // undone when the tagger read.
  `
  ALTER TABLE edit_batches ADD COLUMN redone_at INTEGER;
  -- When the batch's edits could first be seen: the transaction that made it count (a save that waited in
  -- a journal is dated when the tagger saved, but seen once applied), or the end of its derivation (a
  -- large batch's files show its values as they are derived). NULL: at created_at.
  ALTER TABLE edit_batches ADD COLUMN counted_at INTEGER;
  ALTER TABLE edit_batches ADD COLUMN redo_cleared_undo_at INTEGER;
  CREATE TABLE IF NOT EXISTS save_conflicts (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    path TEXT NOT NULL,
    library TEXT NOT NULL CHECK (json_valid(library)),
    tagger TEXT NOT NULL CHECK (json_valid(tagger)),
    read TEXT NOT NULL CHECK (json_valid(read)),
    batch_id INTEGER,
    resolved TEXT CHECK (resolved IN ('taken', 'kept')),
    resolved_at INTEGER
  );
  CREATE INDEX IF NOT EXISTS save_conflicts_open ON save_conflicts(resolved, id);
  -- The files an edit batch not undone edits (tags or pictures), with when the oldest such batch was made,
  -- kept by EffectiveTags.refresh: a copy that arrives after another copy of its recording was edited does
  -- not take over from it (copy-rank.ts), and a change here moves the kept copies (copies_state).
  -- Why a file's audio could not be decoded at all, from the scan's analysis (NULL: it decoded, or was not
  -- tried): such a file is listed with its reason but served to no player (the mount, Subsonic).
  ALTER TABLE files ADD COLUMN undecodable TEXT;
  CREATE TABLE IF NOT EXISTS edited_files (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    since INTEGER NOT NULL
  );
  INSERT OR IGNORE INTO edited_files (file_id, since)
    SELECT file_id, min(created_at) FROM (
      SELECT e.file_id, b.created_at FROM edits e JOIN edit_batches b ON b.id = e.batch_id AND b.undone_at IS NULL
      UNION ALL
      SELECT a.file_id, b.created_at FROM art_edits a JOIN edit_batches b ON b.id = a.batch_id AND b.undone_at IS NULL)
    GROUP BY file_id;
  `,
  // 38: what a listener leaves to pick up on another device (the Subsonic server's play queues and
  // bookmarks), per user name; a song that leaves the library leaves them.
  `
  CREATE TABLE IF NOT EXISTS play_queues (
    user TEXT PRIMARY KEY,
    -- The queued files' ids, in order.
    entries TEXT NOT NULL CHECK (json_valid(entries)),
    -- The index in entries of the song playing (NULL: none), and how far into it (ms).
    current INTEGER,
    position INTEGER NOT NULL DEFAULT 0,
    changed_at INTEGER NOT NULL,
    -- The client that saved it (its c parameter).
    changed_by TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS bookmarks (
    user TEXT NOT NULL,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    comment TEXT,
    created_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (user, file_id)
  );
  `,
  // 39: the user's rules for which copy of a recording is kept (app/core/library/copy-rules.ts), in order:
  // a folder's copies, a format's, or the copy the library had first. A change moves the kept copies.
  `
  CREATE TABLE IF NOT EXISTS copy_rules (
    place INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('folder', 'format', 'first')),
    value TEXT NOT NULL DEFAULT ''
  );
  CREATE TRIGGER IF NOT EXISTS copies_rule_added AFTER INSERT ON copy_rules
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  CREATE TRIGGER IF NOT EXISTS copies_rule_removed AFTER DELETE ON copy_rules
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  CREATE TRIGGER IF NOT EXISTS copies_rule_changed AFTER UPDATE ON copy_rules
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  `,
  // 40: a file's audio's edge clear of its noise floor (Hz) and how far it falls there (dB), measured with
  // its loudness (bandwidth-meter.ts): a lossy encoder's low-pass told from music's own roll-off
  // (app/core/audio/lossy-cut.ts).
  `
  ALTER TABLE loudness ADD COLUMN edge REAL;
  ALTER TABLE loudness ADD COLUMN cliff REAL;
  `,
  // 41: a large set-aside save (its cover art) kept by reference: its journal line in a file of its own
  // (app/core/library/set-aside-saves.ts), named here, the entry left empty.
  `
  ALTER TABLE set_aside_saves ADD COLUMN entry_file TEXT;
  `,
  // 42: the internet radio stations the Subsonic server lists (app/core/library/radio-stations.ts), added
  // on the server with `sleeve subsonic radio`.
  `
  CREATE TABLE IF NOT EXISTS radio_stations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    stream_url TEXT NOT NULL,
    home_page_url TEXT,
    added_at INTEGER NOT NULL
  );
  `,
  // 43: each suggested field's values and how many tracks use each (the field table's `suggest`), kept
  // as the effective tags change (app/core/library/tag-value-counts.ts), for the editor's suggestions as
  // the user types (suggest-values.ts). The list is the field table's when this was written: a field
  // flagged since needs a migration counting it (tests/unit/suggest-values.test.ts says so).
  `
  CREATE TABLE IF NOT EXISTS tag_values (
    key TEXT NOT NULL,
    fold TEXT NOT NULL,
    value TEXT NOT NULL,
    uses INTEGER NOT NULL,
    PRIMARY KEY (key, fold)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS tag_values_by_use ON tag_values(key, uses DESC);
  INSERT INTO tag_values (key, fold, value, uses)
    SELECT lower(key), fold, min(value), count(*) FROM tags WHERE key IN ('artist', 'artists', 'album', 'albumartist', 'genre', 'composer', 'lyricist', 'writer', 'conductor', 'performer', 'producer', 'remixer', 'arranger', 'engineer', 'mixer', 'djmixer', 'director', 'grouping', 'work', 'mood', 'label', 'media', 'language', 'releasetype', 'releasestatus', 'releasecountry', 'artistsort', 'albumartistsort', 'composersort', 'albumsort', 'key') GROUP BY lower(key), fold;
  `,
  // 44: what a conflict came from: a save through a mount (a tagger's) or an import of tags as text
  // (app/core/library/tags-import.ts), so each is said in its own words.
  `
  ALTER TABLE save_conflicts ADD COLUMN source TEXT NOT NULL DEFAULT 'mount';
  `,
  // 45: saved actions, a named sequence of tag tools run as one edit (app/core/library/tag-tools/actions.ts);
  // the steps as JSON, checked by the tools' schema whenever they are read.
  `
  CREATE TABLE IF NOT EXISTS actions (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    steps TEXT NOT NULL,
    saved_at INTEGER NOT NULL
  );
  `,
  // 46: the Subsonic server's shares (app/core/library/shares.ts): a public link to songs, made by a user,
  // that expires and can be revoked; its files' ids as JSON, a song gone from the library left out.
  `
  CREATE TABLE IF NOT EXISTS shares (
    id TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    description TEXT,
    entries TEXT NOT NULL CHECK (json_valid(entries)),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    last_visited INTEGER,
    visit_count INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS shares_by_user ON shares(user, created_at);
  `,
  // 47: what tells an album from others of its album artist and name (\$albumunique, beets' %aunique{}),
  // derived beside its year (app/core/library/album-years.ts): each file's release as derived (a hash of its
  // release id and the values that may tell releases apart) and its album's text. Only albums of two or
  // more release ids have a text: their files are put in the change feed, which derives them again; every
  // other album's release is noted when one of its files next changes (following the whole feed again
  // took 95 s at a million tracks).
  `
  ALTER TABLE album_years ADD COLUMN release TEXT;
  ALTER TABLE album_years ADD COLUMN disambig TEXT;
  ${ALBUMS_OF_RELEASES_MOVED}
  `,
  // 48: what tells a track on no album from others of its artist and title (\$singletonunique, beets'
  // %sunique{}), derived with the album years (app/core/library/album-years.ts): such a track's row holds
  // its first artist, album '', its title, its recording and its text. Copies of one recording count once,
  // so a track whose recording changes moves in the change feed. The tracks that share an artist and title
  // now are put in the feed, which derives them; the rest when one of them next changes (finding them: 0.95 s
  // at a million tracks, each on an album). Each file moved takes a number of its own: a round of the
  // derivation takes a few hundred, and the files 47 moved under one number beyond those were passed
  // over; they are moved again.
  `
  ALTER TABLE album_years ADD COLUMN title TEXT;
  CREATE TRIGGER single_member_grouped AFTER INSERT ON recording_members
    WHEN EXISTS (SELECT 1 FROM album_years WHERE file_id = NEW.file_id AND album = '')
    BEGIN
      UPDATE files SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM files) WHERE id = NEW.file_id;
    END;
  CREATE TRIGGER single_member_regrouped AFTER UPDATE OF group_id ON recording_members
    WHEN OLD.group_id IS NOT NEW.group_id
      AND EXISTS (SELECT 1 FROM album_years WHERE file_id = NEW.file_id AND album = '')
    BEGIN
      UPDATE files SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM files) WHERE id = NEW.file_id;
    END;
  CREATE TRIGGER single_member_ungrouped AFTER DELETE ON recording_members
    WHEN EXISTS (SELECT 1 FROM album_years WHERE file_id = OLD.file_id AND album = '')
    BEGIN
      UPDATE files SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM files) WHERE id = OLD.file_id;
    END;
  ${ALBUMS_OF_RELEASES_MOVED}
  UPDATE files SET change_seq = moved.seq
  FROM (
    WITH single AS (
      SELECT t.file_id AS id, t.value AS title,
        coalesce((SELECT value FROM tags WHERE file_id = t.file_id AND key = 'artist' AND idx = 0), '') AS artist
      FROM tags t JOIN files f ON f.id = t.file_id AND f.status = 'ok'
      WHERE t.key = 'title' AND t.idx = 0
        AND coalesce((SELECT value FROM tags WHERE file_id = t.file_id AND key = 'album' AND idx = 0), '') = ''
    )
    SELECT s.id, (SELECT coalesce(max(change_seq), 0) FROM files) + row_number() OVER (ORDER BY s.id) AS seq
    FROM single s
    JOIN (SELECT artist, title FROM single GROUP BY artist, title HAVING count(*) > 1) d
      ON d.artist = s.artist AND d.title = s.title
  ) AS moved
  WHERE files.id = moved.id;
  `,
  // 49: a watcher's look finds the files it wrote (their analysis) and where a new file may have moved
  // from (its inode) through an index each: both had walked every file (in a profile of a look at a
  // million tracks, 1.5 s and 0.3 s; BENCHMARKS.md, million, says what a look costs now).
  `
  CREATE INDEX IF NOT EXISTS files_by_scan ON files(scanned_at);
  CREATE INDEX IF NOT EXISTS files_by_inode ON files(inode);
  `,
  // 50: the full-text entries hold a file's path within its library folder, not the folder's own path,
  // whose trigrams were words of every file (searched-path.ts says why). Written again whole, then merged
  // into one segment (at 100,000 tracks: 1.2 s, then 0.75 s; the index 63 → 46 MB).
  `
  INSERT INTO search(search) VALUES ('delete-all');
  INSERT INTO search (rowid, path, text)
  SELECT s.file_id, ${searchedPathSql('f')}, (SELECT group_concat(value, char(10)) FROM tags WHERE file_id = f.id)
  FROM search_folded s JOIN files f ON f.id = s.file_id;
  UPDATE search_folded SET text = fold(${searchedPathSql('f')})
    || coalesce(char(10) || (SELECT group_concat(fold, char(10)) FROM tags WHERE file_id = f.id), '')
  FROM files f WHERE f.id = search_folded.file_id;
  INSERT INTO search(search) VALUES ('optimize');
  `,
  // 51: the full-text index keeps which files hold each trigram, not where (detail=none): a word of more
  // than three characters is matched as all its trigrams, then found in each such file's folded text
  // (query-sql.ts). At a million tracks the index is a quarter of the size (278 → 64 MB built alike), a
  // word in every file lists a quarter of the bytes when a merge writes it (the longest merge steps had
  // held the write lock 74–238 ms), and the index is built in two thirds of the time.
  `
  DROP TABLE search;
  CREATE VIRTUAL TABLE search USING fts5(path, text, tokenize = 'trigram', content = '', contentless_delete = 1,
    detail = none);
  INSERT INTO search(search, rank) VALUES ('automerge', 0);
  INSERT INTO search (rowid, path, text)
  SELECT s.file_id, ${searchedPathSql('f')}, (SELECT group_concat(value, char(10)) FROM tags WHERE file_id = f.id)
  FROM search_folded s JOIN files f ON f.id = s.file_id;
  INSERT INTO search(search) VALUES ('optimize');
  `,
  // 52: Greek's final sigma folds to σ (fold.ts says why): each folded column holding ς is folded again,
  // values of the editor's suggestions that now fold alike are counted as one, and the similarity table's
  // rows of such files are written again by its next sync (its filter values are folded too). The tags
  // holding ς are found through the index on (key, fold), smaller than the table: 0.3 s, not 4.1, at a
  // million tracks.
  `
  UPDATE similarity_rows SET change_seq = -1
    WHERE file_id IN (SELECT file_id FROM tags WHERE instr(fold, 'ς') > 0);
  UPDATE tags SET fold = replace(fold, 'ς', 'σ')
    WHERE (file_id, key, idx) IN (SELECT file_id, key, idx FROM tags INDEXED BY tags_by_key WHERE instr(fold, 'ς') > 0);
  UPDATE search_folded SET text = replace(text, 'ς', 'σ') WHERE instr(text, 'ς') > 0;
  INSERT INTO tag_values (key, fold, value, uses)
    SELECT key, replace(fold, 'ς', 'σ'), min(value), sum(uses) FROM tag_values WHERE instr(fold, 'ς') > 0
    GROUP BY key, replace(fold, 'ς', 'σ')
    ON CONFLICT (key, fold) DO UPDATE SET uses = uses + excluded.uses;
  DELETE FROM tag_values WHERE instr(fold, 'ς') > 0;
  `,
  // 53: a merge step of the full-text index never picks a level for its deleted rows alone (deletemerge 0;
  // FTS5's default is a tenth of its rows). A retag of a tenth of a million files made the largest level
  // such a merge's, in the retag's own derivation chunks, whose steps each wrote a word's whole list of
  // files: 108–424 ms holding the write lock. The upkeep's merge-down does those merges (search-merge.ts).
  `
  INSERT INTO search(search, rank) VALUES ('deletemerge', 0);
  `,
  // 54: accents of Latin and Greek letters folded away (fold.ts), and the full-text index's entries folded
  // text. Only text holding a character outside ASCII can fold otherwise, and SQLite tells it in C: its
  // length in characters is not its length in bytes. The tags are found through the index on (key, fold);
  // the files whose text holds such a character are indexed again (the index had their tags as they are,
  // its tokenizer lowering fewer capitals than fold does), their similarity rows when their tags fold
  // otherwise; values of the editor's suggestions that now fold alike are counted as one. A million
  // tracks, a seventh of them accented: 18 s, 7 of them the tags' index rewritten.
  `
  CREATE TEMP TABLE refolded AS
    SELECT file_id FROM search_folded WHERE length(text) <> length(CAST(text AS BLOB));
  UPDATE similarity_rows SET change_seq = -1
    WHERE file_id IN (SELECT file_id FROM tags INDEXED BY tags_by_key
                      WHERE length(fold) <> length(CAST(fold AS BLOB)) AND fold <> fold(fold));
  UPDATE tags SET fold = fold(value)
    WHERE (file_id, key, idx) IN (SELECT file_id, key, idx FROM tags INDEXED BY tags_by_key
                                  WHERE length(fold) <> length(CAST(fold AS BLOB)) AND fold <> fold(fold));
  UPDATE search_folded SET text = fold(text) WHERE file_id IN (SELECT file_id FROM refolded);
  DELETE FROM search WHERE rowid IN (SELECT file_id FROM refolded);
  INSERT INTO search (rowid, path, text)
    SELECT r.file_id, fold(${searchedPathSql('f')}), (SELECT group_concat(fold, char(10)) FROM tags WHERE file_id = f.id)
    FROM refolded r JOIN files f ON f.id = r.file_id;
  DROP TABLE refolded;
  INSERT INTO tag_values (key, fold, value, uses)
    SELECT key, fold(fold), min(value), sum(uses) FROM tag_values
    WHERE length(fold) <> length(CAST(fold AS BLOB)) AND fold <> fold(fold)
    GROUP BY key, fold(fold)
    ON CONFLICT (key, fold) DO UPDATE SET uses = uses + excluded.uses;
  DELETE FROM tag_values WHERE length(fold) <> length(CAST(fold AS BLOB)) AND fold <> fold(fold);
  `,
  // 55: a lossy file read through music-metadata has no bit depth (read-track.ts: an AAC's 16 was its MP4's
  // field), so that \`bitdepth:\` lists lossless files and a copy is not kept for it. WavPack's lossy (hybrid)
  // files keep theirs: its own reader reads the depth its source had.
  `
  UPDATE files SET bit_depth = NULL WHERE lossless = 0 AND bit_depth IS NOT NULL AND format <> 'wavpack';
  `,
  // 56: how far under the music two lossy copies of a recording differ (transcode-residuals.ts), for a copy
  // that may be transcoded from the other (copy_id from source_id) where loudness cannot tell: db NULL with
  // a note when they could not be decoded, or were silent. With the two integrated loudness figures it was
  // measured beside: a row counts while both files measure so (a new loudness figure means new audio; a
  // rewrite of the tags alone measures the same, and the pair is not decoded again). A measure can move
  // the kept copy (copies_state). The recordings whose pairs may wait (residual_groups_due): one a file
  // joins beside another, where a partial copy becomes a full one, or whose member was measured again, so
  // that a scan looks at those, not at every recording of a million tracks; at the upgrade, every
  // recording of two copies or more.
  `
  CREATE TABLE copy_residuals (
    copy_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    copy_lufs REAL NOT NULL,
    source_lufs REAL NOT NULL,
    db REAL,
    note TEXT,
    computed_at INTEGER NOT NULL,
    PRIMARY KEY (copy_id, source_id)
  ) WITHOUT ROWID;
  CREATE TABLE residual_groups_due (group_id INTEGER PRIMARY KEY);
  INSERT INTO residual_groups_due
    SELECT group_id FROM recording_members GROUP BY group_id HAVING count(*) > 1;
  CREATE TRIGGER residuals_due_measured AFTER INSERT ON loudness
    BEGIN
      INSERT OR IGNORE INTO residual_groups_due SELECT m.group_id FROM recording_members m
        WHERE m.file_id = NEW.file_id
          AND EXISTS (SELECT 1 FROM recording_members o WHERE o.group_id = m.group_id AND o.file_id <> m.file_id);
    END;
  CREATE TRIGGER residuals_due_grouped AFTER INSERT ON recording_members
    WHEN EXISTS (SELECT 1 FROM recording_members o WHERE o.group_id = NEW.group_id AND o.file_id <> NEW.file_id)
    BEGIN INSERT OR IGNORE INTO residual_groups_due VALUES (NEW.group_id); END;
  CREATE TRIGGER residuals_due_regrouped AFTER UPDATE OF group_id, partial_offset ON recording_members
    WHEN (OLD.group_id IS NOT NEW.group_id OR (OLD.partial_offset IS NOT NULL AND NEW.partial_offset IS NULL))
      AND EXISTS (SELECT 1 FROM recording_members o WHERE o.group_id = NEW.group_id AND o.file_id <> NEW.file_id)
    BEGIN INSERT OR IGNORE INTO residual_groups_due VALUES (NEW.group_id); END;
  CREATE TRIGGER copies_residual_measured AFTER INSERT ON copy_residuals
    WHEN NEW.db IS NOT NULL
    BEGIN UPDATE copies_state SET seq = seq + 1; END;
  `,
  // 57: an album's tile is named composed (album-tile.ts, canonical-name.ts), so an album its files spell
  // in both canonical forms is one album, with one year and one loudness. The files whose album year or
  // album figures were derived under a name that may be decomposed go through the change feed again, so
  // that both are derived over the album as it is named now.
  `
  UPDATE files SET change_seq = moved.seq
  FROM (
    SELECT id, (SELECT coalesce(max(change_seq), 0) FROM files) + row_number() OVER (ORDER BY id) AS seq
    FROM (
      SELECT file_id AS id FROM album_years
        WHERE ${mayBeDecomposedSql('artist')} OR ${mayBeDecomposedSql('album')}
      UNION
      SELECT file_id FROM album_loudness
        WHERE ${mayBeDecomposedSql('artist')} OR ${mayBeDecomposedSql('album')}
    )
  ) AS moved
  WHERE files.id = moved.id;
  `,
  // 58: each effective tag value outside ASCII that NFC changes keeps its composed form beside it
  // (canonical-name.ts: composedIfOther), which the album grid, the artist list and the album derivations
  // group by, instead of composing each name as they group it.
  `
  ALTER TABLE tags ADD COLUMN composed TEXT;
  UPDATE tags SET composed = nfc(value) WHERE ${mayBeDecomposedSql('value')};
  `,
  // 59: each image's colour depth (image-size.ts), which a FLAC or Ogg picture block states beside its
  // width and height (a size without its depth is refused by Ogg Opus's checks).
  `
  ALTER TABLE art ADD COLUMN depth INTEGER;
  UPDATE art SET depth = image_depth(data) WHERE width IS NOT NULL;
  `,
  // 60: reader 12 reads beets' second names of the numbers and the date's year (read-track.ts): a file read
  // by reader 11 that holds none of them reads the same, and is not read again for it.
  `
  UPDATE files SET reader_version = 12 WHERE reader_version = 11 AND NOT EXISTS (
    SELECT 1 FROM file_tags t WHERE t.file_id = files.id AND t.key IN ('track', 'trackc', 'disc', 'discc', 'year'));
  `,
  // 61: how many discs an album has (\$multidisc, which the default path template asks before it writes a
  // disc prefix), derived with the album years (app/core/library/album-years.ts): each file's own count
  // (the higher of its disc number and total) and its album's. Only an album a file of which says more than
  // one disc can take a prefix: its files are put in the change feed, each at a number of its own, which
  // derives them; every other album's count is noted when one of its files next changes (until then, what
  // its files say themselves is what they are served by: one disc).
  `
  ALTER TABLE album_years ADD COLUMN own_discs INTEGER;
  ALTER TABLE album_years ADD COLUMN discs INTEGER;
  ${inTheFeed(`SELECT a.file_id AS id FROM album_years a
    JOIN (
      SELECT DISTINCT y.artist, y.album FROM tags t JOIN album_years y ON y.file_id = t.file_id
      WHERE t.key IN ('discnumber', 'totaldiscs') AND t.idx = 0 AND CAST(t.value AS INTEGER) > 1 AND y.album <> ''
    ) m ON m.artist = a.artist AND m.album = a.album`)}
  `,
  // 62: the recordings each change of the kept copies touched, logged beside copies_state
  // (copies-touched.ts), so that a list made before it is patched after ranking those alone. Every
  // trigger that raised copies_state now logs its recordings too; rankings held from before are made
  // whole (every recording logged at the current seq).
  `
  CREATE TABLE copies_touched (group_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
  CREATE INDEX copies_touched_by_seq ON copies_touched(seq);
  INSERT INTO copies_touched (group_id, seq) SELECT ${EVERY_RECORDING}, seq FROM copies_state;
  ${copiesTrigger('copies_member_added', 'AFTER INSERT ON recording_members', 'SELECT NEW.group_id AS group_id')}
  ${copiesTrigger('copies_member_changed', 'AFTER UPDATE ON recording_members', 'SELECT OLD.group_id AS group_id UNION SELECT NEW.group_id')}
  ${copiesTrigger('copies_member_removed', 'AFTER DELETE ON recording_members', 'SELECT OLD.group_id AS group_id')}
  ${copiesTrigger('copies_choice_added', 'AFTER INSERT ON preferred_copies', GROUP_OF_NEW_FILE)}
  ${copiesTrigger('copies_choice_removed', 'AFTER DELETE ON preferred_copies', 'SELECT group_id FROM recording_members WHERE file_id = OLD.file_id')}
  ${copiesTrigger(
    'copies_member_file_changed',
    `AFTER UPDATE OF status, lossless, bit_depth, sample_rate, bitrate, warning, duration ON files
    WHEN EXISTS (SELECT 1 FROM recording_members WHERE file_id = NEW.id)`,
    'SELECT group_id FROM recording_members WHERE file_id = NEW.id',
  )}
  ${copiesTrigger(
    'copies_member_measured',
    'AFTER INSERT ON loudness WHEN EXISTS (SELECT 1 FROM recording_members WHERE file_id = NEW.file_id)',
    GROUP_OF_NEW_FILE,
  )}
  ${copiesTrigger(
    'copies_member_remeasured',
    'AFTER UPDATE ON loudness WHEN EXISTS (SELECT 1 FROM recording_members WHERE file_id = NEW.file_id)',
    GROUP_OF_NEW_FILE,
  )}
  ${copiesTrigger('copies_rule_added', 'AFTER INSERT ON copy_rules', `SELECT ${EVERY_RECORDING} AS group_id`)}
  ${copiesTrigger('copies_rule_removed', 'AFTER DELETE ON copy_rules', `SELECT ${EVERY_RECORDING} AS group_id`)}
  ${copiesTrigger('copies_rule_changed', 'AFTER UPDATE ON copy_rules', `SELECT ${EVERY_RECORDING} AS group_id`)}
  ${copiesTrigger(
    'copies_residual_measured',
    'AFTER INSERT ON copy_residuals WHEN NEW.db IS NOT NULL',
    'SELECT group_id FROM recording_members WHERE file_id IN (NEW.copy_id, NEW.source_id)',
  )}
  `,
  // 63: a copy's folder, format and time of arrival decide its place too (the user's copy rules): a
  // change of one touches its recording, as a change of its quality does.
  `
  ${copiesTrigger(
    'copies_member_file_changed',
    `AFTER UPDATE OF status, lossless, bit_depth, sample_rate, bitrate, warning, duration, path, format, added_at
    ON files WHEN EXISTS (SELECT 1 FROM recording_members WHERE file_id = NEW.id)`,
    'SELECT group_id FROM recording_members WHERE file_id = NEW.id',
  )}
  `,
  // 64: an album's loudness counts, of a recording held more than once on it, the copy it lists (its kept
  // copy, else the best placed: album-loudness.ts), so its figures follow the kept copies too:
  // album_loudness_state keeps the place in copies_touched they were figured up to (copies_seq, copies_group),
  // and copies_every the last recording looked at in a walk over every recording (after a change of the
  // copy rules; NULL: none under way). Figures made before counted the copy with the lowest id: a library
  // that has some walks every recording once.
  `
  ${followingKeptCopies('album_loudness')}
  `,
  // 65: an edit carried to another copy of its recording names the batch the user's edit was made in
  // (carried_from) and counts only while that batch is active too (edit-counts.ts): undoing the edit takes
  // it back from the copies it was carried to. Carries made before name none and stay as they were.
  `
  ALTER TABLE edits ADD COLUMN carried_from INTEGER;
  ALTER TABLE art_edits ADD COLUMN carried_from INTEGER;
  CREATE INDEX edits_carried ON edits(carried_from, file_id) WHERE carried_from IS NOT NULL;
  CREATE INDEX art_edits_carried ON art_edits(carried_from, file_id) WHERE carried_from IS NOT NULL;
  `,
  // 66: when the derivation of a large batch's latest change (its making, its undo or its redo) ended: a
  // file read between that change and then may have shown it or not, so a save merged against that read
  // counts the batch as a change since (fields-since.ts). NULL: never derived in chunks.
  `
  ALTER TABLE edit_batches ADD COLUMN settled_at INTEGER;
  `,
  // 67: the process that saved a batch through a mount (kit/process-alive.ts: processIdentity), so that a
  // daemon started after the one it saved through knows the process's earlier saves as its own
  // (app/core/mounted/reader-base.ts). NULL: another origin, or saved before.
  `
  ALTER TABLE edit_batches ADD COLUMN writer TEXT;
  `,
  // 68: a process's saves found by the writer they name (each save through a mount of a process that ran
  // before the daemon looks its own up: reader-base.ts).
  `
  CREATE INDEX edit_batches_by_writer ON edit_batches(writer) WHERE writer IS NOT NULL;
  `,
  // 69: reader 13 reads INITIALKEY (beets', Mp3tag's) as the key (read-track.ts): a file read by reader 12
  // that holds none reads the same, and is not read again for it.
  `
  UPDATE files SET reader_version = 13 WHERE reader_version = 12 AND NOT EXISTS (
    SELECT 1 FROM file_tags t WHERE t.file_id = files.id AND t.key = 'initialkey');
  `,
  // 70: a process's earlier saves of a file are found from the file's own edits (reader-base.ts): the
  // index of migration 68 led the planner through every batch the process had saved, one save costing as
  // much as all before it.
  `
  DROP INDEX IF EXISTS edit_batches_by_writer;
  `,
  // 71: an album's year, discs and releases count, of a recording held more than once on it, the copy it
  // lists (album-copies.ts), as its loudness does since 64, and follow the kept copies from the place in
  // copies_touched album_years_state keeps. Years derived before counted every copy (or those the user
  // dated): a library that has some walks every recording once. And each release of an album has a year
  // and discs of its own: the files of an album of two releases or more are derived again (their
  // releases as derived forgotten, so the round that meets them in the change feed looks again).
  `
  ${followingKeptCopies('album_years')}
  ${inTheFeed(`SELECT file_id AS id FROM album_years WHERE ${OF_SEVERAL_RELEASES}`)}
  UPDATE album_years SET release = NULL WHERE ${OF_SEVERAL_RELEASES};
  `,
  // 72: the edit batch that took a conflict's other value (save-conflicts.ts): while it is undone, the
  // conflict waits for the user's word again. NULL: kept, taken with nothing to change, or taken before.
  `
  ALTER TABLE save_conflicts ADD COLUMN taken_batch INTEGER;
  `,
  // 73: a track on no album keeps its recording in album_years.release as album-copies.ts names a file's
  // recording (RECORDING_OF_FILE: its group, else its file's id negated), as text; before, 'g' and the
  // group or 'f' and the file. The same recording either way: the rows are rewritten, none derived again.
  `
  UPDATE album_years
  SET release = CASE substr(release, 1, 1) WHEN 'g' THEN substr(release, 2) ELSE '-' || substr(release, 2) END
  WHERE album = '' AND substr(release, 1, 1) IN ('g', 'f');
  -- And a smart playlist's query reads as it did when it was saved: this version's query language reads
  -- -word, =word, field:=~x and \\: as beets does (query-earlier-reading.ts). Added after 73 was released,
  -- with that language: a library at 73 saved its queries in it, and is rightly not rewritten.
  UPDATE playlists SET query = query_as_before(query)
  WHERE query IS NOT NULL AND query_as_before(query) <> query;
  `,
  // 74: the files whose row in the similarity table may be out of date, noted as they change
  // (similarity-sync.ts), so that a sync looks at them alone: comparing every file with a vector against
  // the table's record took about 2 s at a million tracks, in every "more like this" after any edit (and
  // telling whether anything had changed 0.4 s, in each one). A file is due again, with a new seq, when it
  // changes while a sync looks at it. similarity_synced names the extractor the table was last compared
  // with whole: until it is this one's, a sync compares every file (as it does for a library migrated
  // here: deleting the row asks for that, as a migration that changes what the rows hold would).
  `
  CREATE TABLE similarity_due (seq INTEGER PRIMARY KEY AUTOINCREMENT, file_id INTEGER NOT NULL UNIQUE);
  CREATE TABLE similarity_synced (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    extractor TEXT NOT NULL,
    version INTEGER NOT NULL
  );
  CREATE TRIGGER similarity_due_embedded AFTER INSERT ON embeddings
    BEGIN INSERT OR REPLACE INTO similarity_due (file_id) VALUES (NEW.file_id); END;
  CREATE TRIGGER similarity_due_embedded_again AFTER UPDATE ON embeddings
    BEGIN INSERT OR REPLACE INTO similarity_due (file_id) VALUES (NEW.file_id); END;
  CREATE TRIGGER similarity_due_unembedded AFTER DELETE ON embeddings
    BEGIN INSERT OR REPLACE INTO similarity_due (file_id) VALUES (OLD.file_id); END;
  -- Its tags (change_seq follows every change of them), its presence or its content.
  CREATE TRIGGER similarity_due_file_changed AFTER UPDATE OF change_seq, status, size, mtime_ms ON files
    WHEN EXISTS (SELECT 1 FROM embeddings WHERE file_id = NEW.id)
    BEGIN INSERT OR REPLACE INTO similarity_due (file_id) VALUES (NEW.id); END;
  CREATE TRIGGER similarity_due_grouped AFTER INSERT ON recording_members
    WHEN EXISTS (SELECT 1 FROM embeddings WHERE file_id = NEW.file_id)
    BEGIN INSERT OR REPLACE INTO similarity_due (file_id) VALUES (NEW.file_id); END;
  CREATE TRIGGER similarity_due_regrouped AFTER UPDATE OF group_id ON recording_members
    WHEN OLD.group_id IS NOT NEW.group_id AND EXISTS (SELECT 1 FROM embeddings WHERE file_id = NEW.file_id)
    BEGIN INSERT OR REPLACE INTO similarity_due (file_id) VALUES (NEW.file_id); END;
  CREATE TRIGGER similarity_due_ungrouped AFTER DELETE ON recording_members
    WHEN EXISTS (SELECT 1 FROM embeddings WHERE file_id = OLD.file_id)
    BEGIN INSERT OR REPLACE INTO similarity_due (file_id) VALUES (OLD.file_id); END;
  `,
  // 75: a playlist made on a Subsonic client is its user's (app/server/subsonic/playlists.ts): every user
  // sees it, only its own changes or removes it there. NULL: made in Sleeve (the app, the CLI, an import).
  `
  ALTER TABLE playlists ADD COLUMN owner TEXT;
  `,
  // 76: what the library map is projected from changed (library-map.ts's projectionVersion): a vector
  // came, changed or went, or a file holding one changed presence, content or recording (the axes are
  // the recordings'). Counted as it happens, so that a map request tells in one read whether the
  // projection it holds is current: counting the vectors and their latest time took 0.4 s at a million
  // tracks, in each request. An edit of tags leaves it: the map is drawn from sound alone.
  `
  CREATE TABLE map_state (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
  INSERT INTO map_state (id, seq) VALUES (1, 0);
  CREATE TRIGGER map_state_embedded AFTER INSERT ON embeddings
    BEGIN UPDATE map_state SET seq = seq + 1; END;
  CREATE TRIGGER map_state_embedded_again AFTER UPDATE ON embeddings
    BEGIN UPDATE map_state SET seq = seq + 1; END;
  CREATE TRIGGER map_state_unembedded AFTER DELETE ON embeddings
    BEGIN UPDATE map_state SET seq = seq + 1; END;
  CREATE TRIGGER map_state_file_changed AFTER UPDATE OF status, size, mtime_ms ON files
    WHEN (OLD.status IS NOT NEW.status OR OLD.size IS NOT NEW.size OR OLD.mtime_ms IS NOT NEW.mtime_ms)
      AND EXISTS (SELECT 1 FROM embeddings WHERE file_id = NEW.id)
    BEGIN UPDATE map_state SET seq = seq + 1; END;
  CREATE TRIGGER map_state_grouped AFTER INSERT ON recording_members
    WHEN EXISTS (SELECT 1 FROM embeddings WHERE file_id = NEW.file_id)
    BEGIN UPDATE map_state SET seq = seq + 1; END;
  CREATE TRIGGER map_state_regrouped AFTER UPDATE OF group_id ON recording_members
    WHEN OLD.group_id IS NOT NEW.group_id AND EXISTS (SELECT 1 FROM embeddings WHERE file_id = NEW.file_id)
    BEGIN UPDATE map_state SET seq = seq + 1; END;
  CREATE TRIGGER map_state_ungrouped AFTER DELETE ON recording_members
    WHEN EXISTS (SELECT 1 FROM embeddings WHERE file_id = OLD.file_id)
    BEGIN UPDATE map_state SET seq = seq + 1; END;
  `,
  // 77: of lossy copies below transparency, the one reaching higher is kept (copy-rank.ts,
  // WIDEST_BELOW_TRANSPARENT), where the higher bitrate had been. The edits the rule finds made (the newest
  // edit batch's time, 0 in a new library), so that a copy the user edited before it (kept then) keeps
  // their edits shown; and every recording, if any, ranked again.
  `
  CREATE TABLE rank_rules_since (rule TEXT PRIMARY KEY, edits_through INTEGER NOT NULL);
  INSERT INTO rank_rules_since (rule, edits_through)
    SELECT 'widest_below_transparent', coalesce(max(created_at), 0) FROM edit_batches;
  ${copiesTouchedSql(`SELECT ${EVERY_RECORDING} AS group_id WHERE EXISTS (SELECT 1 FROM recording_members)`).join(';\n  ')};
  `,
  // 78: a Keep in the Duplicates view (or `sleeve dup --prefer`) is an edit batch in the history
  // (copy-keeps.ts): the copy chosen (NULL: back to the suggested one) and the choice it replaced, so an
  // undo or a redo can move the choice in force (preferred_copies) back or forth.
  `
  CREATE TABLE copy_keeps (
    batch_id INTEGER PRIMARY KEY REFERENCES edit_batches(id) ON DELETE CASCADE,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    kept INTEGER REFERENCES files(id) ON DELETE SET NULL,
    was INTEGER REFERENCES files(id) ON DELETE SET NULL
  );
  `,
  // 79: a copy too short for ≈ 20 s of fingerprint (a download cut at 21 s) joins its recording when its
  // ≈ 10 s or more agree almost bit for bit (recording-match.ts); one grouped alone before is marked
  // changed, so the next scan groups it again (the stale path: out of the index, then in).
  `
  UPDATE recording_members SET fingerprint_at = -1 WHERE file_id IN (
    SELECT m.file_id FROM recording_members m JOIN fingerprints p ON p.file_id = m.file_id
    WHERE p.seconds < 25
      AND NOT EXISTS (SELECT 1 FROM recording_members o WHERE o.group_id = m.group_id AND o.file_id <> m.file_id));
  `,
];
