// Calls on originals made on libfuse's threads, counted by device, so that a file system that stopped
// answering holds a few threads and fails its own files at once, never the whole mount (original_calls.c).
#ifndef SLEEVE_ORIGINAL_CALLS_H
#define SLEEVE_ORIGINAL_CALLS_H

#include "state.h"

/** A call on an original under way: its place in the table. */
typedef struct {
  int device, slot;
} original_call_t;

/** Before the mount serves: how long a call may run before its device counts as stalled. */
void original_calls_start(double deadline_seconds);
/** Before calls on `l`'s original (`what`: "open", "read", for the log): 0, then original_call_end must
 *  follow; or EIO when its device has stalled, or has all the calls it may have (`may_wait`: waits for one
 *  to end while they are not slow). */
int original_call_begin(const layout_t *l, const char *what, int may_wait, original_call_t *call);
void original_call_end(original_call_t call);

#endif
