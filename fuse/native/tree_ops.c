// The operations answered from the served tree alone (lookup, getattr, directory listings, statfs, and
// EROFS for everything that would change the tree). A tagger's scratch file (NODE_SCRATCH) is JS's:
// creating one, unlinking it and renaming it over the file it rewrites are forwarded there, and so are a
// served file's move aside and back, and the unlink of the file moved aside (NODE_ASIDE). Requests the
// mount's own echo makes are answered as the echo asks (echo.c).
#include "state.h"
#include "tree_ops.h"
#include "snapshot.h"
#include "echo.h"
#include "forward.h"
#include "readers.h"
#include "invalidate.h"
#include "moved_names.h"
#include "told_names.h"

void op_init(void *userdata, struct fuse_conn_info *conn) {
  (void)userdata;
  // The tree invalidates what changed (invalidate_changes): no getattr before every cached read.
  conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
  if (conn->capable & FUSE_CAP_READDIRPLUS) conn->want |= FUSE_CAP_READDIRPLUS;
  if (conn->capable & FUSE_CAP_SPLICE_WRITE) conn->want |= FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE;
}

/** An entry given from a tree already replaced: that tree's invalidations may have gone out before the
 *  reply, and the kernel keeps what it was given for a day. Its name and attributes are dropped again
 *  (not its cached pages: trees are republished with nothing changed for them, and pages belong to a
 *  version, which the trees' comparison and cache_open look after). */
static void entry_given_stale(fuse_ino_t parent, const char *name, size_t len, fuse_ino_t id) {
  notice_push(parent, name, len);
  attrs_push(id);
}

/** Whether readdirplus gives `c` as a name only: a writer may have resized it, and a scratch file's size
 *  lives in JS, so there are no attributes for the kernel to keep. */
static int names_only(const node_t *c) {
  return !(c->flags & NODE_DIR) && ((c->flags & NODE_SCRATCH) || writers_has(c->ino));
}

/** Child `i` of `dir` in a listing's offsets (0 ".", 1 "..", 2 + k child k), and the length its name is
 *  listed with (a name is at most 255 bytes). */
static node_t *listed_child(snapshot_t *s, const node_t *dir, off_t i) {
  return snap_at(s, s->children->at[dir->first_child + (uint32_t)(i - 2)]);
}

static size_t listed_name_len(const node_t *c) {
  return c->name_len < 255 ? c->name_len : 255;
}

/** The served tree, held, when `s` is the pending one (a folder the echo made is answered from it), else
 *  NULL. */
static snapshot_t *served_beside_pending(snapshot_t *s) {
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *served = s && s == S.next_snap ? S.snap : NULL;
  if (served) atomic_fetch_add(&served->refs, 1);
  pthread_mutex_unlock(&S.snap_lock);
  return served;
}

/** `n`'s entry; `served`: the served tree when `n` is the pending one's. A file moving into a folder the
 *  echo made is still the served version's bytes until the pending tree is published, so it is given with
 *  that version's size and time: a watcher that reads it now and keeps its time (minidlna) finds another
 *  time with the closed write told after the publishing, and reads it again. */
static void node_entry_now(struct fuse_entry_param *e, const node_t *n, snapshot_t *served) {
  const node_t *was = served && !(n->flags & NODE_DIR) ? snap_node(served, n->ino) : NULL;
  if (!was) {
    node_entry(e, n);
    return;
  }
  node_t now = *n;
  now.size = was->size;
  now.mtime_ms = was->mtime_ms;
  now.flags = was->flags;
  node_entry(e, &now);
}

static int opened_by(uint64_t ino, void *process) {
  return readers_last(*(uint32_t *)process, ino) > 0;
}

/** What left `name` in folder `parent` (one of `s`, or a gone one) within the hour, as the requesting
 *  process finds it if it has not listed `parent` since: a file of `s` it opened before and not since, or
 *  found so before (into `*file`), or a gone folder that held one (its inode number into `*gone`). A
 *  tagger saving by the path it loaded: moved_names.h. Never the echo's own requests. */
