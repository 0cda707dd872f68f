// Cover art read from the library's database as a reader reaches it: served headers leave each
// picture's place as a hole, so the daemon holds no picture data but the few pictures read last, and an
// album's cover is read once for all its tracks. One read-only connection, one reader at a time (a player
// reads a header once). A picture is found by its content hash and read whole with SQLite's incremental
// blob I/O, both in one read transaction, so the row read is the one the hash named. Whole, because a
// blob's pages form a chain: a read at an offset walks it from the start, so reading a large picture a
// window at a time, each from the start, would cost the square of its size.
#include "art.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "forward.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static sqlite3 *db;
static sqlite3_stmt *find;

int art_open(const char *library_path, char *why, size_t why_len) {
  pthread_mutex_lock(&lock);
  int ok = db != NULL;
  if (!ok) {
    // A busy writer never blocks a WAL reader for long; the timeout covers a checkpoint's moment.
    ok = sqlite3_open_v2(library_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
         sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
         sqlite3_prepare_v3(db, "SELECT rowid FROM art WHERE hash = ?", -1, SQLITE_PREPARE_PERSISTENT, &find,
                            NULL) == SQLITE_OK;
    if (!ok) {
      // Said by the caller, which throws it: nothing is served yet to take a log line.
      snprintf(why, why_len, "%s", db ? sqlite3_errmsg(db) : "out of memory");
      sqlite3_finalize(find);
      sqlite3_close(db);
      find = NULL, db = NULL;
    }
  }
  pthread_mutex_unlock(&lock);
  return ok ? 0 : -1;
}

// The pictures read last, whole, within a budget (an album's tracks share their cover).
#define CACHE_BYTES (32u << 20)
#define CACHE_SLOTS 8
static struct {
  char hash[ART_HASH_MAX + 1];
  uint8_t *data;
  uint64_t size, used;  // used: when it was last read (a counter)
} cache[CACHE_SLOTS];
static uint64_t reads;

// A free slot for `size` more bytes, the least recently read pictures dropped for it.
static uint64_t make_room(uint64_t size) {
  for (;;) {
    uint64_t held = 0, oldest = CACHE_SLOTS, free_slot = CACHE_SLOTS;
    for (uint64_t i = 0; i < CACHE_SLOTS; i++) {
      if (!cache[i].data) free_slot = i;
      else {
        held += cache[i].size;
        if (oldest == CACHE_SLOTS || cache[i].used < cache[oldest].used) oldest = i;
      }
    }
    if (free_slot < CACHE_SLOTS && held + size <= CACHE_BYTES) return free_slot;
    free(cache[oldest].data);
    cache[oldest].data = NULL;
  }
}

// Reads the picture whole into the cache, or (one larger than the cache) just the range asked for;
// the row found by hash and read in one read transaction. 0, or -1 with `why` said.
static int fetch(const char *hash, uint8_t *dst, uint64_t offset, uint64_t n, char *why, size_t why_size) {
  if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
    snprintf(why, why_size, "%s", sqlite3_errmsg(db));
    return -1;
  }
  sqlite3_bind_text(find, 1, hash, -1, SQLITE_STATIC);
  sqlite3_blob *blob = NULL;
  uint8_t *data = NULL;
  uint64_t size = 0;
  int step = sqlite3_step(find);
  if (step != SQLITE_ROW)
    snprintf(why, why_size, "%s", step == SQLITE_DONE ? "no such picture in the library" : sqlite3_errmsg(db));
  else if (sqlite3_blob_open(db, "main", "art", "data", sqlite3_column_int64(find, 0), 0, &blob) != SQLITE_OK)
    snprintf(why, why_size, "%s", sqlite3_errmsg(db));
  else if (offset + n > (size = (uint64_t)sqlite3_blob_bytes(blob)))
    snprintf(why, why_size, "the picture is shorter than its header says");
  else if (size > CACHE_BYTES) {
    if (sqlite3_blob_read(blob, dst, (int)n, (int)offset) != SQLITE_OK) snprintf(why, why_size, "%s", sqlite3_errmsg(db));
  } else if (!(data = malloc(size ? size : 1)))
    snprintf(why, why_size, "out of memory");
  else if (sqlite3_blob_read(blob, data, (int)size, 0) != SQLITE_OK)
    snprintf(why, why_size, "%s", sqlite3_errmsg(db));
  sqlite3_blob_close(blob);
  sqlite3_reset(find);
  sqlite3_clear_bindings(find);
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  if (why[0] || !data) {
    free(data);
    return why[0] ? -1 : 0;
  }
  memcpy(dst, data + offset, n);
  uint64_t slot = make_room(size);
  snprintf(cache[slot].hash, sizeof cache[slot].hash, "%s", hash);
  cache[slot].data = data;
  cache[slot].size = size;
  cache[slot].used = ++reads;
  return 0;
}

int art_read(const char *hash, uint8_t *dst, uint64_t offset, uint64_t n) {
  pthread_mutex_lock(&lock);
  char why[256] = "";
  int hit = 0;
  for (uint64_t i = 0; db && i < CACHE_SLOTS && !hit; i++) {
    if (!cache[i].data || strcmp(cache[i].hash, hash) != 0) continue;
    hit = 1;
    if (offset + n > cache[i].size) snprintf(why, sizeof why, "the picture is shorter than its header says");
    else memcpy(dst, cache[i].data + offset, n), cache[i].used = ++reads;
  }
  if (!db) snprintf(why, sizeof why, "the library is not open");
  else if (!hit) fetch(hash, dst, offset, n, why, sizeof why);
  pthread_mutex_unlock(&lock);
  if (why[0]) log_line("EIO reading cover art %s: %s", hash, why);
  return why[0] ? -1 : 0;
}
