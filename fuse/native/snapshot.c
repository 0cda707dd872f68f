// The served tree: immutable snapshots JS publishes, lookups in them and attributes from their nodes.
// It calls no other unit: the operations that answer from it are tree_ops.c's.
#include <sys/resource.h>
#include <sys/syscall.h>
#include "state.h"
#include "snapshot.h"

// ---- snapshots ----

snapshot_t *snap_acquire(void) {
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *s = S.snap;
  if (s) atomic_fetch_add(&s->refs, 1);
  pthread_mutex_unlock(&S.snap_lock);
  return s;
}

/** The served tree if it has inode `ino`, else the pending one if that has it (a folder the echo thread
 *  made: echo.c), else the served tree. */
snapshot_t *snap_acquire_for(uint64_t ino) {
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *s = S.snap;
  if (S.next_snap && !snap_node(s, ino) && snap_node(S.next_snap, ino)) s = S.next_snap;
  if (s) atomic_fetch_add(&s->refs, 1);
  pthread_mutex_unlock(&S.snap_lock);
  return s;
}

int snap_is_current(snapshot_t *s) {
  pthread_mutex_lock(&S.snap_lock);
  int current = s == S.snap || (s && s == S.next_snap);
  pthread_mutex_unlock(&S.snap_lock);
  return current;
}

int snap_is_pending(snapshot_t *s) {
  pthread_mutex_lock(&S.snap_lock);
  int pending = s && s == S.next_snap;
  pthread_mutex_unlock(&S.snap_lock);
  return pending;
}

// Each publish builds a tree's arrays anew and lets an older tree's go. Memory fresh from the system
// costs a page fault a page (~12 µs on this VM): at 100k files a build took 30–45 ms in it against 7 ms in
// memory used before, and glibc hands large blocks back at their free (mmap, or a trimmed heap), so one
// retitle in four waited for the faults. The arrays of released trees are kept for the next trees of about
// their size: two of each kind, since the tree a publish replaces is let go only once the notifier thread
// has compared it with the new one, which may come after the next publish (~100 bytes a file each; kept
// through the daemon's trim after its start, which came between its first edits). The names' array is
// made with room to grow, since a retitle lengthens it.
#define SPARES 2
static struct {
  void *p;
  size_t bytes;
} spares[SNAP_ARRAYS][SPARES];
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static double fresh_arrays;  // under spare_lock
static double readied;       // under spare_lock: arrays ready_spares made

void *snap_alloc(snap_array_t kind, size_t bytes, int zeroed) {
  return snap_alloc_held(kind, bytes, NULL, zeroed);
}

void *snap_alloc_held(snap_array_t kind, size_t bytes, size_t *held, int zeroed) {
  void *p = NULL, *dropped[SPARES] = {NULL};
  size_t kept_bytes = 0;
  pthread_mutex_lock(&spare_lock);
  for (int i = 0; i < SPARES; i++) {
    void *kept = spares[kind][i].p;
    if (!kept) continue;
    // Big enough and not twice too big; one of another size is let go (the tree changed size much).
    if (!p && spares[kind][i].bytes >= bytes && spares[kind][i].bytes / 2 <= bytes)
      p = kept, kept_bytes = spares[kind][i].bytes;
    else if (spares[kind][i].bytes < bytes || spares[kind][i].bytes / 2 > bytes) dropped[i] = kept;
    else continue;
    spares[kind][i].p = NULL;
  }
  if (!p) fresh_arrays++;
  pthread_mutex_unlock(&spare_lock);
  for (int i = 0; i < SPARES; i++) free(dropped[i]);
  if (p) {
    if (held) *held = kept_bytes;
    return zeroed ? memset(p, 0, bytes) : p;
  }
  // Room to grow a little: the names' bytes change with nearly every retitle.
  if (held) *held = bytes += bytes / 64 + 4096;
  return zeroed ? calloc(1, bytes) : malloc(bytes);
}

void snap_free(snap_array_t kind, void *p, size_t bytes) {
  if (!p) return;
  pthread_mutex_lock(&spare_lock);
  // Into an empty slot, else over the smallest kept if it is smaller (an array reused for a smaller tree
  // is known only by that tree's size).
  int at = 0;
  for (int i = 1; i < SPARES && spares[kind][at].p; i++)
    if (!spares[kind][i].p || spares[kind][i].bytes < spares[kind][at].bytes) at = i;
  void *freed = p;
  if (!spares[kind][at].p || spares[kind][at].bytes < bytes) {
    freed = spares[kind][at].p;
    spares[kind][at].p = p, spares[kind][at].bytes = bytes;
  }
  pthread_mutex_unlock(&spare_lock);
  free(freed);
}

