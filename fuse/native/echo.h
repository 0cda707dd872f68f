// The mount's own changes told to whoever watches it (inotify): see echo.c.
#ifndef SLEEVE_ECHO_H
#define SLEEVE_ECHO_H

#include "state.h"

// What a listed change is (the numbers are the contract with fuse/mount-echo.ts).
enum { ECHO_MKDIR = 1, ECHO_RENAME, ECHO_CREATE, ECHO_UNLINK, ECHO_RMDIR, ECHO_MODIFY };

/** Queues the changes packed in `bytes` (copied) as batch `id`; -1 when they are malformed. Answered by
 *  OP_ECHOED once all are done. */
int echo_queue(const uint8_t *bytes, size_t len, uint64_t id);

/** The mount point, for the echo thread's paths (set by mount). */
void echo_mounted_at(const char *mountpoint);

/** Whether `req` comes from the echo thread: then it is answered by the echo_* replies below. */
int echo_self(fuse_req_t req);

/** Whether `req` is the echo thread's moving a file other than node `ino` from that node's name: the
 *  move of a rewrite's name (a scratch file, JS's no longer) to the file it was taken in as. */
int echo_moves_other(fuse_req_t req, uint64_t ino);

/** A directory or file the echo thread makes: its entry (and, for a file, an open handle marked 0). */
void echo_reply_entry(fuse_req_t req, struct fuse_file_info *fi);

/** The attributes of the node being echoed, when node id `id` is a version of it; else ENOENT. */
void echo_reply_attr(fuse_req_t req, fuse_ino_t id);

#endif