static void moved_from(fuse_req_t req, snapshot_t *s, fuse_ino_t parent, const char *name, node_t **file,
                       uint64_t *gone) {
  double at = 0;
  int folder = 0;
  uint64_t ino = moved_name_find(parent & ~GONE_FOLDER_BIT, name, strlen(name), &at, &folder);
  if (!ino || echo_self(req)) return;
  uint32_t process = reader_process(req);
  node_t *n = snap_node(s, ino);
  if (folder) {
    if (!n && readers_last(process, parent) < at && moved_any(ino, 2, opened_by, &process)) *gone = ino;
  } else if (n && !(n->flags & (NODE_DIR | NODE_SCRATCH)) && knows_old_name(process, parent, ino, at)) {
    if (!moved_user(process, ino)) moved_user_add(process, ino);
    *file = n;
  }
}

/** Whether node `n` of tree `s` is a name the echo told watchers is gone, and `req` another process's: the
 *  served tree still has it until the whole batch is told (told_names.c). Not in the pending tree, which
 *  has a moved file at its new name already; not a file to a process that opened it, which finds it by
 *  that name once the tree is published too (moved_names.h: a tagger saving by the path it loaded). */
static int told_gone_to(fuse_req_t req, snapshot_t *s, const node_t *n) {
  if (!told_has(TOLD_GONE, n->ino) || echo_self(req) || snap_is_pending(s)) return 0;
  return (n->flags & NODE_DIR) || readers_last(reader_process(req), n->ino) == 0;
}

/** The file named `name` in folder `parent` of the tree pending beside the served one `s`, if the echo has
 *  told watchers of that name (a file moved or made there: told_names.c) and `req` is another process's:
 *  the served tree has it from the publish on. Held (snap_release it) in `*pending`. */
static node_t *told_made_to(fuse_req_t req, snapshot_t *s, fuse_ino_t parent, const char *name,
                            snapshot_t **pending) {
  *pending = NULL;
  if (echo_self(req)) return NULL;
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *p = s == S.snap ? S.next_snap : NULL;
  if (p) atomic_fetch_add(&p->refs, 1);
  pthread_mutex_unlock(&S.snap_lock);
  node_t *dir = snap_node(p, parent);
  node_t *n = dir && (dir->flags & NODE_DIR) ? snap_child(p, dir, name, strlen(name)) : NULL;
  if (!n || (n->flags & NODE_DIR) || !told_has(TOLD_MADE, n->ino)) {
    snap_release(p);
    return NULL;
  }
  *pending = p;
  return n;
}

/** A gone folder's attributes: a folder's, as of now. */
static void gone_folder_stat(struct stat *st, uint64_t ino) {
  fill_stat(st, ino, NODE_DIR, 0, epoch_ms());
}

void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name) {
  COUNT_REQUEST(REQ_LOOKUP);
  snapshot_t *s = snap_acquire_for(parent);
  node_t *dir = snap_node(s, parent);
  node_t *n = dir && (dir->flags & NODE_DIR) ? snap_child(s, dir, name, strlen(name)) : NULL;
  if (n && told_gone_to(req, s, n)) n = NULL;
  snapshot_t *pending = NULL;
  if (!n) n = told_made_to(req, s, parent, name, &pending);
  node_t *moved = NULL;
  uint64_t gone = 0;
  if (!n && (dir || gone_folder_id(parent))) moved_from(req, s, parent, name, &moved, &gone);
  if (moved) n = moved;
  if (gone) {
    // Another kernel inode than the folder's own, asked again at each lookup (the name is the process's).
    struct fuse_entry_param e = {.ino = gone | GONE_FOLDER_BIT, .attr_timeout = S.attr_timeout};
    gone_folder_stat(&e.attr, gone);
    fuse_reply_entry(req, &e);
  } else if (!n) {
    // A folder the echo thread just made is in no tree yet: nothing is in it.
    fuse_reply_err(req, dir || echo_self(req) || gone_folder_id(parent) ? ENOENT : ESTALE);
  } else if ((n->flags & NODE_SCRATCH) && echo_moves_other(req, n->ino)) {
    // The echo moving the file a rewrite written under its name was taken in as (JS no longer has the
    // scratch file): the kernel is told of the file the move makes.
    echo_reply_entry(req, NULL);
  } else if (!(n->flags & NODE_DIR) && ((n->flags & NODE_SCRATCH) || writers_has(n->ino))) {
    // A writer may have resized it, a scratch file's size lives in JS: JS knows its size.
    fuse_ino_t ino = n->ino;
    snap_release(pending);
    snap_release(s);
    forward_or_fail(OP_GETATTR, req, ino, 0, 0, 0, 1, NULL, 0);
    return;
  } else {
    struct fuse_entry_param e;
    // A name told made is the pending tree's; its bytes are the served version's until the publish.
    snapshot_t *served = pending ? NULL : served_beside_pending(s);
    node_entry_now(&e, n, pending ? s : served);
    snap_release(served);
    if (moved) e.entry_timeout = 0;  // asked again each time: the name is the process's alone, for a while
    fuse_reply_entry(req, &e);
    if (!snap_is_current(s)) entry_given_stale(parent, name, strlen(name), e.ino);
  }
  snap_release(pending);
  snap_release(s);
}

