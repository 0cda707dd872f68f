// The served tree: immutable snapshots JS publishes, lookups in them, attributes from their nodes,
// and the operations answered from the tree alone (lookup, getattr, directory listings, statfs,
// and EROFS for everything that would change the tree but a tagger's scratch file, which JS decides on).
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
void op_init(void *userdata, struct fuse_conn_info *conn);
void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name);
void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set, struct fuse_file_info *fi);
void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi);
void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi);
void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void op_statfs(fuse_req_t req, fuse_ino_t ino);
void op_erofs_entry(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode);
void op_erofs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev);
void op_erofs_name(fuse_req_t req, fuse_ino_t parent, const char *name);
void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode);
void op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name);
void op_erofs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name);
void op_erofs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname);
void op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, struct fuse_file_info *fi);
void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name);
void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent, const char *newname, unsigned int flags);
int snap_sort_children(snapshot_t *s);

#endif
