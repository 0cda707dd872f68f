// The served tree: immutable snapshots JS publishes, lookups in them and attributes from their nodes.
// It calls no other unit but its memory's (node_pages.c): the operations that answer from it are
// tree_ops.c's.
#include "state.h"
#include "snapshot.h"
#include "node_pages.h"

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

void snap_ready_spares(const snapshot_t *like) {
  if (!like) return;
  uint32_t pages = (like->count + PAGE_NODES - 1) / PAGE_NODES;
  size_t names = 0;
  for (uint32_t p = 0; p < pages; p++) names += like->pages[p]->names_used;
  pages_ready_spares(pages, names / pages + names / pages / 8 + 512, like->children->count, like->table->count);
}

/** A tree of `count` nodes with none of its memory yet (calloc'd: what is not set is NULL). */
static snapshot_t *snap_empty(uint32_t count) {
  snapshot_t *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->count = count;
  atomic_init(&s->refs, 1);
  if ((s->pages = calloc((count + PAGE_NODES - 1) / PAGE_NODES, sizeof *s->pages))) return s;
  free(s);
  return NULL;
}

void snap_release(snapshot_t *s) {
  if (!s || atomic_fetch_sub(&s->refs, 1) != 1) return;
  for (uint32_t p = 0; p < (s->count + PAGE_NODES - 1) / PAGE_NODES; p++) page_put(s->pages[p]);
  shared_put(SHARED_CHILDREN, s->children);
  shared_put(SHARED_TABLE, s->table);
  free(s->pages);
  free(s);
}

snapshot_t *snap_patched(snapshot_t *from) {
  snapshot_t *s = snap_empty(from->count);
  if (!s) return NULL;
  s->mask = from->mask, s->files = from->files, s->changed_ms = from->changed_ms;
  for (uint32_t p = 0; p < (s->count + PAGE_NODES - 1) / PAGE_NODES; p++) s->pages[p] = page_hold(from->pages[p]);
  s->children = shared_hold(from->children);
  s->table = shared_hold(from->table);
  return s;
}

node_t *snap_own_node(snapshot_t *s, const snapshot_t *from, uint32_t i) {
  node_page_t **page = &s->pages[i >> PAGE_BITS];
  if (*page == from->pages[i >> PAGE_BITS]) {
    node_page_t *copy = page_copy(*page);
    if (!copy) return NULL;
    page_put(*page);
    *page = copy;
  }
  return &(*page)->nodes[i & (PAGE_NODES - 1)];
}

/** `t`'s nodes into pages of `s`, the names each page's (a slice of `t`'s: they lie in node order); 0
 *  when out of memory. */
static int fill_pages(snapshot_t *s, const tree_arrays_t *t) {
  for (uint32_t p = 0; p * PAGE_NODES < t->n; p++) {
    uint32_t from = p * PAGE_NODES, to = from + PAGE_NODES < t->n ? from + PAGE_NODES : (uint32_t)t->n;
    uint32_t start = from == 0 ? 0 : t->name_end[from - 1];
    node_page_t *page = s->pages[p] = page_take(t->name_end[to - 1] - start);
    if (!page) return 0;
    page->count = to - from;
    page->names_used = t->name_end[to - 1] - start;
    memcpy(page->names, t->names + start, page->names_used);
    for (uint32_t i = from; i < to; i++) {
      uint32_t off = i == 0 ? 0 : t->name_end[i - 1];
      page->nodes[i - from] = (node_t){
          .ino = (uint64_t)t->ino[i],
          .size = (uint64_t)t->size[i],
          .mtime_ms = t->mtime[i],
          .version = t->version[i],
          .flags = t->flags[i],
          .parent = i == 0 ? NO_PARENT : t->parent[i],
          .name = page->names + (off - start),
          .name_len = t->name_end[i] - off,
      };
    }
  }
  return 1;
}

/** Each node into the inode table; 0 when two share an inode number. */
static int fill_table(snapshot_t *s) {
  for (uint32_t i = 0; i < s->count; i++) {
    node_t *node = snap_at(s, i);
    uint32_t slot = hash_ino(node->ino) & s->mask;
    while (s->table->at[slot] != 0) {
      if (snap_at(s, s->table->at[slot] - 1)->ino == node->ino) return 0;
      slot = (slot + 1) & s->mask;
    }
    s->table->at[slot] = i + 1;
    if (!(node->flags & NODE_DIR)) s->files++;
  }
  return 1;
}

