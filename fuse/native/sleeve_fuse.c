// Sleeve's FUSE binding: libfuse 3's low-level API, served by libfuse's own worker threads.
//
// Why native: the hot paths (lookup, getattr, readdir, and reads of files opened read-only) are answered
// here without the JS thread, from an immutable snapshot of the tree that JS pushes, and from a per-handle
// copy of the regenerated header plus positioned reads of the original. Everything that needs the
// library (building a header on open, a writer's overlay, saving an edit) is forwarded to JS through one
// thread-safe function and answered later from the JS thread: the low-level API lets any thread reply.
//
// One mount per process (the daemon serves one library).
#define FUSE_USE_VERSION 312
#define NAPI_VERSION 8
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <math.h>
#include <node_api.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

// ---- requests forwarded to JS (the numbers are the contract with fuse/native-binding.ts) ----
enum { OP_OPEN = 1, OP_READ, OP_WRITE, OP_FLUSH, OP_RELEASE, OP_GETATTR, OP_SETSIZE, OP_LOG, OP_EXIT };

#define NODE_DIR 1
#define NODE_WRITABLE 2
#define NO_PARENT UINT32_MAX

typedef struct {
  uint64_t ino;
  uint64_t size;
  double mtime_ms;
  double version;
  uint32_t parent;  // node index, NO_PARENT for the root
  uint32_t name_off, name_len;
  uint32_t first_child, child_count;  // into snapshot.children, sorted by name
  uint8_t flags;
} node_t;

// An immutable tree; readers hold a reference while they use it.
typedef struct {
  atomic_int refs;
  node_t *nodes;
  uint32_t count;
  char *names;
  uint32_t *children;
  uint32_t *table;  // open addressing: ino -> node index + 1 (0 = empty)
  uint32_t mask;
  uint64_t files;
} snapshot_t;

// What a file serves at one version: its header, then the original's audio. Shared by the handles
// reading it and by the open fast path, which opens the same version again without asking JS.
typedef struct {
  atomic_int refs;
  uint64_t ino;
  double version;
  uint8_t *header;
  uint64_t header_size, audio_start, size, orig_size;
  double orig_mtime_ms;
  char *orig_path;  // the original
  char *path;       // the served path, for log lines
} layout_t;

typedef struct {
  int js;         // forwarded to JS (a writer): its ops go there
  double js_id;   // JS's handle number
  uint64_t ino;
  int fd;         // the original, read-only (native handles only)
  layout_t *layout;  // native handles only
  int cached;     // reads and writes go through the kernel's page cache (else direct_io)
} handle_t;

// Whose bytes the kernel's cached pages of a file are: a version's, or nobody's (NAN) once a writer
// wrote through them. Pages shared by handles of two versions would mix them, so an open whose version
// differs from the pages' while handles use them bypasses the cache, and the first open after they all
// closed drops the pages unless they are its own version's.
typedef struct cache_entry {
  struct cache_entry *next;
  uint64_t ino;
  double version;
  unsigned opens;
} cache_entry_t;

#define LAYOUT_BUCKETS 4096
#define LAYOUT_BUDGET_BYTES (64u << 20)

typedef struct layout_entry {
  struct layout_entry *next;
  layout_t *layout;
} layout_entry_t;

// A request JS owes a reply, under a number of its own: libfuse reuses a freed request's address at
// once, so a late or second reply must not reach whatever request lives there now.
typedef struct {
  uint64_t id;
  fuse_req_t req;
  int op;
} pending_t;

typedef struct {
  int op;
  uint64_t id;  // 0: no reply expected (log, exit)
  fuse_req_t req;
  uint64_t ino;
  double fh;
  uint64_t offset, size;
  int flags;
  char *data;  // owned; write data or a log line
  size_t data_len;
} forward_t;

typedef struct notice {
  struct notice *next;
  uint64_t ino;  // inode to invalidate, or the parent of `name`
  char *name;    // NULL: invalidate the inode
  size_t name_len;
} notice_t;

static struct {
  struct fuse_session *se;
  pthread_t loop_thread, notify_thread;
  atomic_int running;
  napi_threadsafe_function tsfn;
  double attr_timeout;
  uid_t uid;
  gid_t gid;
  pthread_mutex_t snap_lock;
  snapshot_t *snap;
  // Requests JS owes a reply: a reply to anything else is refused, not a crash.
  pthread_mutex_t pending_lock;
  pending_t *pending;
  size_t pending_count, pending_cap;
  uint64_t next_id;
  // inodes with a JS handle open: their attributes come from JS (a writer may have resized them)
  pthread_mutex_t writers_lock;
  uint64_t *writer_inos;
  size_t writer_count, writer_cap;
  // the last layout JS gave for each file opened read-only, within a byte budget
  pthread_mutex_t layouts_lock;
  layout_entry_t *layouts[LAYOUT_BUCKETS];
  size_t layout_bytes;
  pthread_mutex_t cache_lock;
  cache_entry_t *caches[LAYOUT_BUCKETS];
  // invalidations, sent by their own thread: the kernel may wait on a request JS is answering
  pthread_mutex_t notice_lock;
  pthread_cond_t notice_cond;
  notice_t *notices, **notices_tail;
} S = {
    .snap_lock = PTHREAD_MUTEX_INITIALIZER,
    .pending_lock = PTHREAD_MUTEX_INITIALIZER,
    .writers_lock = PTHREAD_MUTEX_INITIALIZER,
    .layouts_lock = PTHREAD_MUTEX_INITIALIZER,
    .cache_lock = PTHREAD_MUTEX_INITIALIZER,
    .notice_lock = PTHREAD_MUTEX_INITIALIZER,
    .notice_cond = PTHREAD_COND_INITIALIZER,
};

// ---- snapshots ----

static snapshot_t *snap_acquire(void) {
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *s = S.snap;
  if (s) atomic_fetch_add(&s->refs, 1);
  pthread_mutex_unlock(&S.snap_lock);
  return s;
}

static int snap_is_current(snapshot_t *s) {
  pthread_mutex_lock(&S.snap_lock);
  int current = s == S.snap;
  pthread_mutex_unlock(&S.snap_lock);
  return current;
}

static void snap_release(snapshot_t *s) {
  if (!s || atomic_fetch_sub(&s->refs, 1) != 1) return;
  free(s->nodes);
  free(s->names);
  free(s->children);
  free(s->table);
  free(s);
}

static uint32_t hash_ino(uint64_t ino) {
  ino ^= ino >> 33;
  ino *= 0xff51afd7ed558ccdULL;
  ino ^= ino >> 33;
  return (uint32_t)ino;
}

static node_t *snap_node(snapshot_t *s, uint64_t ino) {
  if (!s) return NULL;
  for (uint32_t i = hash_ino(ino) & s->mask;; i = (i + 1) & s->mask) {
    uint32_t slot = s->table[i];
    if (slot == 0) return NULL;
    if (s->nodes[slot - 1].ino == ino) return &s->nodes[slot - 1];
  }
}