void op_getattr(fuse_req_t req, fuse_ino_t id, struct fuse_file_info *fi) {
  COUNT_REQUEST(REQ_GETATTR);
  (void)fi;
  uint64_t ino = node_ino(id);
  snapshot_t *s = snap_acquire_for(ino);
  node_t *n = snap_node(s, ino);
  // A writer's size is that of the inode it writes through, the version served: not an older version's
  // (a player's handle), whose size must stay its own.
  if (writers_has(ino) && (!n || node_id_of(n) == id)) {
    snap_release(s);
    forward_or_fail(OP_GETATTR, req, ino, 0, 0, 0, 0, NULL, 0);
    return;
  }
  if (gone_folder_id(id)) {
    struct stat st;
    gone_folder_stat(&st, ino & ~GONE_FOLDER_BIT);
    fuse_reply_attr(req, &st, S.attr_timeout);
  } else if (!n && echo_self(req)) {
    echo_reply_attr(req, id);
  } else if (!n) {
    fuse_reply_err(req, ENOENT);
  } else if (n->flags & NODE_SCRATCH) {
    forward_or_fail(OP_GETATTR, req, ino, 0, 0, 0, 0, NULL, 0);
  } else {
    // An inode of a version of another size (a handle still open on it): that version's size.
    struct stat st;
    fill_stat(&st, n->ino, n->flags, node_id_size(id, n->size), n->mtime_ms);
    fuse_reply_attr(req, &st, S.attr_timeout);
  }
  snap_release(s);
}

void op_setattr(fuse_req_t req, fuse_ino_t id, struct stat *attr, int to_set,
                       struct fuse_file_info *fi) {
  uint64_t ino = node_ino(id);
  if (echo_self(req)) {
    echo_reply_attr(req, id);  // the echo's truncate to the size the file has
    return;
  }
  if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) {
    // A tagger that rewrote a file sets its mode and owner back (libFLAC's chmod and chown after its
    // rename): accepted when that changes nothing, refused otherwise.
    snapshot_t *s = snap_acquire();
    node_t *n = snap_node(s, ino);
    mode_t mode = n ? node_mode(n->flags) : 0;
    snap_release(s);
    if (!n) {
      fuse_reply_err(req, ENOENT);
      return;
    }
    if (((to_set & FUSE_SET_ATTR_MODE) && (attr->st_mode & 07777) != (mode & 07777)) ||
        ((to_set & FUSE_SET_ATTR_UID) && attr->st_uid != S.uid) ||
        ((to_set & FUSE_SET_ATTR_GID) && attr->st_gid != S.gid)) {
      fuse_reply_err(req, EROFS);
      return;
    }
  }
  if (to_set & FUSE_SET_ATTR_SIZE) {
    // Only a writer's handle can truncate (truncate(2) by path finds the file's writer in JS).
    handle_t *h = fi ? (handle_t *)(uintptr_t)fi->fh : NULL;
    forward_or_fail(OP_SETSIZE, req, ino, h && h->js ? h->js_id : -1, (uint64_t)attr->st_size, 0, 0, NULL, 0);
    return;
  }
  op_getattr(req, id, fi);  // times: accepted and ignored (a tagger preserving mtime must not fail)
}

