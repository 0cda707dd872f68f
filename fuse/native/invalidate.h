// Invalidations: what the kernel cached that a new tree no longer says, sent by a thread of their own
// (the kernel may wait on a request the JS thread is answering, so the JS thread never sends them).
#ifndef SLEEVE_INVALIDATE_H
#define SLEEVE_INVALIDATE_H

#include "state.h"

void notice_push(uint64_t ino, const char *name, size_t len);
void attrs_push(uint64_t ino);
void diff_push(snapshot_t *old, snapshot_t *next, diff_ranges_t *ranges);
void store_push(handle_t *copy);
void *notify_main(void *arg);
void invalidate_changes(snapshot_t *old, snapshot_t *next, const diff_ranges_t *ranges);
/** Nodes the comparisons of trees have looked at since the mount (a count the tests guard). */
double nodes_compared(void);
void file_changed(const snapshot_t *old, const node_t *o, const snapshot_t *next, const node_t *n);

#endif