static int name_cmp(const snapshot_t *s, const node_t *n, const char *name, size_t len) {
  size_t m = n->name_len < len ? n->name_len : len;
  int c = memcmp(s->names + n->name_off, name, m);
  if (c != 0) return c;
  return n->name_len < len ? -1 : n->name_len > len ? 1 : 0;
}

static node_t *snap_child(snapshot_t *s, const node_t *dir, const char *name, size_t len) {
  uint32_t lo = 0, hi = dir->child_count;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    node_t *c = &s->nodes[s->children[dir->first_child + mid]];
    int cmp = name_cmp(s, c, name, len);
    if (cmp == 0) return c;
    if (cmp < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

static const snapshot_t *sort_snap;
static int child_order(const void *a, const void *b) {
  const node_t *x = &sort_snap->nodes[*(const uint32_t *)a];
  return name_cmp(sort_snap, x, sort_snap->names + sort_snap->nodes[*(const uint32_t *)b].name_off,
                  sort_snap->nodes[*(const uint32_t *)b].name_len);
}

// ---- invalidations ----

static void notice_push(uint64_t ino, const char *name, size_t len) {
  notice_t *n = calloc(1, sizeof *n);
  if (!n) return;
  n->ino = ino;
  if (name) {
    n->name = malloc(len + 1);
    if (!n->name) {
      free(n);
      return;
    }
    memcpy(n->name, name, len);
    n->name[len] = 0;
    n->name_len = len;
  }
  pthread_mutex_lock(&S.notice_lock);
  if (!S.notices_tail) S.notices_tail = &S.notices;
  *S.notices_tail = n;
  S.notices_tail = &n->next;
  pthread_cond_signal(&S.notice_cond);
  pthread_mutex_unlock(&S.notice_lock);
}

// Runs until the process exits (see js_unmount).
static void *notify_main(void *arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&S.notice_lock);
    while (!S.notices) pthread_cond_wait(&S.notice_cond, &S.notice_lock);
    notice_t *n = S.notices;
    S.notices = n->next;
    if (!S.notices) S.notices_tail = &S.notices;
    pthread_mutex_unlock(&S.notice_lock);
    if (!S.running) {
      // unmounted: nothing to tell
    } else if (n->name) {
      fuse_lowlevel_notify_inval_entry(S.se, n->ino, n->name, n->name_len);
    } else {
      fuse_lowlevel_notify_inval_inode(S.se, n->ino, 0, 0);
    }
    free(n->name);
    free(n);
  }
  return NULL;
}

// What the kernel may have cached from `old` and `next` no longer says: changed files and directories
// (attributes and data) and names that went away or now lead elsewhere.
static void invalidate_changes(snapshot_t *old, snapshot_t *next) {
  // An inode that leaves or (re)appears may still be held (an open file, a cwd): drop what it cached.
  for (uint32_t i = 0; i < next->count; i++)
    if (!snap_node(old, next->nodes[i].ino)) notice_push(next->nodes[i].ino, NULL, 0);
  for (uint32_t i = 0; i < old->count; i++) {
    node_t *o = &old->nodes[i];
    node_t *n = snap_node(next, o->ino);
    if (!n) notice_push(o->ino, NULL, 0);
    if (!(o->flags & NODE_DIR)) {
      if (n && (n->size != o->size || n->mtime_ms != o->mtime_ms || n->version != o->version))
        notice_push(o->ino, NULL, 0);
      continue;
    }
    if (!n || !(n->flags & NODE_DIR)) {
      if (o->parent != NO_PARENT) notice_push(old->nodes[o->parent].ino, old->names + o->name_off, o->name_len);
      continue;
    }
    int changed = n->child_count != o->child_count || n->mtime_ms != o->mtime_ms;
    for (uint32_t c = 0; c < o->child_count; c++) {
      node_t *oc = &old->nodes[old->children[o->first_child + c]];
      node_t *nc = snap_child(next, n, old->names + oc->name_off, oc->name_len);
      if (!nc || nc->ino != oc->ino) {
        notice_push(o->ino, old->names + oc->name_off, oc->name_len);
        changed = 1;
      }
    }
    if (changed) notice_push(o->ino, NULL, 0);
  }
}

// ---- forwarding to JS ----

/** Registers a request JS must answer; returns its number, 0 if it could not be registered. */
static uint64_t pending_add(fuse_req_t req, int op) {
  uint64_t id = 0;
  pthread_mutex_lock(&S.pending_lock);
  if (S.pending_count == S.pending_cap) {
    size_t cap = S.pending_cap ? S.pending_cap * 2 : 64;
    pending_t *grown = realloc(S.pending, cap * sizeof *grown);
    if (grown) {
      S.pending = grown;
      S.pending_cap = cap;
    }
  }
  if (S.pending_count < S.pending_cap) {
    id = ++S.next_id;
    S.pending[S.pending_count++] = (pending_t){id, req, op};
  }
  pthread_mutex_unlock(&S.pending_lock);
  return id;
}

/** Takes the request with this number if it is of one of `ops` (a bit per op); NULL otherwise. */
static fuse_req_t pending_take(uint64_t id, unsigned ops) {
  fuse_req_t req = NULL;
  pthread_mutex_lock(&S.pending_lock);
  for (size_t i = 0; i < S.pending_count; i++) {
    if (S.pending[i].id != id) continue;
    if (ops & (1u << S.pending[i].op)) {
      req = S.pending[i].req;
      S.pending[i] = S.pending[--S.pending_count];
    }
    break;
  }
  pthread_mutex_unlock(&S.pending_lock);
  return req;
}

#define ANY_OP (~0u)

static int forward(int op, fuse_req_t req, uint64_t ino, double fh, uint64_t offset, uint64_t size,
                   int flags, const char *data, size_t data_len) {
  forward_t *f = calloc(1, sizeof *f);
  if (!f) return -1;
  *f = (forward_t){op, 0, req, ino, fh, offset, size, flags, NULL, data_len};
  if (data_len > 0) {
    f->data = malloc(data_len);
    if (!f->data) {
      free(f);
      return -1;
    }
    memcpy(f->data, data, data_len);
  }
  if (req && !(f->id = pending_add(req, op))) {
    free(f->data);
    free(f);
    return -1;
  }
  if (napi_call_threadsafe_function(S.tsfn, f, napi_tsfn_blocking) != napi_ok) {
    if (f->id) pending_take(f->id, ANY_OP);
    free(f->data);
    free(f);
    return -1;
  }
  return 0;
}

