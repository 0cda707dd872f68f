// The served tree: immutable snapshots JS publishes, lookups in them and attributes from their nodes.
// The bottom of the binding's units: it calls none of them back (tree_ops.c answers requests from it).
#ifndef SLEEVE_SNAPSHOT_H
#define SLEEVE_SNAPSHOT_H

#include "state.h"

// Node ids: what the kernel keys its inodes by. A served file's is its inode number (even, below 2^33)
// with the low 30 bits of its size above it, so that a version of another size is another kernel inode:
// a handle open on the old one keeps that inode's size (the kernel caps a handle's reads at it) and pages,
// and new opens find the new one. stat gives the inode number alone, the same for every version. Other
// nodes (folders, playlists and scratch files: odd numbers) are their inode numbers.
#define NODE_ID_SIZE_SHIFT 33
#define NODE_ID_SIZE_BITS 30

static inline int node_id_versioned(uint64_t ino) {
  return ino % 2 == 0 && ino < (1ull << NODE_ID_SIZE_SHIFT);
}

static inline fuse_ino_t node_id(uint64_t ino, uint64_t size) {
  if (!node_id_versioned(ino)) return ino;
  return ino | ((size & ((1ull << NODE_ID_SIZE_BITS) - 1)) << NODE_ID_SIZE_SHIFT);
}

/** The inode number a request's node id names. */
static inline uint64_t node_ino(fuse_ino_t id) {
  return id % 2 ? id : id & ((1ull << NODE_ID_SIZE_SHIFT) - 1);
}

/** The size a file's version of node id `id` has, from that of the version served now (`now`): the one
 *  nearest to it with the id's low bits (an edit moves a file's size by far less than 2^29 bytes). */
static inline uint64_t node_id_size(fuse_ino_t id, uint64_t now) {
  if (!node_id_versioned(node_ino(id))) return now;
  const int64_t span = 1ll << NODE_ID_SIZE_BITS;
  int64_t low = (int64_t)(id >> NODE_ID_SIZE_SHIFT), size = (int64_t)(now & ~(uint64_t)(span - 1)) | low;
  if (size - (int64_t)now > span / 2 && size >= span) size -= span;
  else if ((int64_t)now - size > span / 2) size += span;
  return (uint64_t)size;
}

snapshot_t *snap_acquire(void);
snapshot_t *snap_acquire_for(uint64_t ino);
int snap_is_current(snapshot_t *s);

/** Whether `s` is the pending tree (the one JS publishes next), not the served one. */
int snap_is_pending(snapshot_t *s);
void snap_release(snapshot_t *s);

/** Node `i` of `s` (below s->count). */
static inline node_t *snap_at(const snapshot_t *s, uint32_t i) {
  return &s->pages[i >> PAGE_BITS]->nodes[i & (PAGE_NODES - 1)];
}
/** Makes, on a thread of its own, the memory a tree of `like`'s size would use (NULL: none). */
void snap_ready_spares(const snapshot_t *like);
// A tree sharing `from`'s pages and arrays (NULL when out of memory): what patchTree changes (through
// snap_own_node) and publishes.
snapshot_t *snap_patched(snapshot_t *from);
/** Node `i` of `s`, a tree made from `from`, to change: its page copied first when it is still `from`'s;
 *  NULL when out of memory. */
node_t *snap_own_node(snapshot_t *s, const snapshot_t *from, uint32_t i);
node_t *snap_node(snapshot_t *s, uint64_t ino);
node_t *snap_child(snapshot_t *s, const node_t *dir, const char *name, size_t len);
/** A node's mode from its flags: 0755 a folder, 0644 a file saved through the mount, 0444 any other. */
mode_t node_mode(uint8_t flags);
void fill_stat(struct stat *st, uint64_t ino, uint8_t flags, uint64_t size, double mtime_ms);
void node_stat(struct stat *st, const node_t *n);
void node_entry(struct fuse_entry_param *e, const node_t *n);
/** The node id the kernel is given for `n`. */
static inline fuse_ino_t node_id_of(const node_t *n) {
  return node_id(n->ino, n->size);
}
int snap_sort_children(snapshot_t *s);
/** The same for the directories among nodes [from, to). */
int snap_sort_range(snapshot_t *s, uint32_t from, uint32_t to);

// A tree as JS gives it (napi.c reads it: native-tree.ts packs it): node i's fields at [i], node 0 the
// root, parents before their children, the names back to back (node i's ends at name_end[i]).
typedef struct {
  const double *ino, *size, *mtime, *version;
  const uint8_t *flags;
  const uint32_t *parent, *name_end;
  const uint8_t *names;
  size_t n, name_bytes;
} tree_arrays_t;

/** Whether node `i`'s inode number, size, time and version are what a node may have. */
static inline int node_attrs_ok(const tree_arrays_t *t, size_t i) {
  return is_count(t->ino[i]) && t->ino[i] >= 1 && is_count(t->size[i]) && isfinite(t->mtime[i]) &&
         isfinite(t->version[i]);
}

/** Whether a name is one an entry may have: 1–255 bytes, not "." or "..", no "/" or NUL. */
static inline int node_name_ok(const uint8_t *name, uint32_t len) {
  return len > 0 && len <= 255 && !memchr(name, '/', len) && !memchr(name, 0, len) &&
         !(len == 1 && name[0] == '.') && !(len == 2 && name[0] == '.' && name[1] == '.');
}

/** Tree `t` made whole, every node checked and placed; NULL with `*error` set to why (out of memory:
 *  NULL). */
snapshot_t *snap_built(const tree_arrays_t *t, const char **error);

#endif
