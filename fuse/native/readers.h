// Which process opened which served file first, and when: a tagger's save through the mount is merged
// against what that process read (app/core/mounted/reader-base.ts), not against what is served when it writes.
#ifndef SLEEVE_READERS_H
#define SLEEVE_READERS_H

#include "state.h"

/** The process (thread group) of the thread that sent `req`: the kernel names the thread. 0 if unknown. */
uint32_t reader_process(fuse_req_t req);
/** Notes that `process` opened `ino` now; returns when it first did (epoch ms), or earlier (see readers.c). */
double readers_note(uint32_t process, uint64_t ino);
/** When `process` first opened `ino` (epoch ms), or earlier; now when it never did (nothing to merge). */
double readers_first(uint32_t process, uint64_t ino);
/** When `process` last opened `ino` (a folder: listed it), epoch ms; 0 when the table does not hold it. */
double readers_last(uint32_t process, uint64_t ino);

#endif