static void forward_or_fail(int op, fuse_req_t req, uint64_t ino, double fh, uint64_t offset,
                            uint64_t size, int flags, const char *data, size_t len) {
  if (forward(op, req, ino, fh, offset, size, flags, data, len) != 0) fuse_reply_err(req, EIO);
}

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_line(const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n > 0) forward(OP_LOG, NULL, 0, 0, 0, 0, 0, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void call_js(napi_env env, napi_value callback, void *context, void *data) {
  (void)context;
  forward_t *f = data;
  if (env && callback) {
    napi_value argv[8], undefined;
    napi_get_undefined(env, &undefined);
    napi_create_int32(env, f->op, &argv[0]);
    napi_create_bigint_uint64(env, f->id, &argv[1]);
    napi_create_double(env, (double)f->ino, &argv[2]);
    napi_create_double(env, f->fh, &argv[3]);
    napi_create_double(env, (double)f->offset, &argv[4]);
    napi_create_double(env, (double)f->size, &argv[5]);
    argv[6] = undefined;
    if (f->data) napi_create_buffer_copy(env, f->data_len, f->data, NULL, &argv[6]);
    napi_create_int32(env, f->flags, &argv[7]);
    if (napi_call_function(env, undefined, callback, 8, argv, NULL) != napi_ok) {
      // The JS handler threw: say so, and answer the request rather than leave its caller hanging.
      napi_value exception, text;
      char message[512] = "";
      size_t len;
      napi_get_and_clear_last_exception(env, &exception);
      if (napi_coerce_to_string(env, exception, &text) == napi_ok)
        napi_get_value_string_utf8(env, text, message, sizeof message, &len);
      fprintf(stderr, "sleeve-fuse: the handler of request %d threw: %s\n", f->op, message);
      fuse_req_t req = f->id ? pending_take(f->id, ANY_OP) : NULL;
      if (req) fuse_reply_err(req, EIO);
    }
  } else if (f->id) {
    fuse_req_t req = pending_take(f->id, ANY_OP);
    if (req) fuse_reply_err(req, EIO);
  }
  free(f->data);
  free(f);
}

// ---- writers ----

static void writers_add(uint64_t ino) {
  pthread_mutex_lock(&S.writers_lock);
  if (S.writer_count == S.writer_cap) {
    size_t cap = S.writer_cap ? S.writer_cap * 2 : 16;
    uint64_t *grown = realloc(S.writer_inos, cap * sizeof *grown);
    if (grown) {
      S.writer_inos = grown;
      S.writer_cap = cap;
    }
  }
  if (S.writer_count < S.writer_cap) S.writer_inos[S.writer_count++] = ino;
  pthread_mutex_unlock(&S.writers_lock);
}

static void writers_remove(uint64_t ino) {
  pthread_mutex_lock(&S.writers_lock);
  for (size_t i = 0; i < S.writer_count; i++) {
    if (S.writer_inos[i] == ino) {
      S.writer_inos[i] = S.writer_inos[--S.writer_count];
      break;
    }
  }
  pthread_mutex_unlock(&S.writers_lock);
}

static int writers_has(uint64_t ino) {
  int found = 0;
  pthread_mutex_lock(&S.writers_lock);
  for (size_t i = 0; i < S.writer_count && !found; i++) found = S.writer_inos[i] == ino;
  pthread_mutex_unlock(&S.writers_lock);
  return found;
}

// ---- layouts ----

static void layout_release(layout_t *l) {
  if (!l || atomic_fetch_sub(&l->refs, 1) != 1) return;
  free(l->header);
  free(l->orig_path);
  free(l->path);
  free(l);
}

static void layouts_clear_locked(void) {
  for (size_t b = 0; b < LAYOUT_BUCKETS; b++) {
    for (layout_entry_t *e = S.layouts[b], *next; e; e = next) {
      next = e->next;
      layout_release(e->layout);
      free(e);
    }
    S.layouts[b] = NULL;
  }
  S.layout_bytes = 0;
}

/** Removes the file's remembered layout; returns it (the caller owns that reference) or NULL. */
static layout_t *layouts_take_locked(uint64_t ino) {
  for (layout_entry_t **at = &S.layouts[hash_ino(ino) % LAYOUT_BUCKETS]; *at; at = &(*at)->next) {
    if ((*at)->layout->ino != ino) continue;
    layout_entry_t *e = *at;
    layout_t *l = e->layout;
    *at = e->next;
    free(e);
    S.layout_bytes -= l->header_size;
    return l;
  }
  return NULL;
}

static void layouts_remember(layout_t *l) {
  layout_entry_t *e = malloc(sizeof *e);
  if (!e) return;
  atomic_fetch_add(&l->refs, 1);
  e->layout = l;
  pthread_mutex_lock(&S.layouts_lock);
  layout_release(layouts_take_locked(l->ino));
  if (S.layout_bytes + l->header_size > LAYOUT_BUDGET_BYTES) layouts_clear_locked();
  size_t b = hash_ino(l->ino) % LAYOUT_BUCKETS;
  e->next = S.layouts[b];
  S.layouts[b] = e;
  S.layout_bytes += l->header_size;
  pthread_mutex_unlock(&S.layouts_lock);
}

/** The file's remembered layout if it is of the version the tree serves now (a new reference). */
static layout_t *layouts_current(uint64_t ino) {
  layout_t *l = NULL;
  pthread_mutex_lock(&S.layouts_lock);
  for (layout_entry_t *e = S.layouts[hash_ino(ino) % LAYOUT_BUCKETS]; e; e = e->next) {
    if (e->layout->ino == ino) {
      l = e->layout;
      atomic_fetch_add(&l->refs, 1);
      break;
    }
  }
  pthread_mutex_unlock(&S.layouts_lock);
  if (!l) return NULL;
  snapshot_t *s = snap_acquire();
  node_t *n = snap_node(s, ino);
  int current = n && n->version == l->version;
  snap_release(s);
  if (current) return l;
  layout_release(l);
  return NULL;
}

// ---- page cache ownership ----

/** How an open of `version` uses the file's cached pages: sets keep_cache/direct_io, returns whether it
 *  uses them (then cache_close must follow). A writer's bytes belong to no version. */
static int cache_open(uint64_t ino, double version, int writer, struct fuse_file_info *fi) {
  pthread_mutex_lock(&S.cache_lock);
  cache_entry_t **at = &S.caches[hash_ino(ino) % LAYOUT_BUCKETS];
  while (*at && (*at)->ino != ino) at = &(*at)->next;
  if (!*at && (*at = calloc(1, sizeof **at))) (*at)->ino = ino, (*at)->version = NAN;
  cache_entry_t *e = *at;
  int use = 1;
  if (!e) {
    fi->keep_cache = 0, fi->direct_io = 1, use = 0;  // out of memory: the safe way
  } else if (e->opens == 0 || e->version == version) {
    fi->keep_cache = e->version == version;
    e->version = writer ? NAN : version;
    e->opens++;
  } else {
    // Handles of another version (or a writer) use the pages: this one's would mix with theirs.
    fi->keep_cache = 0, fi->direct_io = 1, use = 0;
  }
  pthread_mutex_unlock(&S.cache_lock);
  return use;
}

static void cache_close(uint64_t ino) {
  pthread_mutex_lock(&S.cache_lock);
  for (cache_entry_t *e = S.caches[hash_ino(ino) % LAYOUT_BUCKETS]; e; e = e->next) {
    if (e->ino == ino) {
      if (e->opens > 0) e->opens--;
      break;
    }
  }
  pthread_mutex_unlock(&S.cache_lock);
}

// ---- attributes ----

static void fill_stat(struct stat *st, uint64_t ino, int dir, uint64_t size, double mtime_ms) {
  memset(st, 0, sizeof *st);
  st->st_ino = ino;
  st->st_mode = dir ? (S_IFDIR | 0755) : (S_IFREG | 0644);
  st->st_nlink = dir ? 2 : 1;
  st->st_uid = S.uid;
  st->st_gid = S.gid;
  st->st_size = dir ? 4096 : (off_t)size;
  st->st_blksize = 128 * 1024;
  st->st_blocks = (blkcnt_t)((st->st_size + 511) / 512);
  double sec = floor(mtime_ms / 1000);
  long nsec = (long)((mtime_ms - sec * 1000) * 1e6);
  struct timespec t = {(time_t)sec, nsec < 0 ? 0 : nsec > 999999999 ? 999999999 : nsec};
  st->st_mtim = st->st_atim = st->st_ctim = t;
}

static void node_stat(struct stat *st, const node_t *n) {
  fill_stat(st, n->ino, n->flags & NODE_DIR, n->size, n->mtime_ms);
}

static void node_entry(struct fuse_entry_param *e, const node_t *n) {
  memset(e, 0, sizeof *e);
  e->ino = n->ino;
  e->attr_timeout = S.attr_timeout;
  e->entry_timeout = S.attr_timeout;
  node_stat(&e->attr, n);
}

// ---- operations ----

static void op_init(void *userdata, struct fuse_conn_info *conn) {
  (void)userdata;
  // The tree invalidates what changed (invalidate_changes): no getattr before every cached read.
  conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
  if (conn->capable & FUSE_CAP_READDIRPLUS) conn->want |= FUSE_CAP_READDIRPLUS;
  if (conn->capable & FUSE_CAP_SPLICE_WRITE) conn->want |= FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE;
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name) {
  snapshot_t *s = snap_acquire();
  node_t *dir = snap_node(s, parent);
  node_t *n = dir && (dir->flags & NODE_DIR) ? snap_child(s, dir, name, strlen(name)) : NULL;
  if (!n) {
    fuse_reply_err(req, dir ? ENOENT : ESTALE);
  } else if (!(n->flags & NODE_DIR) && writers_has(n->ino)) {
    // A writer may have resized it: JS knows its size.
    fuse_ino_t ino = n->ino;
    snap_release(s);
    forward_or_fail(OP_GETATTR, req, ino, 0, 0, 0, 1, NULL, 0);
    return;
  } else {
    struct fuse_entry_param e;
    node_entry(&e, n);
    fuse_reply_entry(req, &e);
    // Answered from a tree already replaced: its invalidations may have gone out before this reply.
    if (!snap_is_current(s)) notice_push(parent, name, strlen(name));
  }
  snap_release(s);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  (void)fi;
  if (writers_has(ino)) {
    forward_or_fail(OP_GETATTR, req, ino, 0, 0, 0, 0, NULL, 0);
    return;
  }
  snapshot_t *s = snap_acquire();
  node_t *n = snap_node(s, ino);
  if (!n) {
    fuse_reply_err(req, ENOENT);
  } else {
    struct stat st;
    node_stat(&st, n);
    fuse_reply_attr(req, &st, S.attr_timeout);
  }
  snap_release(s);
}

static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
                       struct fuse_file_info *fi) {
  if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) {
    fuse_reply_err(req, EROFS);
    return;
  }
  if (to_set & FUSE_SET_ATTR_SIZE) {
    // Only a writer's handle can truncate (truncate(2) by path finds the file's writer in JS).
    handle_t *h = fi ? (handle_t *)(uintptr_t)fi->fh : NULL;
    forward_or_fail(OP_SETSIZE, req, ino, h && h->js ? h->js_id : -1, (uint64_t)attr->st_size, 0, 0, NULL, 0);
    return;
  }
  op_getattr(req, ino, fi);  // times: accepted and ignored (a tagger preserving mtime must not fail)
}

