// The read path: each file version's layout (its header in memory, its audio in the original), kept
// within a byte budget so later read-only opens need no JS; whose version the kernel's cached pages are;
// and the file operations (open, read, write, flush, release).
#define _GNU_SOURCE  // preadv2 and RWF_NOWAIT
#include <sys/uio.h>

#include "state.h"
#include "art.h"
#include "read_path.h"
#include "echo.h"
#include "kept_pages.h"
#include "forward.h"
#include "original_calls.h"
#include "moved_names.h"
#include "readers.h"
#include "snapshot.h"

// ---- layouts ----

void layout_release(layout_t *l) {
  if (!l || atomic_fetch_sub(&l->refs, 1) != 1) return;
  free(l->header);
  free(l->holes);
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
    S.layout_bytes -= l->held;
    return l;
  }
  return NULL;
}

void layouts_remember(layout_t *l) {
  layout_entry_t *e = malloc(sizeof *e);
  if (!e) return;
  atomic_fetch_add(&l->refs, 1);
  e->layout = l;
  pthread_mutex_lock(&S.layouts_lock);
  layout_release(layouts_take_locked(l->ino));
  if (S.layout_bytes + l->held > LAYOUT_BUDGET_BYTES) layouts_clear_locked();
  size_t b = hash_ino(l->ino) % LAYOUT_BUCKETS;
  e->next = S.layouts[b];
  S.layouts[b] = e;
  S.layout_bytes += l->held;
  pthread_mutex_unlock(&S.layouts_lock);
}

/** The file's remembered layout if it is of the version and size the tree serves now (a new reference). */
layout_t *layouts_current(uint64_t ino) {
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
  // Of the version, and of the size, the tree serves (a layout built ahead of its open was sized apart).
  int current = n && n->version == l->version && (uint64_t)n->size == l->size;
  snap_release(s);
  if (current) return l;
  layout_release(l);
  return NULL;
}

static int same_original(int fd, const layout_t *l) {
  struct stat st;
  // On the device its calls are counted by, too (original_calls.c).
  return fstat(fd, &st) == 0 && (uint64_t)st.st_dev == l->orig_dev && (uint64_t)st.st_size == l->orig_size &&
         (double)st.st_mtim.tv_sec * 1000 + (double)st.st_mtim.tv_nsec / 1e6 == l->orig_mtime_ms;
}

void handle_free(handle_t *h) {
  if (!h->js) close(h->fd);
  if (h->cached) cache_close(h->node);
  layout_release(h->layout);
  free(h);
}

static int original_unchanged(handle_t *h) {
  if (same_original(h->fd, h->layout)) return 1;
  log_line("EIO %s: the original changed on disk since it was scanned; rescan it", h->layout->path);
  return 0;
}

/** An original opened to be served: no readahead until its audio is read in order (note_read). A
 *  player's tag scan reads a file's head and end; with the disk's readahead (8 MiB here) each such open
 *  pulled in about a megabyte of audio. (Advice only: a failure changes nothing but speed.) */
static void original_opened(int fd) {
  posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
}

/** Reads that extend a run in a row after which a handle streams. */
#define IN_ORDER_READS 4
/** How far from a run a read may start and still belong to it: the kernel splits its readahead into
 *  requests that several threads answer in any order. */
#define IN_ORDER_SLACK (1u << 20)

/** Notes a read of the audio, [pos, end) as served: once IN_ORDER_READS in a row extend one run (a
 *  player, a copy), the original reads ahead again as it would without the mount (NORMAL: SEQUENTIAL
 *  would double it). A jump (a tag scan's read of the end, a seek) starts a new run. */
static void note_read(handle_t *h, uint64_t pos, uint64_t end) {
  if (atomic_load_explicit(&h->streaming, memory_order_relaxed)) return;
  uint64_t reach = atomic_load_explicit(&h->reach, memory_order_relaxed);
  if (pos > reach + IN_ORDER_SLACK || end + IN_ORDER_SLACK < reach) {
    atomic_store_explicit(&h->in_order, 0, memory_order_relaxed);
    atomic_store_explicit(&h->reach, end, memory_order_relaxed);
    return;
  }
  if (end <= reach) return;  // a request of the run answered late
  atomic_store_explicit(&h->reach, end, memory_order_relaxed);  // racing stores only move it among near ends
  if (atomic_fetch_add_explicit(&h->in_order, 1, memory_order_relaxed) + 1 < IN_ORDER_READS) return;
  if (!atomic_exchange_explicit(&h->streaming, 1, memory_order_relaxed))
    posix_fadvise(h->fd, 0, 0, POSIX_FADV_NORMAL);
}

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