// Readying the spares after the start: until two trees were let go, a publish builds in fresh memory
// (at a million files the first two retitles took 0.8 and 0.4 s, against 30–50 ms after), so the arrays
// of one tree of the served one's size are made and touched on a thread of their own, once the mount is
// up, at the lowest priority: the first publish builds in them, the second in the start's tree's, let go
// by then (the memory every edited mount holds anyway).
typedef struct {
  size_t bytes[SNAP_ARRAYS];
} spare_sizes_t;

static void *ready_spares(void *arg) {
  spare_sizes_t *sizes = arg;
  // At the lowest priority: a player's first scan of the new mount, and the daemon answering it, come
  // first (each page made costs a fault; at a million files, about half a second of a core).
  setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
  for (int kind = 0; kind < SNAP_ARRAYS; kind++) {
    size_t bytes = sizes->bytes[kind];
    pthread_mutex_lock(&spare_lock);
    int kept = 0;
    for (int i = 0; i < SPARES; i++) kept += spares[kind][i].p && spares[kind][i].bytes >= bytes;
    pthread_mutex_unlock(&spare_lock);
    for (; kept < 1; kept++) {
      // Each page written through a volatile pointer: a malloc and memset of zeros is made a calloc by the
      // compiler, which touches none.
      volatile uint8_t *p = malloc(bytes);
      if (!p) break;
      for (size_t at = 0; at < bytes; at += 4096) p[at] = 0;
      snap_free((snap_array_t)kind, (void *)p, bytes);
      pthread_mutex_lock(&spare_lock);
      readied++;
      pthread_mutex_unlock(&spare_lock);
    }
  }
  free(sizes);
  return NULL;
}

void snap_ready_spares(const snapshot_t *like) {
  spare_sizes_t *sizes = like ? malloc(sizeof *sizes) : NULL;
  if (!sizes) return;
  sizes->bytes[SNAP_NODES] = (size_t)like->count * sizeof *like->nodes;
  sizes->bytes[SNAP_NAMES] = like->names_size;
  sizes->bytes[SNAP_CHILDREN] = (size_t)like->count * sizeof *like->children;
  sizes->bytes[SNAP_TABLE] = ((size_t)like->mask + 1) * sizeof *like->table;
  pthread_t thread;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&thread, &attr, ready_spares, sizes) != 0) free(sizes);
  pthread_attr_destroy(&attr);
}

double snap_arrays_readied(void) {
  pthread_mutex_lock(&spare_lock);
  double n = readied;
  pthread_mutex_unlock(&spare_lock);
  return n;
}

double snap_fresh_arrays(void) {
  pthread_mutex_lock(&spare_lock);
  double n = fresh_arrays;
  pthread_mutex_unlock(&spare_lock);
  return n;
}

void snap_release(snapshot_t *s) {
  if (!s || atomic_fetch_sub(&s->refs, 1) != 1) return;
  snap_free(SNAP_NODES, s->nodes, (size_t)s->count * sizeof *s->nodes);
  if (atomic_fetch_sub(s->shape_refs, 1) == 1) {
    snap_free(SNAP_NAMES, s->names, s->names_size);
    snap_free(SNAP_CHILDREN, s->children, (size_t)s->count * sizeof *s->children);
    snap_free(SNAP_TABLE, s->table, ((size_t)s->mask + 1) * sizeof *s->table);
    free(s->shape_refs);
  }
  free(s);
}

snapshot_t *snap_patched(snapshot_t *from) {
  snapshot_t *s = malloc(sizeof *s);
  node_t *nodes = snap_alloc(SNAP_NODES, (size_t)from->count * sizeof *nodes, 0);
  if (!s || !nodes) {
    free(s);
    snap_free(SNAP_NODES, nodes, (size_t)from->count * sizeof *nodes);
    return NULL;
  }
  *s = *from;
  atomic_init(&s->refs, 1);
  s->nodes = memcpy(nodes, from->nodes, (size_t)from->count * sizeof *nodes);
  atomic_fetch_add(s->shape_refs, 1);
  return s;
}