static void op_access(fuse_req_t req, fuse_ino_t ino, int mask) {
  snapshot_t *s = snap_acquire();
  node_t *n = snap_node(s, ino);
  if (!n) fuse_reply_err(req, ENOENT);
  else if ((mask & W_OK) && !(n->flags & (NODE_DIR | NODE_WRITABLE))) fuse_reply_err(req, EROFS);
  else fuse_reply_err(req, 0);
  snap_release(s);
}

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  snapshot_t *s = snap_acquire();
  node_t *n = snap_node(s, ino);
  if (!n || !(n->flags & NODE_DIR)) {
    fuse_reply_err(req, n ? ENOTDIR : ENOENT);
    snap_release(s);
    return;
  }
  // The listing comes from the snapshot it started with, however the tree changes meanwhile; the kernel
  // may keep it (invalidate_changes drops a directory's cached listing when its entries change).
  fi->fh = (uint64_t)(uintptr_t)s;
  fi->cache_readdir = 1;
  fi->keep_cache = 1;
  if (fuse_reply_open(req, fi) != 0) snap_release(s);  // interrupted: no releasedir will come
}

static void readdir_any(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                        struct fuse_file_info *fi, int plus) {
  if (off == 0) {
    // A listing that starts (again) takes the current tree (readdir calls on a handle are serialized).
    snapshot_t *now = snap_acquire();
    snap_release((snapshot_t *)(uintptr_t)fi->fh);
    fi->fh = (uint64_t)(uintptr_t)now;
  }
  snapshot_t *s = (snapshot_t *)(uintptr_t)fi->fh;
  node_t *dir = snap_node(s, ino);
  if (!dir) {
    fuse_reply_err(req, ENOENT);
    return;
  }
  char *buf = malloc(size);
  if (!buf) {
    fuse_reply_err(req, ENOMEM);
    return;
  }
  size_t used = 0;
  // Offsets: 1 after ".", 2 after "..", 3 + i after child i.
  for (off_t i = off; i < (off_t)dir->child_count + 2; i++) {
    struct fuse_entry_param e;
    char name[256];
    size_t n;
    if (i < 2) {
      node_t *self = i == 0 || dir->parent == NO_PARENT ? dir : &s->nodes[dir->parent];
      memset(&e, 0, sizeof e);
      e.ino = self->ino;
      node_stat(&e.attr, self);
      strcpy(name, i == 0 ? "." : "..");
      // "." and "..": no lookup count is taken for them, so no entry is given.
      n = plus ? fuse_add_direntry_plus(req, buf + used, size - used, name, &(struct fuse_entry_param){.ino = 0, .attr = e.attr}, i + 1)
               : fuse_add_direntry(req, buf + used, size - used, name, &e.attr, i + 1);
    } else {
      node_t *c = &s->nodes[s->children[dir->first_child + (uint32_t)(i - 2)]];
      size_t len = c->name_len < 255 ? c->name_len : 255;
      memcpy(name, s->names + c->name_off, len);
      name[len] = 0;
      node_entry(&e, c);
      // A writer may have resized it: no attributes for the kernel to keep (ino 0: name only).
      if (plus && !(c->flags & NODE_DIR) && writers_has(c->ino)) e.ino = 0;
      n = plus ? fuse_add_direntry_plus(req, buf + used, size - used, name, &e, i + 1)
               : fuse_add_direntry(req, buf + used, size - used, name, &e.attr, i + 1);
    }
    if (n > size - used) break;
    used += n;
  }
  fuse_reply_buf(req, buf, used);
  free(buf);
  // The kernel may have cached this listing after the newer tree's invalidations: drop it again.
  if (!snap_is_current(s)) notice_push(ino, NULL, 0);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
  readdir_any(req, ino, size, off, fi, 0);
}

