// What every unit of the binding shares: the tree's and the handles' types, the numbers of the requests
// forwarded to JS (the contract with fuse/native-binding.ts), and the one process-wide state.
#ifndef SLEEVE_STATE_H
#define SLEEVE_STATE_H

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
#include <time.h>
#include <unistd.h>

// Requests forwarded to JS (the numbers are the contract with fuse/native-binding.ts).
enum {
  OP_OPEN = 1, OP_READ, OP_WRITE, OP_FLUSH, OP_RELEASE, OP_GETATTR, OP_SETSIZE, OP_LOG, OP_EXIT,
  OP_CREATE, OP_UNLINK, OP_RENAME, OP_LISTED, OP_ECHOED
};

// The kinds of kernel request counted (the order is the contract with napi.c's requestCounts).
enum { REQ_LOOKUP, REQ_GETATTR, REQ_OPEN, REQ_READ, REQ_READDIR, REQ_RELEASE, REQUEST_KINDS };
#define COUNT_REQUEST(kind) atomic_fetch_add_explicit(&S.requests[kind], 1, memory_order_relaxed)
// What opens did with the file's start (read_path.c's op_open), counted beside the requests: a version's
// first open answered in C stored it before the reply, or after it (not all in the page cache, or a
// picture in it); an open had nothing to store (its version's pages stored already, or not shared); an
// open found THREAD_STORES_MAX threads storing and stored nothing; an open went to JS (no layout of the
// version served yet, or a writer), whose reads go there too. Only the first keeps the
// opener's first read from the daemon: a guard of reads per file knows how many opens it holds to that.
enum { STORE_EARLY, STORE_LATE, STORE_NONE, STORE_LEFT_OUT, OPENED_IN_JS, STORE_OUTCOMES };
#define COUNT_STORE(outcome) atomic_fetch_add_explicit(&S.stores[outcome], 1, memory_order_relaxed)

#define NODE_DIR 1
#define NODE_WRITABLE 2
// A scratch file a tagger created beside a served file, to rename over it (libFLAC's full rewrite):
// its size lives in JS, so its lookups and attributes are asked there, and nothing about it is cached.
#define NODE_SCRATCH 4
// A served file a tagger moved aside to write it anew under its own name (kid3's "X.ogg" → "X.ogg_KID3"):
// served as before, its unlink or its move back is JS's.
#define NODE_ASIDE 8
#define NO_PARENT UINT32_MAX

typedef struct {
  uint64_t ino;
  uint64_t size;
  double mtime_ms;
  double version;
  const char *name;  // in its page's names, not NUL-terminated
  uint32_t parent;   // node index, NO_PARENT for the root
  uint32_t name_len;
  uint32_t first_child, child_count;  // into snapshot.children, sorted by name
  uint8_t flags;
} node_t;

// A tree's nodes come in pages of PAGE_NODES, each with its nodes' names, shared by the trees made from
// one another until one of them changes a node of it (copied then: node_pages.c). A retitle's publish at
// a million files copies a page or two, where copying the tree's arrays (about 200 MB read and written)
// had been most of it.
#define PAGE_BITS 12
#define PAGE_NODES (1u << PAGE_BITS)
typedef struct {
  atomic_int refs;
  uint32_t count;     // nodes used
  size_t names_held;  // bytes at `names`
  size_t names_used;
  char *names;
  node_t nodes[PAGE_NODES];
} node_page_t;

// An array of a tree shared by the trees made from it while none of them changes it (node_pages.c).
typedef struct {
  atomic_int refs;
  size_t count;  // elements held (a tree may use fewer: a kept array is reused for a smaller tree)
  uint32_t at[];
} shared_u32_t;

// An immutable tree; readers hold a reference while they use it.
typedef struct {
  atomic_int refs;
  uint32_t count;
  node_page_t **pages;  // count / PAGE_NODES, rounded up
  // Shared with the trees patched from this one (which differ only in nodes' sizes, times, versions and
  // flags); the inode table with the trees spliced from it too (each node keeps its inode number).
  shared_u32_t *children;
  shared_u32_t *table;  // open addressing: ino -> node index + 1 (0 = empty)
  uint32_t mask;
  uint64_t files;
  // When what it changes could first be seen (epoch ms): the echo's first operation telling of it, else
  // its publishing; set by setTree (moved_names.h).
  double changed_ms;
} snapshot_t;

/** The longest content hash of a picture (SHA-256 in hex). */
#define ART_HASH_MAX 64

// A place in a served header whose bytes are not held: a picture's, read from the library's art table as
// a reader reaches it, or padding's (hash ""), served as zeros.
typedef struct {
  uint64_t at, length;  // in the header and trailer together
  char hash[ART_HASH_MAX + 1];
} hole_t;

// What a file serves at one version: its header, then the original's audio, then its trailer (an APEv2
// tag after WavPack audio). Shared by the handles reading it and by the open fast path, which opens the
// same version again without asking JS.
typedef struct {
  atomic_int refs;
  uint64_t ino;
  double version;
  // header_size bytes of header, then trailer_size bytes of trailer, but for the holes: `held` bytes
  uint8_t *header;
  uint64_t held;
  hole_t *holes;  // in order
  uint32_t hole_count;
  uint64_t header_size, trailer_size, audio_start, size, orig_size;
  uint64_t orig_dev;  // the original's file system: its calls are counted by it (original_calls.c)
  double orig_mtime_ms;
  char *orig_path;  // the original
  char *path;       // the served path, for log lines
} layout_t;

