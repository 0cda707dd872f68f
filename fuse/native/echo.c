// The mount's own changes told to whoever watches it. The kernel reports to inotify watchers (media
// servers, mpd's auto_update, minidlna) only operations that pass through its VFS, and a new tree this
// daemon publishes passes through none. So this thread makes them: for each change JS lists, the
// operation a local file system would have seen — mkdir, rename, create, unlink, rmdir, or an open for
// writing truncated to the file's size — done on the mount's own paths. The requests they cause come
// from this thread and are answered from the operation under way, changing nothing (the tree JS
// publishes next says it already): a watcher gets what a local file system would give it, the kernel's
// own cookie pairing each move's two events. JS lists a tree's moves, creations and removals before it
// publishes that tree (the old names must still be there to move), its modifications after.
#define _GNU_SOURCE  // O_PATH, renameat2
#include "state.h"
#include "echo.h"
#include "forward.h"
#include "snapshot.h"
#include "told_names.h"
#include <sys/syscall.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

typedef struct {
  uint8_t kind, flags;
  uint64_t ino, size;
  double mtime_ms;
  char *path, *path2;  // relative to the mount point, NUL-terminated
} echo_op_t;

typedef struct echo_batch {
  struct echo_batch *next;
  uint64_t id;
  /** The served tree's generation when the batch was queued: its removals hold for that tree only. */
  uint64_t generation;
  uint32_t count;
  echo_op_t *ops;
  char *text;  // the paths, each NUL-terminated
} echo_batch_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static echo_batch_t *head, **tail = &head;
static int started;
static char root_path[4096];
/** The echo thread's id: the kernel names a request's thread, not its process. */
static atomic_int echo_tid;
/** The operation the echo thread is doing: only it sets it, the request threads read it. */
static _Atomic(const echo_op_t *) current;

void echo_mounted_at(const char *mountpoint) {
  snprintf(root_path, sizeof root_path, "%s", mountpoint);
}

int echo_self(fuse_req_t req) {
  int tid = atomic_load(&echo_tid);
  const struct fuse_ctx *ctx = fuse_req_ctx(req);
  return tid != 0 && ctx && ctx->pid == tid;
}

int echo_moves_other(fuse_req_t req, uint64_t ino) {
  const echo_op_t *op = echo_self(req) ? atomic_load(&current) : NULL;
  return op && op->kind == ECHO_RENAME && op->ino != ino;
}

void echo_reply_entry(fuse_req_t req, struct fuse_file_info *fi) {
  const echo_op_t *op = atomic_load(&current);
  if (!op) {
    fuse_reply_err(req, EIO);
    return;
  }
  struct fuse_entry_param e;
  memset(&e, 0, sizeof e);
  e.ino = node_id(op->ino, op->size);
  e.attr_timeout = e.entry_timeout = S.attr_timeout;
  fill_stat(&e.attr, op->ino, op->flags, op->size, op->mtime_ms);
  if (!fi) {
    fuse_reply_entry(req, &e);
    return;
  }
  fi->fh = 0;  // an echo handle: flush and release answer it at once
  fi->direct_io = 1;
  fuse_reply_create(req, &e, fi);
}

void echo_reply_attr(fuse_req_t req, fuse_ino_t id) {
  const echo_op_t *op = atomic_load(&current);
  if (!op || op->ino != node_ino(id)) {
    fuse_reply_err(req, ENOENT);
    return;
  }
  // The size of the version the node id is (a later edit's, when the echo tells of an earlier one late):
  // the kernel takes it as that inode's.
  struct stat st;
  fill_stat(&st, op->ino, op->flags, node_id_size(id, op->size), op->mtime_ms);
  fuse_reply_attr(req, &st, S.attr_timeout);
}

/** An open for writing, truncated to the size it has: the kernel reports IN_OPEN, IN_MODIFY and, as it
 *  closes, IN_CLOSE_WRITE. A file the daemon's user may not write (served read-only, a daemon not run as
 *  root) is removed and made again instead, which watchers read as a new file. */
