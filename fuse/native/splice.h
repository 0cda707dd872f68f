// A tree made from the one before it and the top-level folders a publish rebuilt in place.
#ifndef SLEEVE_SPLICE_H
#define SLEEVE_SPLICE_H

#include "state.h"
#include "snapshot.h"

/** `t` as a snapshot made from `old` (the served tree it was repacked from), when `rebuilt` says each
 *  rebuilt top-level folder kept its place and its number of nodes and every other node is a copy of
 *  old's, and the tree shows it; else NULL, and the tree is to be made whole (snapshot_of: which refuses
 *  what is wrong with it). JS thread only. */
snapshot_t *snap_spliced(snapshot_t *old, const tree_arrays_t *t, const diff_ranges_t *rebuilt);
/** Trees snap_spliced made (a count the tests guard). */
double snap_trees_spliced(void);

#endif
