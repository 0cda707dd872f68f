// A tree made from the one before it and the top-level folders a publish rebuilt in place.
#ifndef SLEEVE_SPLICE_H
#define SLEEVE_SPLICE_H

#include "state.h"
#include "snapshot.h"

/** `t` as a snapshot made from `old` (the served tree it was repacked from), when `rebuilt` says each
 *  rebuilt top-level folder kept its place and its number of nodes, and its nodes show it; else NULL, and
 *  the tree is to be made whole (snapshot_of: which refuses what is wrong with it). The contract: every
 *  node outside the ranges but the root is old's, attributes included (the repack copied them), and is
 *  taken from old unread; a node changed there is neither served nor told to the kernel. JS thread
 *  only. */
snapshot_t *snap_spliced(snapshot_t *old, const tree_arrays_t *t, const diff_ranges_t *rebuilt);
/** Trees snap_spliced made (a count the tests guard). */
double snap_trees_spliced(void);

#endif