// Copies bytes [from, to) of the layout's header and trailer (as served: holes filled with their
// pictures, read from the library, or zeros) into dst; 0, or -1 when a picture cannot be read.
static int served_copy(const layout_t *l, uint8_t *dst, uint64_t from, uint64_t to) {
  uint64_t pos = 0, own = 0;  // where the next run of held bytes starts: as served, and in l->header
  for (uint32_t i = 0;; i++) {
    const hole_t *hole = i < l->hole_count ? &l->holes[i] : NULL;
    uint64_t run_end = hole ? hole->at : UINT64_MAX;
    uint64_t a = MAX(from, pos), b = MIN(to, run_end);
    if (a < b) memcpy(dst + (a - from), l->header + own + (a - pos), b - a);
    if (!hole || run_end >= to) return 0;
    own += hole->at - pos;
    pos = hole->at + hole->length;
    a = MAX(from, hole->at), b = MIN(to, pos);
    if (a >= b) continue;
    if (!hole->hash[0]) memset(dst + (a - from), 0, b - a);  // padding
    else if (art_read(hole->hash, dst + (a - from), a - hole->at, b - a) != 0) return -1;
  }
}

/** The served bytes [pos, end) into dst, from the header, the original's audio and the trailer; 0, or -1
 *  when a picture or the original cannot be read (with RWF_NOWAIT in `flags`: or is not in the page
 *  cache whole). */
static int served_bytes(const handle_t *h, uint8_t *dst, uint64_t pos, uint64_t end, int flags) {
  const layout_t *l = h->layout;
  uint64_t head_end = l->header_size, tail_start = l->size - l->trailer_size, at = pos;
  if (at < head_end) {
    if (served_copy(l, dst, at, MIN(end, head_end)) != 0) return -1;
    at = MIN(end, head_end);
  }
  uint64_t audio_to = MIN(end, tail_start);
  while (at < audio_to) {
    struct iovec into = {.iov_base = dst + (at - pos), .iov_len = audio_to - at};
    ssize_t r = preadv2(h->fd, &into, 1, (off_t)(l->audio_start + at - head_end), flags);
    if (r <= 0 || (flags & RWF_NOWAIT && (uint64_t)r < audio_to - at)) return -1;
    at += (uint64_t)r;
  }
  if (end <= tail_start) return 0;
  uint64_t from = MAX(pos, tail_start);
  return served_copy(l, dst + (from - pos), head_end + (from - tail_start), head_end + (end - tail_start));
}

/** Answers a read of a native handle whose original is unchanged. */
static void read_reply(fuse_req_t req, size_t size, off_t off, handle_t *h) {
  const layout_t *l = h->layout;
  uint64_t pos = (uint64_t)off;
  uint64_t n = pos >= l->size ? 0 : (l->size - pos < size ? l->size - pos : size);
  uint64_t end = pos + n, head_end = l->header_size, tail_start = l->size - l->trailer_size;
  if (n == 0) {
    fuse_reply_buf(req, NULL, 0);
    return;
  }
  if (pos < tail_start && end > head_end) note_read(h, pos, end);  // the original's bytes only
  if (l->hole_count == 0 && end <= head_end) {
    fuse_reply_buf(req, (const char *)l->header + pos, n);
    return;
  }
  if (l->hole_count == 0 && pos >= tail_start) {
    fuse_reply_buf(req, (const char *)l->header + l->header_size + (pos - tail_start), n);
    return;
  }
  if (pos >= head_end && end <= tail_start) {
    // All audio: spliced from the original, never copied through this process.
    struct fuse_bufvec v = FUSE_BUFVEC_INIT(n);
    v.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
    v.buf[0].fd = h->fd;
    v.buf[0].pos = (off_t)(l->audio_start + pos - head_end);
    fuse_reply_data(req, &v, FUSE_BUF_SPLICE_MOVE);
    return;
  }
  // A read of a picture, or spanning the header's end or the trailer's start: the parts copied into one
  // buffer. (A bufvec of several buffers would index past struct fuse_bufvec's one-element array:
  // undefined, as UBSan reported.)
  uint8_t *both = malloc(n);
  if (!both) fuse_reply_err(req, ENOMEM);
  else if (served_bytes(h, both, pos, end, 0) != 0) fuse_reply_err(req, EIO);
  else fuse_reply_buf(req, (const char *)both, n);
  free(both);
}

