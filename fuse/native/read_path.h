// The read path: each file version's layout (its header in memory, its audio in the original), kept
// within a byte budget so later read-only opens need no JS; whose version the kernel's cached pages are;
// and the file operations (open, read, write, flush, release).
#ifndef SLEEVE_READ_PATH_H
#define SLEEVE_READ_PATH_H

#include "state.h"

void layout_release(layout_t *l);
void layouts_remember(layout_t *l);
layout_t *layouts_current(uint64_t ino);
void handle_free(handle_t *h);
handle_t *opening_store(handle_t *h, const struct fuse_file_info *fi);
void opening_read_ahead(const handle_t *copy);
int opening_stored_early(handle_t *copy);
void opening_stored(handle_t *copy, int store, int early);
void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi);
void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off, struct fuse_file_info *fi);
void op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi);
void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);

#endif