// An open directory: the snapshot its listing comes from. The handle's address is what the kernel keeps
// (fi->fh is set once, by opendir: libfuse does not keep a readdir's change to it, so a snapshot swapped
// in there would be lost, and the one released would come back with the next readdir).
typedef struct {
  pthread_mutex_t lock;  // readdir calls on one handle may come from several threads
  snapshot_t *snap;
  // While a tree is pending, the folders it adds to this one (indexes of `next`'s nodes): see list_added.
  snapshot_t *next;
  uint32_t *added, added_count;
} dir_handle_t;

/** The folders the pending tree adds to folder `ino` of the handle's tree, listed after its children,
 *  as a local file system lists a folder just made: the echo thread makes them before anything moves
 *  into them, and the tree is published after (mpd watches a new folder only once it finds it listing
 *  the folder it was told of; a folder not watched hears nothing of the files coming in). Given as names
 *  only: one the echo has not made yet is no entry the kernel keeps, so its mkdir is still told. And the
 *  files the echo has moved or made into it (told_names.c): their old names are left out as told gone,
 *  and a listing meanwhile would name neither. */
static void list_added(dir_handle_t *d, fuse_ino_t ino) {
  snap_release(d->next);
  free(d->added);
  d->next = NULL, d->added = NULL, d->added_count = 0;
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *p = S.next_snap != d->snap ? S.next_snap : NULL;
  if (p) atomic_fetch_add(&p->refs, 1);
  pthread_mutex_unlock(&S.snap_lock);
  node_t *dir = snap_node(d->snap, ino), *next = snap_node(p, ino);
  if (!dir || !next || !(next->flags & NODE_DIR) || next->child_count == 0 ||
      !(d->added = malloc(next->child_count * sizeof *d->added))) {
    snap_release(p);
    return;
  }
  for (uint32_t k = 0; k < next->child_count; k++) {
    uint32_t i = p->children->at[next->first_child + k];
    node_t *c = snap_at(p, i);
    int told = (c->flags & NODE_DIR) ? !snap_node(d->snap, c->ino) : told_has(TOLD_MADE, c->ino);
    if (told && !snap_child(d->snap, dir, c->name, c->name_len)) d->added[d->added_count++] = i;
  }
  d->next = p;
}

void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  snapshot_t *s = snap_acquire_for(ino);
  node_t *n = snap_node(s, ino);
  if (!n || !(n->flags & NODE_DIR)) {
    fuse_reply_err(req, n ? ENOTDIR : ENOENT);
    snap_release(s);
    return;
  }
  dir_handle_t *d = malloc(sizeof *d);
  if (!d) {
    fuse_reply_err(req, ENOMEM);
    snap_release(s);
    return;
  }
  // The listing comes from the snapshot it started with, however the tree changes meanwhile; the kernel
  // may keep it (invalidate_changes drops a directory's cached listing when its entries change).
  *d = (dir_handle_t){.snap = s};
  // Whoever lists a folder sees the names it has now: the old names of files moved from it are no longer
  // found for that process (moved_from).
  readers_note(reader_process(req), ino);
  pthread_mutex_init(&d->lock, NULL);
  fi->fh = (uint64_t)(uintptr_t)d;
  fi->cache_readdir = 1;
  fi->keep_cache = 1;
  if (fuse_reply_open(req, fi) != 0) {  // interrupted: no releasedir will come
    snap_release(s);
    pthread_mutex_destroy(&d->lock);
    free(d);
    return;
  }
  // A player lists a folder before it opens its files: JS may build their layouts meanwhile (no reply).
  forward(OP_LISTED, NULL, ino, 0, 0, 0, 0, NULL, 0);
}

