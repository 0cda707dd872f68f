// Which process opened which served file first, and when: a tagger (Picard, kid3, Mp3tag) reads a file,
// keeps it loaded for minutes and saves it whole. What it wrote is compared with what it read then, so a
// field it did not change keeps whatever the library set meanwhile (app/core/mounted/reader-base.ts). Every open is
// noted here, the binding's own read-only ones too (JS never sees those), in a bounded table.
//
// The table: BUCKETS buckets of WAYS entries keyed by (process, inode). A full bucket drops its oldest
// entry and remembers the earliest first-open it ever dropped: a process whose entry was dropped is then
// said to have read the file at that time at the latest, an earlier time than the truth. Earlier is the
// safe side: more fields count as changed since the read, a save's change to one of them is kept as a
// conflict to resolve rather than applied over a newer edit; a later time could revert an edit.

#include "readers.h"

#define BUCKETS 8192
#define WAYS 8

typedef struct {
  uint32_t process;  // 0: free
  uint64_t ino;
  double first_ms;
  double last_ms;
} reader_t;

static reader_t table[BUCKETS][WAYS];
/** Per bucket, the earliest first-open of an entry it dropped (0: none dropped). */
static double dropped_before[BUCKETS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t bucket_of(uint32_t process, uint64_t ino) {
  uint64_t h = (ino ^ ((uint64_t)process << 32)) * 0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 40) % BUCKETS;
}

// ---- thread to process ----

// The kernel names the requesting thread; a tagger reads in one thread and saves in another (Picard's
// pools), so entries are kept by thread group. A thread's group never changes, and thread ids are
// handed out in sequence: a cached answer is good for a few seconds.
#define THREAD_SLOTS 256
#define THREAD_TTL_MS 5000.0

typedef struct {
  uint32_t tid, tgid;
  double at;
} thread_slot_t;

static thread_slot_t threads[THREAD_SLOTS];
static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t tgid_from_proc(uint32_t tid) {
  char path[48], text[1024];
  snprintf(path, sizeof path, "/proc/%u/status", tid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return tid;  // gone already: the thread's id is the best there is
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n <= 0) return tid;
  text[n] = 0;
  const char *line = strstr(text, "\nTgid:");
  unsigned long tgid = line ? strtoul(line + 6, NULL, 10) : 0;
  return tgid > 0 && tgid <= UINT32_MAX ? (uint32_t)tgid : tid;
}

uint32_t reader_process(fuse_req_t req) {
  const struct fuse_ctx *ctx = fuse_req_ctx(req);
  if (!ctx || ctx->pid <= 0) return 0;
  uint32_t tid = (uint32_t)ctx->pid;
  double now = epoch_ms();
  thread_slot_t *slot = &threads[tid % THREAD_SLOTS];
  pthread_mutex_lock(&threads_lock);
  uint32_t tgid = slot->tid == tid && now - slot->at < THREAD_TTL_MS ? slot->tgid : 0;
  pthread_mutex_unlock(&threads_lock);
  if (tgid) return tgid;
  tgid = tgid_from_proc(tid);
  pthread_mutex_lock(&threads_lock);
  *slot = (thread_slot_t){tid, tgid, now};
  pthread_mutex_unlock(&threads_lock);
  return tgid;
}

// ---- the table ----

/** The entry of (process, ino) in its bucket, or NULL. Call with table_lock held. */
static reader_t *find(reader_t *bucket, uint32_t process, uint64_t ino) {
  for (int i = 0; i < WAYS; i++)
    if (bucket[i].process == process && bucket[i].ino == ino) return &bucket[i];
  return NULL;
}

double readers_note(uint32_t process, uint64_t ino) {
  double now = epoch_ms();
  if (process == 0) return now;
  size_t b = bucket_of(process, ino);
  reader_t *bucket = table[b];
  pthread_mutex_lock(&table_lock);
  reader_t *e = find(bucket, process, ino);
  if (!e) {
    // A free entry, else the one opened least recently (its first open remembered as dropped).
    e = &bucket[0];
    for (int i = 0; i < WAYS && e->process != 0; i++)
      if (bucket[i].process == 0 || bucket[i].last_ms < e->last_ms) e = &bucket[i];
    if (e->process != 0 && (dropped_before[b] == 0 || e->first_ms < dropped_before[b]))
      dropped_before[b] = e->first_ms;
    double first = dropped_before[b] != 0 && dropped_before[b] < now ? dropped_before[b] : now;
    *e = (reader_t){process, ino, first, now};
  }
  e->last_ms = now;
  double first = e->first_ms;
  pthread_mutex_unlock(&table_lock);
  return first;
}

double readers_last(uint32_t process, uint64_t ino) {
  if (process == 0) return 0;
  size_t b = bucket_of(process, ino);
  pthread_mutex_lock(&table_lock);
  const reader_t *e = find(table[b], process, ino);
  double last = e ? e->last_ms : 0;
  pthread_mutex_unlock(&table_lock);
  return last;
}

double readers_first(uint32_t process, uint64_t ino) {
  double now = epoch_ms();
  size_t b = bucket_of(process, ino);
  pthread_mutex_lock(&table_lock);
  reader_t *e = process == 0 ? NULL : find(table[b], process, ino);
  double first = e ? e->first_ms : dropped_before[b] != 0 && dropped_before[b] < now ? dropped_before[b] : now;
  pthread_mutex_unlock(&table_lock);
  return first;
}
