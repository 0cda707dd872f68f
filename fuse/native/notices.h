// The notify thread's queue: what the kernel must be told (invalidations) or given (a first open's
// stores), on a thread of its own, as the kernel may wait on a request the JS thread is answering.
// invalidate.c's notify_main sends them.
#ifndef SLEEVE_NOTICES_H
#define SLEEVE_NOTICES_H

#include "state.h"

/** Appends `n` (allocated; the notify thread frees it) and wakes the notify thread. */
void notice_queue(notice_t *n);

#endif