node_t *snap_node(snapshot_t *s, uint64_t ino) {
  if (!s) return NULL;
  for (uint32_t i = hash_ino(ino) & s->mask;; i = (i + 1) & s->mask) {
    uint32_t slot = s->table[i];
    if (slot == 0) return NULL;
    if (s->nodes[slot - 1].ino == ino) return &s->nodes[slot - 1];
  }
}

static int name_cmp(const snapshot_t *s, const node_t *n, const char *name, size_t len) {
  size_t m = n->name_len < len ? n->name_len : len;
  int c = memcmp(s->names + n->name_off, name, m);
  if (c != 0) return c;
  return n->name_len < len ? -1 : n->name_len > len ? 1 : 0;
}

node_t *snap_child(snapshot_t *s, const node_t *dir, const char *name, size_t len) {
  uint32_t lo = 0, hi = dir->child_count;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    node_t *c = &s->nodes[s->children[dir->first_child + mid]];
    int cmp = name_cmp(s, c, name, len);
    if (cmp == 0) return c;
    if (cmp < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

static const snapshot_t *sort_snap;
static int child_order(const void *a, const void *b) {
  const node_t *x = &sort_snap->nodes[*(const uint32_t *)a];
  return name_cmp(sort_snap, x, sort_snap->names + sort_snap->nodes[*(const uint32_t *)b].name_off,
                  sort_snap->nodes[*(const uint32_t *)b].name_len);
}

/** Sorts each directory's children by name; -1 when two entries of one directory share a name. */
int snap_sort_children(snapshot_t *s) {
  return snap_sort_range(s, 0, s->count);
}

int snap_sort_range(snapshot_t *s, uint32_t from, uint32_t to) {
  sort_snap = s;  // qsort has no context argument; only the JS thread builds snapshots
  for (uint32_t i = from; i < to; i++) {
    node_t *dir = &s->nodes[i];
    if (dir->child_count < 2) continue;
    uint32_t *c = s->children + dir->first_child;
    qsort(c, dir->child_count, sizeof(uint32_t), child_order);
    for (uint32_t k = 1; k < dir->child_count; k++)
      if (child_order(&c[k - 1], &c[k]) == 0) return -1;
  }
  return 0;
}

// ---- attributes ----

mode_t node_mode(uint8_t flags) {
  // What the mode says is what the mount does: the kernel checks access() and opens against it
  // (default_permissions), so a file that cannot be saved through the mount says so, read-only.
  return (flags & NODE_DIR) ? (S_IFDIR | 0755) : (flags & NODE_WRITABLE) ? (S_IFREG | 0644) : (S_IFREG | 0444);
}

void fill_stat(struct stat *st, uint64_t ino, uint8_t flags, uint64_t size, double mtime_ms) {
  int dir = flags & NODE_DIR;
  memset(st, 0, sizeof *st);
  st->st_ino = ino;
  st->st_mode = node_mode(flags);
  st->st_nlink = dir ? 2 : 1;
  st->st_uid = S.uid;
  st->st_gid = S.gid;
  st->st_size = dir ? 4096 : (off_t)size;
  // The preferred I/O size, a page, as local disks report: readers that buffer by it (Python's open, stdio)
  // read a tag scan's few KiB, not 128 KiB a read that the kernel then reads ahead of, through the original.
  st->st_blksize = 4096;
  st->st_blocks = (blkcnt_t)((st->st_size + 511) / 512);
  double sec = floor(mtime_ms / 1000);
  long nsec = (long)((mtime_ms - sec * 1000) * 1e6);
  struct timespec t = {(time_t)sec, nsec < 0 ? 0 : nsec > 999999999 ? 999999999 : nsec};
  st->st_mtim = st->st_atim = st->st_ctim = t;
}

void node_stat(struct stat *st, const node_t *n) {
  fill_stat(st, n->ino, n->flags, n->size, n->mtime_ms);
}

void node_entry(struct fuse_entry_param *e, const node_t *n) {
  memset(e, 0, sizeof *e);
  e->ino = node_id_of(n);
  e->attr_timeout = S.attr_timeout;
  e->entry_timeout = S.attr_timeout;
  node_stat(&e->attr, n);
}