static void readdir_any(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                        struct fuse_file_info *fi, int plus) {
  dir_handle_t *d = (dir_handle_t *)(uintptr_t)fi->fh;
  // Held while the listing is made (a restart on another thread would swap the handle's trees), and let
  // go before the reply: once it is out, the handle may be released, and freed, on another thread.
  pthread_mutex_lock(&d->lock);
  if (off == 0) {
    // A listing that starts (again) takes the current tree.
    snapshot_t *now = snap_acquire_for(ino);
    snap_release(d->snap);
    d->snap = now;
    list_added(d, ino);
  }
  // This listing's own reference, for what follows its reply.
  snapshot_t *s = d->snap;
  atomic_fetch_add(&s->refs, 1);
  node_t *dir = snap_node(s, ino);
  char *buf = dir ? malloc(size) : NULL;
  if (!buf) {
    pthread_mutex_unlock(&d->lock);
    fuse_reply_err(req, dir ? ENOMEM : ENOENT);
    snap_release(s);
    return;
  }
  snapshot_t *served = served_beside_pending(s);
  size_t used = 0;
  off_t end = off;  // the entries given: [off, end)
  // Offsets: 1 after ".", 2 after "..", 3 + i after child i, then the folders the pending tree adds.
  for (off_t i = off; i < (off_t)dir->child_count + 2 + d->added_count; i++) {
    struct fuse_entry_param e;
    char name[256];
    size_t n;
    if (i < 2) {
      node_t *self = i == 0 || dir->parent == NO_PARENT ? dir : snap_at(s, dir->parent);
      memset(&e, 0, sizeof e);
      e.ino = self->ino;
      node_stat(&e.attr, self);
      strcpy(name, i == 0 ? "." : "..");
      // "." and "..": no lookup count is taken for them, so no entry is given.
      n = plus ? fuse_add_direntry_plus(req, buf + used, size - used, name, &(struct fuse_entry_param){.ino = 0, .attr = e.attr}, i + 1)
               : fuse_add_direntry(req, buf + used, size - used, name, &e.attr, i + 1);
    } else {
      int added = i >= (off_t)dir->child_count + 2;
      node_t *c = added ? snap_at(d->next, d->added[i - dir->child_count - 2]) : listed_child(s, dir, i);
      if (!added && !served && told_has(TOLD_GONE, c->ino)) {
        end = i + 1;  // told gone: not listed either (told_names.c)
        continue;
      }
      size_t len = listed_name_len(c);
      memcpy(name, c->name, len);
      name[len] = 0;
      node_entry_now(&e, c, added ? s : served);  // an added file: the served version's bytes until then
      if (plus && (added || names_only(c))) e.ino = 0;
      n = plus ? fuse_add_direntry_plus(req, buf + used, size - used, name, &e, i + 1)
               : fuse_add_direntry(req, buf + used, size - used, name, &e.attr, i + 1);
    }
    if (n > size - used) break;
    used += n;
    end = i + 1;
  }
  snap_release(served);
  pthread_mutex_unlock(&d->lock);
  fuse_reply_buf(req, buf, used);
  free(buf);
  if (!snap_is_current(s)) {
    // The kernel may have cached this listing after the newer tree's invalidations: drop it again, and
    // with readdirplus each entry it gave, as a lookup's (a listing continued keeps its first tree).
    notice_push(ino, NULL, 0);
    for (off_t i = off < 2 ? 2 : off; plus && i < end && i < (off_t)dir->child_count + 2; i++) {
      node_t *c = listed_child(s, dir, i);
      if (!names_only(c)) entry_given_stale(ino, c->name, listed_name_len(c), node_id_of(c));
    }
  }
  snap_release(s);
}

void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
  COUNT_REQUEST(REQ_READDIR);
  readdir_any(req, ino, size, off, fi, 0);
}

void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                           struct fuse_file_info *fi) {
  COUNT_REQUEST(REQ_READDIR);
  readdir_any(req, ino, size, off, fi, 1);
}

void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  (void)ino;
  dir_handle_t *d = (dir_handle_t *)(uintptr_t)fi->fh;
  snap_release(d->snap);
  snap_release(d->next);
  free(d->added);
  pthread_mutex_destroy(&d->lock);
  free(d);
  fuse_reply_err(req, 0);
}