static void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                           struct fuse_file_info *fi) {
  readdir_any(req, ino, size, off, fi, 1);
}

static void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  (void)ino;
  snap_release((snapshot_t *)(uintptr_t)fi->fh);
  fuse_reply_err(req, 0);
}

static int same_original(int fd, const layout_t *l) {
  struct stat st;
  return fstat(fd, &st) == 0 && (uint64_t)st.st_size == l->orig_size &&
         (double)st.st_mtim.tv_sec * 1000 + (double)st.st_mtim.tv_nsec / 1e6 == l->orig_mtime_ms;
}

static void handle_free(handle_t *h) {
  if (!h->js) close(h->fd);
  if (h->cached) cache_close(h->ino);
  layout_release(h->layout);
  free(h);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  // A read-only open of a version opened before is served here; anything else asks JS (which also
  // says why when the original changed on disk).
  layout_t *l = (fi->flags & O_ACCMODE) == O_RDONLY ? layouts_current(ino) : NULL;
  if (l) {
    int fd = open(l->orig_path, O_RDONLY | O_CLOEXEC);
    handle_t *h = fd >= 0 && same_original(fd, l) ? calloc(1, sizeof *h) : NULL;
    if (h) {
      *h = (handle_t){.ino = ino, .fd = fd, .layout = l};
      fi->fh = (uint64_t)(uintptr_t)h;
      h->cached = cache_open(ino, l->version, 0, fi);
      fi->noflush = 1;  // nothing to save: close() need not wait for a round trip
      if (fuse_reply_open(req, fi) != 0) handle_free(h);
      return;
    }
    if (fd >= 0) close(fd);
    layout_release(l);
  }
  forward_or_fail(OP_OPEN, req, ino, 0, 0, 0, fi->flags, NULL, 0);
}

static int original_unchanged(handle_t *h) {
  if (same_original(h->fd, h->layout)) return 1;
  log_line("EIO %s: the original changed on disk since it was scanned; rescan it", h->layout->path);
  return 0;
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
  handle_t *h = (handle_t *)(uintptr_t)fi->fh;
  if (h->js) {
    forward_or_fail(OP_READ, req, ino, h->js_id, (uint64_t)off, size, 0, NULL, 0);
    return;
  }
  if (!original_unchanged(h)) {
    fuse_reply_err(req, EIO);
    return;
  }
  const layout_t *l = h->layout;
  uint64_t pos = (uint64_t)off;
  uint64_t n = pos >= l->size ? 0 : (l->size - pos < size ? l->size - pos : size);
  // A bufvec of up to two buffers: the header's part from memory, the audio's from the original.
  union {
    struct fuse_bufvec v;
    char room[sizeof(struct fuse_bufvec) + sizeof(struct fuse_buf)];
  } two;
  memset(&two, 0, sizeof two);
  size_t k = 0;
  uint64_t from_header = pos < l->header_size ? (l->header_size - pos < n ? l->header_size - pos : n) : 0;
  if (from_header > 0) {
    two.v.buf[k] = (struct fuse_buf){.size = from_header, .mem = l->header + pos};
    k++;
  }
  if (n > from_header) {
    two.v.buf[k] = (struct fuse_buf){
        .size = n - from_header,
        .flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK,
        .fd = h->fd,
        .pos = (off_t)(l->audio_start + pos + from_header - l->header_size),
    };
    k++;
  }
  two.v.count = k;
  if (k == 0) {
    fuse_reply_buf(req, NULL, 0);
    return;
  }
  fuse_reply_data(req, &two.v, FUSE_BUF_SPLICE_MOVE);
}

static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
                     struct fuse_file_info *fi) {
  handle_t *h = (handle_t *)(uintptr_t)fi->fh;
  if (!h->js) {
    fuse_reply_err(req, EBADF);
    return;
  }
  forward_or_fail(OP_WRITE, req, ino, h->js_id, (uint64_t)off, size, 0, buf, size);
}

static void op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  handle_t *h = (handle_t *)(uintptr_t)fi->fh;
  if (!h->js) fuse_reply_err(req, 0);
  else forward_or_fail(OP_FLUSH, req, ino, h->js_id, 0, 0, 0, NULL, 0);
}

static void op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi) {
  (void)datasync;
  op_flush(req, ino, fi);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  handle_t *h = (handle_t *)(uintptr_t)fi->fh;
  if (h->js) {
    writers_remove(h->ino);
    forward_or_fail(OP_RELEASE, req, ino, h->js_id, 0, 0, 0, NULL, 0);
  } else {
    fuse_reply_err(req, 0);
  }
  handle_free(h);
}

static void op_statfs(fuse_req_t req, fuse_ino_t ino) {
  (void)ino;
  snapshot_t *s = snap_acquire();
  struct statvfs st = {.f_bsize = 128 * 1024, .f_frsize = 128 * 1024, .f_files = s ? s->files : 0,
                       .f_namemax = 255};
  snap_release(s);
  fuse_reply_statfs(req, &st);
}