/** Children grouped by parent (a counting sort); 0 when out of memory. */
static int fill_children(snapshot_t *s, const tree_arrays_t *t) {
  uint32_t *counts = calloc(t->n + 1, sizeof *counts);
  if (!counts) return 0;
  for (size_t i = 1; i < t->n; i++) counts[t->parent[i]]++;
  uint32_t at = 0;
  for (uint32_t i = 0; i < s->count; i++) {
    snap_at(s, i)->first_child = at;
    at += counts[i];
  }
  free(counts);
  for (uint32_t i = 1; i < s->count; i++) {
    node_t *p = snap_at(s, t->parent[i]);
    s->children->at[p->first_child + p->child_count++] = i;
  }
  return 1;
}

/** Why tree `t` cannot be served, or NULL. */
static const char *tree_wrong(const tree_arrays_t *t) {
  for (size_t i = 0; i < t->n; i++) {
    uint32_t start = i == 0 ? 0 : t->name_end[i - 1];
    // Parents come before their children, so the tree has no cycles.
    if (t->name_end[i] < start || t->name_end[i] > t->name_bytes ||
        (i > 0 && (t->parent[i] >= i || !(t->flags[t->parent[i]] & NODE_DIR))))
      return "setTree: a name or parent is out of range";
    if (!node_attrs_ok(t, i)) return "setTree: inode numbers, sizes, times and versions must be finite (and whole)";
    if (i > 0 && !node_name_ok(t->names + start, t->name_end[i] - start))
      return "setTree: a name is empty, too long, \".\", \"..\" or holds \"/\" or NUL";
  }
  return NULL;
}

snapshot_t *snap_built(const tree_arrays_t *t, const char **error) {
  if ((*error = tree_wrong(t))) return NULL;
  uint32_t n = (uint32_t)t->n, cap = 16;
  while (cap < n * 2) cap *= 2;
  snapshot_t *s = snap_empty(n);
  if (s) {
    s->mask = cap - 1;
    s->children = shared_take(SHARED_CHILDREN, n, 0);
    s->table = shared_take(SHARED_TABLE, cap, 1);
  }
  if (!s || !s->children || !s->table || !fill_pages(s, t) || !fill_children(s, t)) {
    snap_release(s);
    return NULL;
  }
  pages_keep_for((n + PAGE_NODES - 1) / PAGE_NODES);
  if (!fill_table(s)) *error = "setTree: two nodes share an inode number";
  else if (snap_sort_children(s) != 0) *error = "setTree: two entries of a directory share a name";
  else return s;
  snap_release(s);
  return NULL;
}

node_t *snap_node(snapshot_t *s, uint64_t ino) {
  if (!s) return NULL;
  for (uint32_t i = hash_ino(ino) & s->mask;; i = (i + 1) & s->mask) {
    uint32_t slot = s->table->at[i];
    if (slot == 0) return NULL;
    node_t *n = snap_at(s, slot - 1);
    if (n->ino == ino) return n;
  }
}

static int name_cmp(const node_t *n, const char *name, size_t len) {
  size_t m = n->name_len < len ? n->name_len : len;
  int c = memcmp(n->name, name, m);
  if (c != 0) return c;
  return n->name_len < len ? -1 : n->name_len > len ? 1 : 0;
}

node_t *snap_child(snapshot_t *s, const node_t *dir, const char *name, size_t len) {
  uint32_t lo = 0, hi = dir->child_count;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    node_t *c = snap_at(s, s->children->at[dir->first_child + mid]);
    int cmp = name_cmp(c, name, len);
    if (cmp == 0) return c;
    if (cmp < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

static const snapshot_t *sort_snap;
static int child_order(const void *a, const void *b) {
  const node_t *y = snap_at(sort_snap, *(const uint32_t *)b);
  return name_cmp(snap_at(sort_snap, *(const uint32_t *)a), y->name, y->name_len);
}

/** Sorts each directory's children by name; -1 when two entries of one directory share a name. */
int snap_sort_children(snapshot_t *s) {
  return snap_sort_range(s, 0, s->count);
}

int snap_sort_range(snapshot_t *s, uint32_t from, uint32_t to) {
  sort_snap = s;  // qsort has no context argument; only the JS thread builds snapshots
  for (uint32_t i = from; i < to; i++) {
    node_t *dir = snap_at(s, i);
    if (dir->child_count < 2) continue;
    uint32_t *c = s->children->at + dir->first_child;
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
