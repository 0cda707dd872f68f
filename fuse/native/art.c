// Cover art read from the library's database as a reader reaches it: served headers leave each
// picture's place as a hole, so the daemon holds no picture data however large the art, and an album's
// cover is stored once, in the library. One read-only connection, one reader at a time (reads of art are
// few: a player reads a header once). The picture is found by its content hash and read with SQLite's
// incremental blob I/O, both in one read transaction, so the row read is the one the hash named.
#include "art.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include "forward.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static sqlite3 *db;
static sqlite3_stmt *find;

int art_open(const char *library_path) {
  pthread_mutex_lock(&lock);
  int ok = db != NULL;
  if (!ok) {
    // A busy writer never blocks a WAL reader for long; the timeout covers a checkpoint's moment.
    ok = sqlite3_open_v2(library_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
         sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
         sqlite3_prepare_v3(db, "SELECT rowid FROM art WHERE hash = ?", -1, SQLITE_PREPARE_PERSISTENT, &find,
                            NULL) == SQLITE_OK;
    if (!ok) {
      log_line("cannot read cover art from %s: %s", library_path, db ? sqlite3_errmsg(db) : "out of memory");
      sqlite3_finalize(find);
      sqlite3_close(db);
      find = NULL, db = NULL;
    }
  }
  pthread_mutex_unlock(&lock);
  return ok ? 0 : -1;
}

int art_read(const char *hash, uint8_t *dst, uint64_t offset, uint64_t n) {
  pthread_mutex_lock(&lock);
  char why[256] = "";
  if (!db) snprintf(why, sizeof why, "the library is not open");
  else if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) snprintf(why, sizeof why, "%s", sqlite3_errmsg(db));
  else {
    sqlite3_bind_text(find, 1, hash, -1, SQLITE_STATIC);
    sqlite3_blob *blob = NULL;
    int step = sqlite3_step(find);
    if (step != SQLITE_ROW)
      snprintf(why, sizeof why, "%s", step == SQLITE_DONE ? "no such picture in the library" : sqlite3_errmsg(db));
    else if (sqlite3_blob_open(db, "main", "art", "data", sqlite3_column_int64(find, 0), 0, &blob) != SQLITE_OK)
      snprintf(why, sizeof why, "%s", sqlite3_errmsg(db));
    else if (offset + n > (uint64_t)sqlite3_blob_bytes(blob))
      snprintf(why, sizeof why, "the picture is shorter than its header says");
    else if (sqlite3_blob_read(blob, dst, (int)n, (int)offset) != SQLITE_OK)
      snprintf(why, sizeof why, "%s", sqlite3_errmsg(db));
    sqlite3_blob_close(blob);
    sqlite3_reset(find);
    sqlite3_clear_bindings(find);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  }
  pthread_mutex_unlock(&lock);
  if (why[0]) log_line("EIO reading cover art %s: %s", hash, why);
  return why[0] ? -1 : 0;
}