static void op_erofs_entry(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode) {
  (void)parent, (void)name, (void)mode;
  fuse_reply_err(req, EROFS);
}
static void op_erofs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev) {
  (void)rdev;
  op_erofs_entry(req, parent, name, mode);
}
static void op_erofs_name(fuse_req_t req, fuse_ino_t parent, const char *name) {
  op_erofs_entry(req, parent, name, 0);
}
static void op_erofs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name) {
  (void)link;
  op_erofs_entry(req, parent, name, 0);
}
static void op_erofs_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
                            const char *newname, unsigned int flags) {
  (void)newparent, (void)newname, (void)flags;
  op_erofs_entry(req, parent, name, 0);
}
static void op_erofs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname) {
  (void)ino;
  op_erofs_entry(req, newparent, newname, 0);
}
static void op_erofs_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
                            struct fuse_file_info *fi) {
  (void)fi;
  op_erofs_entry(req, parent, name, mode);
}

static const struct fuse_lowlevel_ops OPS = {
    .init = op_init,
    .lookup = op_lookup,
    .getattr = op_getattr,
    .setattr = op_setattr,
    .access = op_access,
    .opendir = op_opendir,
    .readdir = op_readdir,
    .readdirplus = op_readdirplus,
    .releasedir = op_releasedir,
    .open = op_open,
    .read = op_read,
    .write = op_write,
    .flush = op_flush,
    .fsync = op_fsync,
    .release = op_release,
    .statfs = op_statfs,
    .mknod = op_erofs_mknod,
    .mkdir = op_erofs_entry,
    .unlink = op_erofs_name,
    .rmdir = op_erofs_name,
    .symlink = op_erofs_symlink,
    .rename = op_erofs_rename,
    .link = op_erofs_link,
    .create = op_erofs_create,
};

// ---- JS API ----

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, "ERR_SLEEVE_FUSE", "internal: " #call);   \
      return NULL;                                                    \
    }                                                                 \
  } while (0)

/** A whole number a double holds exactly (inode numbers, sizes, offsets). */
static int is_count(double v) {
  return isfinite(v) && v >= 0 && v <= 9007199254740992.0 && v == floor(v);
}

static napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_SLEEVE_FUSE_ARG", message);
  return NULL;
}

static int get_typed(napi_env env, napi_value obj, const char *key, napi_typedarray_type want, void **data,
                     size_t *length) {
  napi_value v;
  bool is;
  napi_typedarray_type type;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok) return 0;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  if (napi_get_typedarray_info(env, v, &type, length, data, NULL, NULL) != napi_ok) return 0;
  return type == want;
}

static int get_number(napi_env env, napi_value obj, const char *key, double *out) {
  napi_value v;
  return napi_get_named_property(env, obj, key, &v) == napi_ok && napi_get_value_double(env, v, out) == napi_ok;
}

// The waiting request numbered `v`, if it is of one of `ops`; taken, so it is answered once.
static fuse_req_t get_req(napi_env env, napi_value v, unsigned ops) {
  uint64_t id;
  bool lossless;
  if (napi_get_value_bigint_uint64(env, v, &id, &lossless) != napi_ok || !lossless || id == 0) return NULL;
  return pending_take(id, ops);
}