void op_statfs(fuse_req_t req, fuse_ino_t ino) {
  (void)ino;
  snapshot_t *s = snap_acquire();
  struct statvfs st = {.f_bsize = 128 * 1024, .f_frsize = 128 * 1024, .f_files = s ? s->files : 0,
                       .f_namemax = 255};
  snap_release(s);
  fuse_reply_statfs(req, &st);
}

void op_erofs_entry(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode) {
  (void)parent, (void)name, (void)mode;
  fuse_reply_err(req, EROFS);
}

void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode) {
  if (echo_self(req)) echo_reply_entry(req, NULL);
  else op_erofs_entry(req, parent, name, mode);
}

void op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name) {
  fuse_reply_err(req, echo_self(req) ? 0 : EROFS);
  (void)parent, (void)name;
}
void op_erofs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev) {
  (void)rdev;
  op_erofs_entry(req, parent, name, mode);
}
void op_erofs_name(fuse_req_t req, fuse_ino_t parent, const char *name) {
  op_erofs_entry(req, parent, name, 0);
}
void op_erofs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name) {
  (void)link;
  op_erofs_entry(req, parent, name, 0);
}

void op_erofs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname) {
  (void)ino;
  op_erofs_entry(req, newparent, newname, 0);
}

// ---- scratch files: what a tagger that rewrites a file whole creates beside it ----

/** Whether `name` in directory `parent` is a file whose `flags` JS decides on (0), another entry (EROFS) or
 *  nothing (ENOENT). */
static int js_decides_at(fuse_ino_t parent, const char *name, uint8_t flags) {
  snapshot_t *s = snap_acquire();
  node_t *dir = snap_node(s, parent);
  node_t *n = dir && (dir->flags & NODE_DIR) ? snap_child(s, dir, name, strlen(name)) : NULL;
  int err = !n ? ENOENT : !(n->flags & NODE_DIR) && (n->flags & flags) ? 0 : EROFS;
  snap_release(s);
  return err;
}

// JS decides whether the name may be a scratch file (it must extend the name of a file served beside it).
void op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, struct fuse_file_info *fi) {
  (void)mode;
  if (echo_self(req)) {
    echo_reply_entry(req, fi);
    return;
  }
  if (gone_folder_id(parent)) {
    // A gone folder holds only the old names of files an in-place save reaches (moved_names.h).
    fuse_reply_err(req, EROFS);
    return;
  }
  forward_or_fail(OP_CREATE, req, parent, 0, 0, 0, fi->flags, name, strlen(name));
}

void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name) {
  if (echo_self(req)) {
    fuse_reply_err(req, 0);
    return;
  }
  // A scratch file, or a file moved aside whose unlink takes in its rewrite (by the unlinking process).
  int err = js_decides_at(parent, name, NODE_SCRATCH | NODE_ASIDE);
  if (err) fuse_reply_err(req, err);
  else forward_or_fail(OP_UNLINK, req, parent, 0, reader_process(req), 0, 0, name, strlen(name));
}

// Only a scratch file moves, over a served file (JS checks the target and saves the edit), or a served
// file whose tags can be written, aside and back (JS checks the names): the names go as
// "name\0newname", the new parent in place of a handle number.
void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
               const char *newname, unsigned int flags) {
  if (echo_self(req)) {
    fuse_reply_err(req, 0);
    return;
  }
  int err = js_decides_at(parent, name, NODE_SCRATCH | NODE_ASIDE | NODE_WRITABLE);
  if (err) {
    fuse_reply_err(req, err);
    return;
  }
  size_t len = strlen(name), newlen = strlen(newname);
  char *both = malloc(len + 1 + newlen);
  if (!both) {
    fuse_reply_err(req, ENOMEM);
    return;
  }
  memcpy(both, name, len + 1);
  memcpy(both + len + 1, newname, newlen);
  forward_or_fail(OP_RENAME, req, parent, (double)newparent, reader_process(req), 0, (int)flags, both,
                  len + 1 + newlen);
  free(both);
}