/** Most of a header a tag scan reads whole (a FLAC's padding, mutagen reads it): past the first read's
 *  end, the rest of it up to its first picture, to the end of that page, goes into the kernel's cache of
 *  the file, so those reads do not reach the daemon, and the kernel's readahead around them does not pull
 *  audio from the original. (A page the store leaves partly filled would not be cached.) */
#define HEADER_STORE_MAX (512u << 10)
/** The last bytes of a file, which a tag scan reads after its head (ID3v1, an APEv2 footer, Lyrics3). */
#define TAIL_STORE_BYTES 4096u
/** What the kernel asks for at a file's first small read (4 pages of readahead). */
#define FIRST_REQUEST_BYTES (16u << 10)

typedef struct {
  uint64_t node, from, length;  // node: the node id whose pages they are
  uint8_t *bytes;
} stored_range_t;

static uint64_t page_size(void) {
  return (uint64_t)sysconf(_SC_PAGESIZE);
}

/** `at` rounded down, and up, to a page: the kernel caches only whole pages a store fills. */
static uint64_t page_down(uint64_t at) {
  return at / page_size() * page_size();
}

static uint64_t page_up(uint64_t at) {
  return page_down(at + page_size() - 1);
}

/** Where the header's bytes a scan reads whole end: at its first picture (read when reached) or its end. */
static uint64_t header_store_end(const layout_t *l) {
  uint64_t to = l->header_size;
  for (uint32_t i = 0; i < l->hole_count; i++)
    if (l->holes[i].hash[0] && l->holes[i].at < to) to = l->holes[i].at;
  return to;
}

/** The served bytes [from, to) to store, read while the handle (or its copy) is open; bytes NULL when
 *  there is nothing to store or they cannot be read. */
static stored_range_t served_range(const handle_t *h, uint64_t from, uint64_t to, int flags) {
  stored_range_t r = {.node = h->node, .from = from};
  to = MIN(to, h->layout->size);
  if (to <= from || !(r.bytes = malloc(to - from))) return r;
  r.length = to - from;
  if (served_bytes(h, r.bytes, from, to, flags) != 0) free(r.bytes), r.bytes = NULL;
  return r;
}

/** Stores the range, read under a claim of its version's pages (cache_claim) that the caller holds until
 *  this returns, once the request that read it is answered (the kernel holds that read's pages locked
 *  until then). The store may wait for a read of the same pages to be answered, so it holds no lock. */
static void store_range(stored_range_t *r) {
  if (!r->bytes) return;
  struct fuse_bufvec v = FUSE_BUFVEC_INIT(r->length);
  v.buf[0].mem = r->bytes;
  fuse_lowlevel_notify_store(S.se, r->node, (off_t)r->from, &v, 0);  // advice: a failure costs only speed
  free(r->bytes);
}

/** Stores a libfuse thread may be making at once. A store can wait for a read of its pages to be answered,
 *  which another libfuse thread must do: were every thread storing (libfuse runs 16, napi.c), none would be
 *  left to answer, and the mount would hang for good. Past the limit a store is left out (speed only). */
#define THREAD_STORES_MAX 4
static atomic_int thread_stores;

static int thread_store_begin(void) {
  if (atomic_fetch_add(&thread_stores, 1) < THREAD_STORES_MAX) return 1;
  atomic_fetch_sub(&thread_stores, 1);
  return 0;
}

static void thread_store_end(void) {
  atomic_fetch_sub(&thread_stores, 1);
}