// setTree({ino, parent, flags, size, mtimeMs, version, names, nameEnd}): node 0 is the root; parent
// holds node indices (the root's is ignored). Replaces the served tree and invalidates what changed.
static napi_value js_set_tree(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return throw_type(env, "setTree needs a tree");
  double *ino, *size, *mtime, *version;
  uint32_t *parent, *name_end;
  uint8_t *flags, *names;
  size_t n, k, name_bytes;
  if (!get_typed(env, argv[0], "ino", napi_float64_array, (void **)&ino, &n) ||
      !get_typed(env, argv[0], "size", napi_float64_array, (void **)&size, &k) || k != n ||
      !get_typed(env, argv[0], "mtimeMs", napi_float64_array, (void **)&mtime, &k) || k != n ||
      !get_typed(env, argv[0], "version", napi_float64_array, (void **)&version, &k) || k != n ||
      !get_typed(env, argv[0], "parent", napi_uint32_array, (void **)&parent, &k) || k != n ||
      !get_typed(env, argv[0], "flags", napi_uint8_array, (void **)&flags, &k) || k != n ||
      !get_typed(env, argv[0], "nameEnd", napi_uint32_array, (void **)&name_end, &k) || k != n ||
      !get_typed(env, argv[0], "names", napi_uint8_array, (void **)&names, &name_bytes))
    return throw_type(env, "setTree: a typed array is missing, of the wrong type or length");
  if (n == 0 || n >= UINT32_MAX / 4 || !(flags[0] & NODE_DIR))
    return throw_type(env, "setTree: node 0 must be the root directory");
  if (ino[0] != FUSE_ROOT_ID) return throw_type(env, "setTree: the root's inode number must be 1");
  for (size_t i = 0; i < n; i++) {
    uint32_t start = i == 0 ? 0 : name_end[i - 1];
    // Parents come before their children, so the tree has no cycles.
    if (name_end[i] < start || name_end[i] > name_bytes || (i > 0 && (parent[i] >= i || !(flags[parent[i]] & NODE_DIR))))
      return throw_type(env, "setTree: a name or parent is out of range");
    if (!is_count(ino[i]) || ino[i] < 1 || !is_count(size[i]) || !isfinite(mtime[i]) || !isfinite(version[i]))
      return throw_type(env, "setTree: inode numbers, sizes, times and versions must be finite (and whole)");
    uint32_t len = name_end[i] - start;
    const uint8_t *name = names + start;
    if (i > 0 && (len == 0 || len > 255 || memchr(name, '/', len) || memchr(name, 0, len) ||
                  (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')))
      return throw_type(env, "setTree: a name is empty, too long, \".\", \"..\" or holds \"/\" or NUL");
  }
  snapshot_t *s = calloc(1, sizeof *s);
  uint32_t cap = 16;
  while (cap < n * 2) cap *= 2;
  if (s) {
    s->nodes = calloc(n, sizeof *s->nodes);
    s->names = malloc(name_bytes ? name_bytes : 1);
    s->children = malloc(n * sizeof *s->children);
    s->table = calloc(cap, sizeof *s->table);
  }
  if (!s || !s->nodes || !s->names || !s->children || !s->table) {
    if (s) {
      free(s->nodes), free(s->names), free(s->children), free(s->table), free(s);
    }
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "setTree: out of memory");
    return NULL;
  }
  atomic_init(&s->refs, 1);
  s->count = (uint32_t)n;
  s->mask = cap - 1;
  memcpy(s->names, names, name_bytes);
  // Children grouped by parent (a counting sort), then each group sorted by name.
  uint32_t *counts = calloc(n + 1, sizeof *counts);
  if (!counts) {
    snap_release(s);
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "setTree: out of memory");
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    node_t *node = &s->nodes[i];
    node->ino = (uint64_t)ino[i];
    node->size = (uint64_t)size[i];
    node->mtime_ms = mtime[i];
    node->version = version[i];
    node->flags = flags[i];
    node->parent = i == 0 ? NO_PARENT : parent[i];
    node->name_off = i == 0 ? 0 : name_end[i - 1];
    node->name_len = name_end[i] - node->name_off;
    if (i > 0) counts[parent[i]]++;
    uint32_t slot = hash_ino(node->ino) & s->mask;
    while (s->table[slot] != 0) {
      if (s->nodes[s->table[slot] - 1].ino == node->ino) {
        free(counts);
        snap_release(s);
        return throw_type(env, "setTree: two nodes share an inode number");
      }
      slot = (slot + 1) & s->mask;
    }
    s->table[slot] = (uint32_t)i + 1;
    if (!(flags[i] & NODE_DIR)) s->files++;
  }
  uint32_t at = 0;
  for (size_t i = 0; i < n; i++) {
    s->nodes[i].first_child = at;
    at += counts[i];
    counts[i] = 0;
  }
  for (size_t i = 1; i < n; i++) {
    node_t *p = &s->nodes[parent[i]];
    s->children[p->first_child + p->child_count++] = (uint32_t)i;
  }
  free(counts);
  sort_snap = s;  // qsort has no context argument; only the JS thread builds snapshots
  for (size_t i = 0; i < n; i++) {
    node_t *dir = &s->nodes[i];
    if (dir->child_count < 2) continue;
    uint32_t *c = s->children + dir->first_child;
    qsort(c, dir->child_count, sizeof(uint32_t), child_order);
    for (uint32_t k = 1; k < dir->child_count; k++) {
      if (child_order(&c[k - 1], &c[k]) == 0) {
        snap_release(s);
        return throw_type(env, "setTree: two entries of a directory share a name");
      }
    }
  }
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *old = S.snap;
  S.snap = s;
  pthread_mutex_unlock(&S.snap_lock);
  if (old) {
    if (S.running) invalidate_changes(old, s);
    snap_release(old);
  }
  return NULL;
}

// mount(mountpoint, options, onRequest, attrTimeoutSeconds): mounts and starts serving.
static void *loop_main(void *arg) {
  (void)arg;
  struct fuse_loop_config *config = fuse_loop_cfg_create();
  fuse_loop_cfg_set_max_threads(config, 16);
  int rc = fuse_session_loop_mt(S.se, config);
  fuse_loop_cfg_destroy(config);
  forward(OP_EXIT, NULL, 0, 0, 0, 0, rc, NULL, 0);
  return NULL;
}

static napi_value js_mount(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (S.se) {
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "this process is already serving a mount");
    return NULL;
  }
  char mountpoint[4096], options[4096];
  size_t len;
  napi_valuetype type;
  if (argc < 4 || napi_get_value_string_utf8(env, argv[0], mountpoint, sizeof mountpoint, &len) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], options, sizeof options, &len) != napi_ok ||
      napi_typeof(env, argv[2], &type) != napi_ok || type != napi_function ||
      napi_get_value_double(env, argv[3], &S.attr_timeout) != napi_ok)
    return throw_type(env, "mount(mountpoint, options, onRequest, attrTimeout)");
  if (!S.snap) return throw_type(env, "mount: setTree first");
  S.uid = getuid();
  S.gid = getgid();
  char *args_v[] = {"sleeve", "-o", options, NULL};
  struct fuse_args args = FUSE_ARGS_INIT(3, args_v);
  S.se = fuse_session_new(&args, &OPS, sizeof OPS, NULL);
  if (!S.se) {
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "cannot start a FUSE session (bad mount options?)");
    return NULL;
  }
  if (fuse_session_mount(S.se, mountpoint) != 0) {
    fuse_session_destroy(S.se);
    S.se = NULL;
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "cannot mount: see the log for libfuse's reason");
    return NULL;
  }
  napi_value name;
  if (napi_create_string_utf8(env, "sleeve-fuse", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_threadsafe_function(env, argv[2], NULL, name, 0, 1, NULL, NULL, NULL, call_js, &S.tsfn) !=
          napi_ok) {
    fuse_session_unmount(S.se);
    fuse_session_destroy(S.se);
    S.se = NULL;
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "cannot start serving the mount");
    return NULL;
  }
  S.running = 1;
  if (pthread_create(&S.notify_thread, NULL, notify_main, NULL) != 0 ||
      pthread_create(&S.loop_thread, NULL, loop_main, NULL) != 0) {
    S.running = 0;
    fuse_session_unmount(S.se);
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "cannot start the FUSE threads");
    return NULL;
  }
  return NULL;
}

// unmount(): takes the mount away (lazily: handles still open get ENOTCONN) and stops serving. The
// caller exits the process next, which ends the worker threads: joining them here could wait forever,
// since a worker blocked on the device wakes only with a request, and a busy mount may never send one.
static napi_value js_unmount(napi_env env, napi_callback_info info) {
  (void)env, (void)info;
  if (!S.running) return NULL;
  S.running = 0;
  fuse_session_exit(S.se);
  fuse_session_unmount(S.se);
  return NULL;
}

// replyOpen(req, {ino, fh?, fd, header, audioStart, size, origSize, origMtimeMs, origPath, path,
// version}): with `fh` (JS's handle number) the handle's ops go to JS; without it reads are served here,
// `fd` belongs here from the call on (closed on release, or at once when the open fails), and later
// read-only opens of the same version are answered here. Returns whether the open reached its caller.
static char *get_string(napi_env env, napi_value obj, const char *key) {
  napi_value v;
  size_t len;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok ||
      napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok)
    return NULL;
  char *out = malloc(len + 1);
  if (out) napi_get_value_string_utf8(env, v, out, len + 1, &len);
  return out;
}