static int modify(int root, const echo_op_t *op) {
  int fd = openat(root, op->path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 && errno == EACCES) {
    if (unlinkat(root, op->path, 0) != 0) return -1;
    fd = openat(root, op->path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    close(fd);
    return 0;
  }
  if (fd < 0) return -1;
  int rc = ftruncate(fd, (off_t)op->size);
  close(fd);
  return rc;
}

static int perform(int root, const echo_op_t *op) {
  switch (op->kind) {
    case ECHO_MKDIR:
      return mkdirat(root, op->path, 0755) == 0 || errno == EEXIST ? 0 : -1;
    case ECHO_RENAME:
      // Never over a name the kernel knows: a watcher listing a new folder (answered from the pending
      // tree) found the file there already, so only its old name's removal is left to tell.
      if (syscall(SYS_renameat2, root, op->path, root, op->path2, RENAME_NOREPLACE) == 0) return 0;
      if (errno == EEXIST) return unlinkat(root, op->path, 0);
      return errno == EINVAL ? renameat(root, op->path, root, op->path2) : -1;
    case ECHO_CREATE: {
      int fd = openat(root, op->path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
      if (fd < 0) return errno == EEXIST ? 0 : -1;  // found by a watcher's listing already
      close(fd);
      return 0;
    }
    case ECHO_UNLINK:
      return unlinkat(root, op->path, 0);
    case ECHO_RMDIR:
      return unlinkat(root, op->path, AT_REMOVEDIR);
    case ECHO_MODIFY:
      return modify(root, op);
    default:
      errno = EINVAL;
      return -1;
  }
}

// The mount's root is opened for each batch and closed after it: held between batches, it kept the mount
// busy, and the unmount a user types (fusermount3 -u, umount) failed with EBUSY.
static void run_batch(echo_batch_t *b) {
  uint32_t failed = 0;
  char first[512] = "";
  int root = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  // Names made, moved or removed are told before the tree that changes them is set (mount-echo.ts), a
  // file's new bytes after: the first such operation dates the next tree's moves.
  double unset = 0;
  for (uint32_t i = 0; i < b->count; i++)
    if (b->ops[i].kind != ECHO_MODIFY) {
      atomic_compare_exchange_strong(&S.echo_began_ms, &unset, epoch_ms());
      break;
    }
  for (uint32_t i = 0; i < b->count && S.running; i++) {
    const echo_op_t *op = &b->ops[i];
    // A name removed is gone for every other process too, and a file's name made is found (told_names.c):
    // from before the kernel tells a watcher, which may look at once; kept only if the operation was made.
    int removes = op->kind == ECHO_UNLINK || op->kind == ECHO_RMDIR || op->kind == ECHO_RENAME;
    int makes = op->kind == ECHO_RENAME || op->kind == ECHO_CREATE;
    if (removes) told_add(TOLD_GONE, b->generation, op->ino);
    if (makes) told_add(TOLD_MADE, b->generation, op->ino);
    atomic_store(&current, op);
    int rc = root < 0 ? -1 : perform(root, op);
    int err = errno;
    atomic_store(&current, NULL);
    if (rc == 0) continue;
    if (removes) told_forget(TOLD_GONE, b->generation, op->ino);
    if (makes) told_forget(TOLD_MADE, b->generation, op->ino);
    if (failed++ == 0)
      snprintf(first, sizeof first, "%s %s: %s", op->kind == ECHO_RENAME ? "moving" : "telling of", op->path,
               strerror(err));
  }
  if (root >= 0) close(root);
  forward(OP_ECHOED, NULL, b->id, 0, failed, b->count, 0, first, strlen(first));
}

static void *echo_main(void *arg) {
  (void)arg;
  atomic_store(&echo_tid, (int)syscall(SYS_gettid));
  for (;;) {
    pthread_mutex_lock(&lock);
    while (!head) pthread_cond_wait(&wake, &lock);
    echo_batch_t *b = head;
    head = b->next;
    if (!head) tail = &head;
    pthread_mutex_unlock(&lock);
    run_batch(b);
    free(b->ops);
    free(b->text);
    free(b);
  }
  return NULL;
}

// Each change: kind u8, flags u8, two bytes unused, path length u32, second path length u32, ino f64,
// size f64, mtime f64 (little-endian, as JS writes it on this machine), then the two paths' bytes.
#define RECORD 36

int echo_queue(const uint8_t *bytes, size_t len, uint64_t id) {
  uint32_t count = 0;
  size_t text = 0;
  for (size_t at = 0; at < len; count++) {
    uint32_t l1, l2;
    if (len - at < RECORD) return -1;
    memcpy(&l1, bytes + at + 4, 4);
    memcpy(&l2, bytes + at + 8, 4);
    if (l1 == 0 || l1 > 4096 || l2 > 4096 || len - at - RECORD < (size_t)l1 + l2) return -1;
    at += RECORD + l1 + l2;
    text += (size_t)l1 + l2 + 2;
  }
  echo_batch_t *b = calloc(1, sizeof *b);
  echo_op_t *ops = calloc(count ? count : 1, sizeof *ops);
  char *t = malloc(text ? text : 1);
  if (!b || !ops || !t) {
    free(b), free(ops), free(t);
    return -1;
  }
  char *w = t;
  size_t at = 0;
  for (uint32_t i = 0; i < count; i++) {
    echo_op_t *op = &ops[i];
    uint32_t l1, l2;
    double ino, size;
    op->kind = bytes[at];
    op->flags = bytes[at + 1];
    memcpy(&l1, bytes + at + 4, 4);
    memcpy(&l2, bytes + at + 8, 4);
    memcpy(&ino, bytes + at + 12, 8);
    memcpy(&size, bytes + at + 20, 8);
    memcpy(&op->mtime_ms, bytes + at + 28, 8);
    op->ino = ino > 0 ? (uint64_t)ino : 0;
    op->size = size > 0 ? (uint64_t)size : 0;
    at += RECORD;
    op->path = w;
    memcpy(w, bytes + at, l1);
    w += l1;
    *w++ = 0;
    at += l1;
    op->path2 = w;
    memcpy(w, bytes + at, l2);
    w += l2;
    *w++ = 0;
    at += l2;
  }
  *b = (echo_batch_t){.id = id, .generation = told_generation(), .count = count, .ops = ops, .text = t};
  pthread_mutex_lock(&lock);
  if (!started) {
    pthread_t thread;
    started = pthread_create(&thread, NULL, echo_main, NULL) == 0;
    if (started) pthread_detach(thread);
  }
  *tail = b;
  tail = &b->next;
  pthread_cond_signal(&wake);
  pthread_mutex_unlock(&lock);
  return started ? 0 : -1;
}