/** Where the last bytes a scan reads start, on a page. */
static uint64_t tail_store_start(const layout_t *l) {
  return page_down(l->size - MIN(l->size, TAIL_STORE_BYTES));
}

/** What a first open stores: [0, whole) the header's whole pages up to its first picture (from memory);
 *  [whole, start_end) on past the page the header ends in and the next (the first audio frame) and, when
 *  no picture comes first (a scan reads one when it reaches it), past the kernel's first request;
 *  [tail, size) the last bytes. */
typedef struct {
  uint64_t whole, start_end, tail;
} first_stores_t;

static first_stores_t first_stores(const layout_t *l) {
  uint64_t head_end = MIN(header_store_end(l), HEADER_STORE_MAX);
  int whole_header = head_end == l->header_size;
  uint64_t near = page_up(head_end) + (whole_header ? page_size() : 0);
  uint64_t start_end = MIN(whole_header ? MAX(near, FIRST_REQUEST_BYTES) : near, l->size);
  return (first_stores_t){page_down(head_end), start_end, MAX(tail_store_start(l), start_end)};
}

/** What a version's first open stores in the kernel's cache (first_stores), so that a tag scan's reads of
 *  the file reach the daemon as little as they can. Returns a copy of the handle to store through (its own
 *  descriptor and reference to the layout: the kernel may release the handle as soon as the open is
 *  answered), for opening_stored; NULL when there is nothing to store. */
handle_t *opening_store(handle_t *h, const struct fuse_file_info *fi) {
  const layout_t *l = h->layout;
  // Pages an open does not keep are dropped as it completes, whatever was stored meanwhile.
  cache_entry_t *claim = h->cached && fi->keep_cache ? cache_first_store(h->node, l->version) : NULL;
  if (!claim) return NULL;
  handle_t *copy = malloc(sizeof *copy);
  int fd = copy ? fcntl(h->fd, F_DUPFD_CLOEXEC, 0) : -1;
  if (fd < 0) {
    free(copy);
    cache_store_abandoned(claim, l->version);
    return NULL;
  }
  atomic_fetch_add(&h->layout->refs, 1);
  *copy = (handle_t){.ino = h->ino, .node = h->node, .fd = fd, .layout = h->layout, .claim = claim};
  atomic_store(&h->stored, 1);  // its first read need not store the header again
  return copy;
}

/** Asks for the original's bytes that opening_stored reads (the audio's first pages and the served tail),
 *  both at once, so that the disk reads them together, and before the opener asks for them when a
 *  libfuse thread answers the open. Advice: a failure costs only speed; but it may wait for the disk
 *  (the file's block map), so never on the JS thread. */
void opening_read_ahead(const handle_t *copy) {
  if (!copy) return;
  const layout_t *l = copy->layout;
  first_stores_t r = first_stores(l);
  uint64_t audio_end = l->size - l->trailer_size, tail = MAX(r.tail, l->header_size);
  if (tail < audio_end)
    posix_fadvise(copy->fd, (off_t)(l->audio_start + tail - l->header_size), (off_t)(audio_end - tail),
                  POSIX_FADV_WILLNEED);
  if (r.start_end > l->header_size)
    posix_fadvise(copy->fd, (off_t)l->audio_start, (off_t)(r.start_end - l->header_size + page_size()),
                  POSIX_FADV_WILLNEED);
}

/** Before the open is answered, on a libfuse thread: the file's start, [0, start_end) of first_stores (at
 *  least 16 KiB, the header up to 512 KiB), when that costs no disk read (no picture in it, and the
 *  original's bytes in the page cache: a layout built ahead has just read them). The opener's first
 *  read, which the kernel makes 16 KiB, then finds all its pages and does not reach the daemon. Returns
 *  whether it stored; if not, opening_stored does, with the rest. */
int opening_stored_early(handle_t *copy) {
  if (!copy) return 0;
  const layout_t *l = copy->layout;
  uint64_t start_end = first_stores(l).start_end;
  for (uint32_t i = 0; i < l->hole_count; i++)
    if (l->holes[i].hash[0] && l->holes[i].at < start_end) return 0;
  stored_range_t start = served_range(copy, 0, start_end, RWF_NOWAIT);
  if (start.bytes && !same_original(copy->fd, l)) free(start.bytes), start.bytes = NULL;
  if (!start.bytes) return 0;
  store_range(&start);
  return 1;
}