static napi_value js_reply_open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  double ino, fd, audio_start, size, orig_size, orig_mtime, version, js_id = -1;
  bool has_fh = false, is_buffer = false;
  napi_value header_v;
  void *header_data = NULL;
  size_t header_len = 0;
  if (argc < 2 || !get_number(env, argv[1], "ino", &ino) || !get_number(env, argv[1], "fd", &fd) ||
      !get_number(env, argv[1], "audioStart", &audio_start) || !get_number(env, argv[1], "size", &size) ||
      !get_number(env, argv[1], "origSize", &orig_size) ||
      !get_number(env, argv[1], "origMtimeMs", &orig_mtime) || !get_number(env, argv[1], "version", &version) ||
      napi_get_named_property(env, argv[1], "header", &header_v) != napi_ok ||
      napi_is_buffer(env, header_v, &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, header_v, &header_data, &header_len) != napi_ok)
    return throw_type(env, "replyOpen(req, {ino, fh?, fd, header, audioStart, size, origSize, origMtimeMs, "
                           "origPath, path, version})");
  if (!is_count(ino) || !is_count(fd) || fd > INT32_MAX || !is_count(audio_start) || !is_count(size) ||
      !is_count(orig_size) || !isfinite(orig_mtime) || !isfinite(version))
    return throw_type(env, "replyOpen: numbers must be finite (and whole, but for times and versions)");
  CHECK(napi_has_named_property(env, argv[1], "fh", &has_fh));
  if (has_fh && (!get_number(env, argv[1], "fh", &js_id) || !is_count(js_id)))
    return throw_type(env, "replyOpen: fh must be a whole number");
  char *orig_path = get_string(env, argv[1], "origPath");
  char *path = get_string(env, argv[1], "path");
  if (!orig_path || !path) {
    free(orig_path), free(path);
    return throw_type(env, "replyOpen: origPath and path must be strings");
  }
  fuse_req_t req = get_req(env, argv[0], 1u << OP_OPEN);
  if (!req) {
    free(orig_path), free(path);
    return throw_type(env, "replyOpen: not an open waiting for a reply");
  }
  handle_t *h = calloc(1, sizeof *h);
  layout_t *l = has_fh ? NULL : calloc(1, sizeof *l);
  uint8_t *header = has_fh ? NULL : malloc(header_len ? header_len : 1);
  if (!h || (!has_fh && (!l || !header))) {
    free(h), free(l), free(header), free(orig_path), free(path);
    if (!has_fh) close((int)fd);  // the fd was handed over
    fuse_reply_err(req, ENOMEM);
    napi_value result;
    napi_get_boolean(env, false, &result);
    return result;
  }
  *h = (handle_t){.js = has_fh, .js_id = js_id, .ino = (uint64_t)ino, .fd = (int)fd, .layout = l};
  if (l) {
    memcpy(header, header_data, header_len);
    atomic_init(&l->refs, 1);
    l->ino = (uint64_t)ino;
    l->version = version;
    l->header = header;
    l->header_size = header_len;
    l->audio_start = (uint64_t)audio_start;
    l->size = (uint64_t)size;
    l->orig_size = (uint64_t)orig_size;
    l->orig_mtime_ms = orig_mtime;
    l->orig_path = orig_path;
    l->path = path;
    layouts_remember(l);
  } else {
    free(orig_path), free(path);
  }
  struct fuse_file_info fi = {0};
  fi.fh = (uint64_t)(uintptr_t)h;
  h->cached = cache_open(h->ino, version, has_fh, &fi);
  fi.noflush = !h->js;  // only a writer saves on close
  if (h->js) writers_add(h->ino);
  bool delivered = fuse_reply_open(req, &fi) == 0;
  if (!delivered) {
    // The opener is gone (interrupted): no release will come for this handle.
    if (h->js) writers_remove(h->ino);
    handle_free(h);
  }
  napi_value result;
  napi_get_boolean(env, delivered, &result);
  return result;
}

// A reply's two arguments: the request's number and the answer.
static int reply_args(napi_env env, napi_callback_info info, napi_value argv[2]) {
  size_t argc = 2;
  return napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= 2;
}

// The waiting request a reply names, or NULL after throwing `refusal`.
static fuse_req_t take_req(napi_env env, napi_value v, unsigned ops, const char *refusal) {
  fuse_req_t req = get_req(env, v, ops);
  if (!req) throw_type(env, refusal);
  return req;
}

// replyErr(req, errno): 0 answers success to flush/release/fsync/setsize-less ops.
static napi_value js_reply_err(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t err;
  if (!reply_args(env, info, argv) || napi_get_value_int32(env, argv[1], &err) != napi_ok || err < 0)
    return throw_type(env, "replyErr(req, errno)");
  fuse_req_t req = take_req(env, argv[0], ANY_OP, "replyErr: not a request waiting for a reply");
  if (req) fuse_reply_err(req, err);
  return NULL;
}

// replyData(req, buffer): a read's bytes.
static napi_value js_reply_data(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  void *data;
  size_t len;
  bool is_buffer;
  if (!reply_args(env, info, argv) || napi_is_buffer(env, argv[1], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok)
    return throw_type(env, "replyData(req, buffer)");
  fuse_req_t req = take_req(env, argv[0], 1u << OP_READ, "replyData: not a read waiting for a reply");
  if (req) fuse_reply_buf(req, data, len);
  return NULL;
}

// replyWrite(req, count).
static napi_value js_reply_write(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  double count;
  if (!reply_args(env, info, argv) || napi_get_value_double(env, argv[1], &count) != napi_ok || count < 0)
    return throw_type(env, "replyWrite(req, count)");
  fuse_req_t req = take_req(env, argv[0], 1u << OP_WRITE, "replyWrite: not a write waiting for a reply");
  if (req) fuse_reply_write(req, (size_t)count);
  return NULL;
}

// replyAttr(req, ino, size, mtimeMs, asEntry): a file's attributes (as a lookup's entry when asked by one).
static napi_value js_reply_attr(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  double ino, size, mtime;
  bool entry;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5 || napi_get_value_double(env, argv[1], &ino) != napi_ok ||
      napi_get_value_double(env, argv[2], &size) != napi_ok || napi_get_value_double(env, argv[3], &mtime) != napi_ok ||
      napi_get_value_bool(env, argv[4], &entry) != napi_ok)
    return throw_type(env, "replyAttr(req, ino, size, mtimeMs, asEntry)");
  fuse_req_t req = get_req(env, argv[0], (1u << OP_GETATTR) | (1u << OP_SETSIZE));
  if (!req) return throw_type(env, "replyAttr: not a getattr or truncate waiting for a reply");
  // A writer's attributes change with every write: the kernel must not keep them.
  if (entry) {
    struct fuse_entry_param e = {.ino = (fuse_ino_t)ino};
    fill_stat(&e.attr, e.ino, 0, (uint64_t)size, mtime);
    fuse_reply_entry(req, &e);
  } else {
    struct stat st;
    fill_stat(&st, (uint64_t)ino, 0, (uint64_t)size, mtime);
    fuse_reply_attr(req, &st, 0);
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"setTree", NULL, js_set_tree, NULL, NULL, NULL, napi_default, NULL},
      {"mount", NULL, js_mount, NULL, NULL, NULL, napi_default, NULL},
      {"unmount", NULL, js_unmount, NULL, NULL, NULL, napi_default, NULL},
      {"replyOpen", NULL, js_reply_open, NULL, NULL, NULL, napi_default, NULL},
      {"replyErr", NULL, js_reply_err, NULL, NULL, NULL, napi_default, NULL},
      {"replyData", NULL, js_reply_data, NULL, NULL, NULL, napi_default, NULL},
      {"replyWrite", NULL, js_reply_write, NULL, NULL, NULL, napi_default, NULL},
      {"replyAttr", NULL, js_reply_attr, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof *props, props);
  return exports;
}

NAPI_MODULE(sleeve_fuse, init)
