// The names files had before the library moved them, kept an hour in a ring of the last MOVED_SLOTS moves
// (a retag moving 100,000 files keeps the last 4,096: a tagger saves what it loaded, a few albums).
#include "moved_names.h"
#include "readers.h"
#include "snapshot.h"

#define MOVED_SLOTS 4096
#define MOVED_TTL_MS (3600.0 * 1000)

typedef struct {
  uint64_t parent, ino;  // ino 0: free
  char *name;
  size_t len;
  int folder;
  double at_ms;
} moved_t;

static moved_t ring[MOVED_SLOTS];
static size_t next_slot;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
// A bit per hash of a folder a file ever left: a name missing elsewhere (a player probing each folder for
// cover.jpg) is answered without reading the ring.
#define PARENT_BITS 65536
static _Atomic uint64_t parents_left[PARENT_BITS / 64];

static size_t parent_bit(uint64_t parent) {
  return (size_t)((parent * 0x9E3779B97F4A7C15ull) >> 48);
}

void moved_name_add(uint64_t parent, const char *name, size_t len, uint64_t ino, int folder, double at_ms) {
  char *copy = malloc(len ? len : 1);
  if (!copy) return;  // out of memory: the old name is not found, as before
  memcpy(copy, name, len);
  size_t bit = parent_bit(parent);
  atomic_fetch_or(&parents_left[bit / 64], 1ull << (bit % 64));
  pthread_mutex_lock(&ring_lock);
  moved_t *m = &ring[next_slot];
  next_slot = (next_slot + 1) % MOVED_SLOTS;
  free(m->name);
  *m = (moved_t){parent, ino, copy, len, folder, at_ms};
  pthread_mutex_unlock(&ring_lock);
}

uint64_t moved_name_find(uint64_t parent, const char *name, size_t len, double *at_ms, int *folder) {
  size_t bit = parent_bit(parent);
  if (!(atomic_load(&parents_left[bit / 64]) & (1ull << (bit % 64)))) return 0;
  double since = epoch_ms() - MOVED_TTL_MS;
  uint64_t ino = 0;
  pthread_mutex_lock(&ring_lock);
  // Newest first: a name left twice leads to the file that left it last.
  for (size_t k = 1; k <= MOVED_SLOTS && !ino; k++) {
    const moved_t *m = &ring[(next_slot + MOVED_SLOTS - k) % MOVED_SLOTS];
    if (m->ino == 0 || m->at_ms < since) break;  // older ones are older still (as their trees were)
    if (m->parent == parent && m->len == len && memcmp(m->name, name, len) == 0)
      ino = m->ino, *at_ms = m->at_ms, *folder = m->folder;
  }
  pthread_mutex_unlock(&ring_lock);
  return ino;
}

/** moved_any with ring_lock held (its folders' own matches looked at in the same pass). */
static int moved_any_locked(uint64_t parent, int depth, int (*test)(uint64_t, void *), void *context, double since) {
  size_t bit = parent_bit(parent);
  if (!(atomic_load(&parents_left[bit / 64]) & (1ull << (bit % 64)))) return 0;
  for (size_t k = 1; k <= MOVED_SLOTS; k++) {
    const moved_t *m = &ring[(next_slot + MOVED_SLOTS - k) % MOVED_SLOTS];
    if (m->ino == 0 || m->at_ms < since) break;
    if (m->parent != parent) continue;
    if (m->folder ? depth > 0 && moved_any_locked(m->ino, depth - 1, test, context, since) : test(m->ino, context))
      return 1;
  }
  return 0;
}

int moved_any(uint64_t parent, int depth, int (*test)(uint64_t ino, void *context), void *context) {
  // `test` may take locks of its own (readers.c's), under this one: none of them is held while this one is
  // taken, so the order never reverses.
  pthread_mutex_lock(&ring_lock);
  int found = moved_any_locked(parent, depth, test, context, epoch_ms() - MOVED_TTL_MS);
  pthread_mutex_unlock(&ring_lock);
  return found;
}

// ---- who knows an old name ----

/** Whether `process` still knows file `ino` under the name it left at `at` in folder `parent`: it has
 *  neither listed the folder nor opened the file since, but opened it before; or found it so before. */
int knows_old_name(uint32_t process, uint64_t parent, uint64_t ino, double at) {
  if (readers_last(process, parent) >= at) return 0;
  if (moved_user(process, ino)) return 1;
  double opened = readers_last(process, ino);
  return opened > 0 && opened < at;
}

int writes_another(fuse_req_t req, uint64_t ino) {
  snapshot_t *s = snap_acquire();
  node_t *n = snap_node(s, ino);
  uint64_t other = 0;
  if (n && n->parent != NO_PARENT) {
    double at = 0;
    int folder = 0;
    uint64_t parent = snap_at(s, n->parent)->ino;
    other = moved_name_find(parent, n->name, n->name_len, &at, &folder);
    if (folder || other == ino || !other || !knows_old_name(reader_process(req), parent, other, at)) other = 0;
  }
  snap_release(s);
  return other != 0;
}

// ---- the processes that found an old name ----

#define USER_SLOTS 256

typedef struct {
  uint32_t process;  // 0: free
  uint64_t ino;
  double at_ms;
} user_t;

static user_t users[USER_SLOTS];
static size_t next_user;

void moved_user_add(uint32_t process, uint64_t ino) {
  pthread_mutex_lock(&ring_lock);
  users[next_user] = (user_t){process, ino, epoch_ms()};
  next_user = (next_user + 1) % USER_SLOTS;
  pthread_mutex_unlock(&ring_lock);
}

int moved_user(uint32_t process, uint64_t ino) {
  double since = epoch_ms() - MOVED_TTL_MS;
  int found = 0;
  pthread_mutex_lock(&ring_lock);
  for (size_t i = 0; i < USER_SLOTS && !found; i++)
    found = users[i].process == process && users[i].ino == ino && users[i].at_ms >= since;
  pthread_mutex_unlock(&ring_lock);
  return found;
}