/** Stores what opening_store chose and opening_stored_early did not (`early`), after the open was
 *  answered; then frees the copy. A read that reached the daemon before is answered as always. With
 *  `store` 0 (the open was not delivered, or the mount is gone) nothing is stored, and a later open of
 *  the version will. */
void opening_stored(handle_t *copy, int store, int early) {
  if (!copy) return;
  const layout_t *l = copy->layout;
  first_stores_t r = first_stores(l);
  if (store) {
    if (!early) {  // the header from memory first: the opener's first read is already coming
      stored_range_t head = served_range(copy, 0, r.whole, 0);
      store_range(&head);
    }
    stored_range_t end = served_range(copy, r.tail, l->size, 0);
    stored_range_t start = {0};
    if (!early) start = served_range(copy, r.whole, r.start_end, 0);
    // Bytes of an original that changed since the open checked it are not stored.
    if (!same_original(copy->fd, l)) free(end.bytes), free(start.bytes), end.bytes = start.bytes = NULL;
    store_range(&end);
    store_range(&start);
    cache_unclaim(copy->claim);
  } else {
    cache_store_abandoned(copy->claim, l->version);
  }
  close(copy->fd);
  layout_release(copy->layout);
  free(copy);
}

/** Whether node id `id` is of a version of its file the tree no longer serves, of another size: opened by
 *  a name the kernel has not dropped yet (the notifier tells it a moment after the tree changes). */
static int node_stale(fuse_ino_t id) {
  snapshot_t *s = snap_acquire();
  node_t *n = snap_node(s, node_ino(id));
  int stale = n && node_id_of(n) != id;
  snap_release(s);
  return stale;
}

/** Answers a read-only open of the version whose layout `l` is (taken over), from here: whether it did
 *  (with an error too); if not, JS answers it. */
static int open_native(fuse_req_t req, fuse_ino_t id, layout_t *l, struct fuse_file_info *fi) {
  original_call_t call;
  if (original_call_begin(l, "open", 1, &call) != 0) {
    layout_release(l);
    fuse_reply_err(req, EIO);  // its file system stopped answering (said in the log)
    return 1;
  }
  int fd = open(l->orig_path, O_RDONLY | O_CLOEXEC);
  handle_t *h = fd >= 0 && same_original(fd, l) ? calloc(1, sizeof *h) : NULL;
  if (!h) {
    if (fd >= 0) close(fd);
    original_call_end(call);
    layout_release(l);
    return 0;
  }
  *h = (handle_t){.ino = l->ino, .node = id, .fd = fd, .layout = l};
  original_opened(fd);
  fi->fh = (uint64_t)(uintptr_t)h;
  h->cached = cache_open(id, l->version, 0, fi);
  fi->noflush = 1;  // nothing to save: close() need not wait for a round trip
  int storing = thread_store_begin();
  handle_t *store = storing ? opening_store(h, fi) : NULL;
  opening_read_ahead(store);
  int early = opening_stored_early(store);
  if (!storing) COUNT_STORE(STORE_LEFT_OUT);
  else COUNT_STORE(!store ? STORE_NONE : early ? STORE_EARLY : STORE_LATE);
  int delivered = fuse_reply_open(req, fi) == 0;
  if (!delivered) handle_free(h);  // the opener is gone: no release will come for it
  opening_stored(store, delivered, early);
  if (storing) thread_store_end();
  original_call_end(call);
  return 1;
}

