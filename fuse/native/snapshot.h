// The served tree: immutable snapshots JS publishes, lookups in them and attributes from their nodes.
// The bottom of the binding's units: it calls none of them back (tree_ops.c answers requests from it).
#ifndef SLEEVE_SNAPSHOT_H
#define SLEEVE_SNAPSHOT_H

#include "state.h"

snapshot_t *snap_acquire(void);
snapshot_t *snap_acquire_for(uint64_t ino);
int snap_is_current(snapshot_t *s);
void snap_release(snapshot_t *s);
// A copy of `from` with nodes of its own and its shape shared (NULL when out of memory): what patchTree
// changes and publishes.
snapshot_t *snap_patched(snapshot_t *from);
node_t *snap_node(snapshot_t *s, uint64_t ino);
node_t *snap_child(snapshot_t *s, const node_t *dir, const char *name, size_t len);
/** A node's mode from its flags: 0755 a folder, 0644 a file saved through the mount, 0444 any other. */
mode_t node_mode(uint8_t flags);
void fill_stat(struct stat *st, uint64_t ino, uint8_t flags, uint64_t size, double mtime_ms);
void node_stat(struct stat *st, const node_t *n);
void node_entry(struct fuse_entry_param *e, const node_t *n);
int snap_sort_children(snapshot_t *s);

#endif