typedef struct {
  int js;         // forwarded to JS (a writer): its ops go there
  double js_id;   // JS's handle number
  uint64_t ino;
  uint64_t node;  // the node id of the kernel's inode it is open on: its cached pages' (snapshot.h)
  int fd;         // the original, read-only (native handles only)
  layout_t *layout;  // native handles only
  int cached;     // reads and writes go through the kernel's page cache (else direct_io)
  // The furthest a run of reads of the audio has reached, how many reads extended it in a row, and
  // whether the original has the kernel's readahead back (read_path.c: note_read).
  _Atomic uint64_t reach;
  atomic_uint in_order;
  atomic_int streaming;
  atomic_int stored;  // the rest of the header went into the kernel's cache (read_path.c)
  struct cache_entry *claim;  // a first open's copy: its version's pages, claimed (read_path.c: cache_claim)
} handle_t;

// Whose bytes the kernel's cached pages of a file are (kept_pages.c).
typedef struct cache_entry {
  struct cache_entry *next;
  uint64_t ino;  // the node id: a version of another size is another kernel inode (snapshot.h)
  double version;
  unsigned opens;
  unsigned storing;  // claims of the version's pages for stores under way (kept_pages.h: cache_claim)
  double stored;     // the version whose header and last pages its first open stored
  uint8_t recent;    // an open used it since the clock's hand last passed (kept_pages.c: sweep_locked)
  uint8_t dropping;  // its pages are being dropped: opens bypass them until the entry goes
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
  uint64_t node;  // the node id it names (snapshot.h: node_id)
} pending_t;

typedef struct {
  int op;
  uint64_t id;  // 0: no reply expected (log, exit)
  fuse_req_t req;
  uint64_t node;  // the node id it names; JS is given the inode number (node_ino)
  double fh;
  uint64_t offset, size;
  int flags;
  char *data;  // owned; write data or a log line
  size_t data_len;
} forward_t;

// Where two trees may differ, as JS says of a repack (native-tree.ts: repackTops): nodes [from, to) of the
// old tree (`pairs[0 .. 2*before)`) and of the new (`pairs[2*before .. 2*(before+after))`); every other
// node of the new tree is a copy of one of the old, in the same order. The roots are always compared.
typedef struct {
  uint32_t before, after;
  uint32_t pairs[];
} diff_ranges_t;

typedef struct notice {
  struct notice *next;
  uint64_t ino;  // inode to invalidate, or the parent of `name`
  char *name;    // NULL: invalidate the inode
  size_t name_len;
  int attrs_only;  // the inode's attributes, not its cached pages
  // Set instead: two trees to compare (invalidate_changes), one reference to each held by the notice.
  snapshot_t *diff_old, *diff_next;
  diff_ranges_t *diff_ranges;  // owned; NULL: every node
  // Set instead: what a file's first open stores (read_path.c: opening_store), for an open JS answered.
  handle_t *store;
  int drop_pages;  // the inode's pages and attributes, then its kept_pages entry (kept_pages.c)
} notice_t;

struct sleeve_state {
  struct fuse_session *se;
  pthread_t loop_thread, notify_thread;
  atomic_int running;
  napi_threadsafe_function tsfn;
  double attr_timeout;
  uid_t uid;
  gid_t gid;
  pthread_mutex_t snap_lock;
  snapshot_t *snap;
  // The tree JS publishes next, while the echo thread tells of its changes (echo.c); else NULL.
  snapshot_t *next_snap;
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
  // invalidations, sent by their own thread: the kernel may wait on a request JS is answering
  pthread_mutex_t notice_lock;
  pthread_cond_t notice_cond;
  notice_t *notices, **notices_tail;
  // The kernel's requests by kind since the mount, for the counting guards (requestCounts in napi.c).
  atomic_uint_fast64_t requests[REQUEST_KINDS];
  // When the echo began telling of names the next setTree changes (epoch ms; 0: it has not).
  _Atomic double echo_began_ms;
  atomic_uint_fast64_t stores[STORE_OUTCOMES];
};

/** The wall clock in whole milliseconds since the epoch: the times readers.c notes opens by, which JS
 *  compares with edits' times. */
static inline double epoch_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)(ts.tv_nsec / 1000000);
}

/** The one mount this process serves: defined in state.c. */
extern struct sleeve_state S;

/** A whole number a double holds exactly (inode numbers, sizes, offsets). */
static inline int is_count(double v) {
  return isfinite(v) && v >= 0 && v <= 9007199254740992.0 && v == floor(v);
}

static inline uint32_t hash_ino(uint64_t ino) {
  ino ^= ino >> 33;
  ino *= 0xff51afd7ed558ccdULL;
  ino ^= ino >> 33;
  return (uint32_t)ino;
}

#endif