void op_open(fuse_req_t req, fuse_ino_t id, struct fuse_file_info *fi) {
  COUNT_REQUEST(REQ_OPEN);
  if (node_stale(id)) {
    // The kernel looks the name up again and opens what that finds (open(2) retries once on ESTALE),
    // rather than serve a version of one size from an inode of another's. The echo's too: its truncate
    // to the new size would give the old inode that size.
    fuse_reply_err(req, ESTALE);
    return;
  }
  if (echo_self(req)) {
    fi->fh = 0;  // an echo handle: flush and release answer it at once
    fi->direct_io = 1;
    fuse_reply_open(req, fi);
    return;
  }
  uint64_t ino = node_ino(id);
  if ((fi->flags & O_ACCMODE) != O_RDONLY && writes_another(req, ino)) {
    // The tagger saving here loaded the file that had this name (the library renamed that one, and this
    // one took the name): its tags are not this file's. Refused, so that it reloads; never merged in.
    log_line("refused a save to file %llu: the saving process loaded another file under its name, which "
             "an edit moved since; reload it in the tagger", (unsigned long long)(ino / 2 - 1));
    fuse_reply_err(req, ESTALE);
    return;
  }
  // Who opens it, and since when that process has had it: a save is merged against what it read then.
  uint32_t process = reader_process(req);
  double first_ms = readers_note(process, ino);
  // A read-only open of a version opened before is served here; anything else asks JS (which also
  // says why when the original changed on disk).
  layout_t *l = (fi->flags & O_ACCMODE) == O_RDONLY ? layouts_current(ino) : NULL;
  if (l && node_id(l->ino, l->size) != id) {
    // A tree of another size came since the check above.
    layout_release(l);
    fuse_reply_err(req, ESTALE);
    return;
  }
  if (l && open_native(req, id, l, fi)) return;
  COUNT_STORE(OPENED_IN_JS);
  forward_or_fail(OP_OPEN, req, id, 0, process, (uint64_t)first_ms, fi->flags, NULL, 0);
}

void op_read(fuse_req_t req, fuse_ino_t id, size_t size, off_t off, struct fuse_file_info *fi) {
  COUNT_REQUEST(REQ_READ);
  handle_t *h = (handle_t *)(uintptr_t)fi->fh;
  if (!h) {
    fuse_reply_err(req, EBADF);  // an echo handle is never read
    return;
  }
  if (h->js) {
    forward_or_fail(OP_READ, req, id, h->js_id, (uint64_t)off, size, 0, NULL, 0);
    return;
  }
  original_call_t call;
  if (original_call_begin(h->layout, "read", 1, &call) != 0) {
    fuse_reply_err(req, EIO);  // its file system stopped answering (said in the log)
    return;
  }
  if (!original_unchanged(h)) {
    fuse_reply_err(req, EIO);
    original_call_end(call);
    return;
  }
  // The file's first read through the kernel's cache: h may be released as soon as it is answered.
  stored_range_t rest = {0};
  cache_entry_t *claim = NULL;
  int storing = h->cached && off == 0 && size < h->layout->header_size && thread_store_begin();
  // Claimed while h is open (until the read is answered), before its bytes are read: none if it fails.
  if (storing && !atomic_exchange(&h->stored, 1) && (claim = cache_claim(h->node, h->layout->version))) {
    rest = served_range(h, size, MIN(page_up(header_store_end(h->layout)), size + HEADER_STORE_MAX), 0);
  }
  read_reply(req, size, off, h);
  original_call_end(call);  // the store waits for the kernel, not the original
  store_range(&rest);
  cache_unclaim(claim);
  if (storing) thread_store_end();
}

void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
                     struct fuse_file_info *fi) {
  handle_t *h = (handle_t *)(uintptr_t)fi->fh;
  if (!h || !h->js) {
    fuse_reply_err(req, EBADF);
    return;
  }
  forward_or_fail(OP_WRITE, req, ino, h->js_id, (uint64_t)off, size, 0, buf, size);
}

void op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  handle_t *h = (handle_t *)(uintptr_t)fi->fh;
  if (!h || !h->js) fuse_reply_err(req, 0);
  else forward_or_fail(OP_FLUSH, req, ino, h->js_id, 0, 0, 0, NULL, 0);
}

void op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi) {
  (void)datasync;
  op_flush(req, ino, fi);
}

void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  COUNT_REQUEST(REQ_RELEASE);
  handle_t *h = (handle_t *)(uintptr_t)fi->fh;
  if (!h) {
    fuse_reply_err(req, 0);  // an echo handle
    return;
  }
  if (h->js) {
    writers_remove(h->ino);
    forward_or_fail(OP_RELEASE, req, ino, h->js_id, 0, 0, 0, NULL, 0);
  } else {
    fuse_reply_err(req, 0);
  }
  handle_free(h);
}
