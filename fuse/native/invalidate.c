// Invalidations: what the kernel cached that a new tree no longer says, sent by a thread of their own
// (the kernel may wait on a request the JS thread is answering, so the JS thread never sends them); and,
// for the same reason, the stores of files whose open JS answered.
#include "state.h"
#include "invalidate.h"
#include "kept_pages.h"
#include "notices.h"
#include "original_calls.h"
#include "read_path.h"
#include "moved_names.h"
#include "snapshot.h"

// ---- invalidations ----

void notice_push(uint64_t ino, const char *name, size_t len) {
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
  notice_queue(n);
}

/** Drops only what the kernel keeps of the inode's attributes: its cached pages stay (they belong to a
 *  version, which cache_open and the trees' comparison look after). */
void attrs_push(uint64_t ino) {
  notice_t *n = calloc(1, sizeof *n);
  if (!n) return;
  n->ino = ino;
  n->attrs_only = 1;
  notice_queue(n);
}

/** Compares two trees on the notify thread (at 100k files it takes longer than building one), so the
 *  JS thread that published `next` goes on at once. Takes over the caller's reference to each, and
 *  `ranges` (NULL: the whole trees). */
void diff_push(snapshot_t *old, snapshot_t *next, diff_ranges_t *ranges) {
  notice_t *n = calloc(1, sizeof *n);
  if (!n) {
    invalidate_changes(old, next, ranges);  // out of memory: compare here rather than not at all
    snap_release(old);
    snap_release(next);
    free(ranges);
    return;
  }
  n->diff_old = old;
  n->diff_next = next;
  n->diff_ranges = ranges;
  notice_queue(n);
}

/** Stores what a file's first open chose (opening_store) on the notify thread: JS answered the open, and
 *  the stores read the original and may wait for the kernel. */
void store_push(handle_t *copy) {
  notice_t *n = copy ? calloc(1, sizeof *n) : NULL;
  if (!n) {
    opening_stored(copy, 0, 0);
    return;
  }
  n->store = copy;
  notice_queue(n);
}

// Runs until the process exits (see js_unmount).
void *notify_main(void *arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&S.notice_lock);
    while (!S.notices) pthread_cond_wait(&S.notice_cond, &S.notice_lock);
    notice_t *n = S.notices;
    S.notices = n->next;
    if (!S.notices) S.notices_tail = &S.notices;
    pthread_mutex_unlock(&S.notice_lock);
    if (n->diff_old) {
      if (S.running) invalidate_changes(n->diff_old, n->diff_next, n->diff_ranges);
      snap_release(n->diff_old);
      snap_release(n->diff_next);
      free(n->diff_ranges);
    } else if (n->store) {
      // Not on a file system that stopped answering, nor waiting for one: this thread tells the kernel
      // of every change (left out, the store costs only speed).
      original_call_t call;
      if (original_call_begin(n->store->layout, "read", 0, &call) == 0) {
        opening_read_ahead(n->store);
        opening_stored(n->store, S.running, 0);
        original_call_end(call);
      } else {
        opening_stored(n->store, 0, 0);
      }
    } else if (n->drop_pages) {
      if (S.running) fuse_lowlevel_notify_inval_inode(S.se, n->ino, 0, 0);
      kept_pages_dropped(n->ino);
    } else if (!S.running) {
      // unmounted: nothing to tell
    } else if (n->name) {
      fuse_lowlevel_notify_inval_entry(S.se, n->ino, n->name, n->name_len);
    } else {
      fuse_lowlevel_notify_inval_inode(S.se, n->ino, n->attrs_only ? -1 : 0, 0);  // -1: attributes only
    }
    free(n->name);
    free(n);
  }
  return NULL;
}

/** What the kernel keeps of file `o` of tree `old`, `n` of tree `next`: a version of another size is
 *  another kernel inode (node_id), which a new lookup of its name finds — the old name, and the new one
 *  the echo moved the old inode to (mount-echo.ts) — while the old one keeps its size and pages for the
 *  handles open on it; the same inode's attributes and pages are dropped when what it serves changed. */
void file_changed(const snapshot_t *old, const node_t *o, const snapshot_t *next, const node_t *n) {
  if (node_id_of(o) != node_id_of(n)) {
    // A file is never the root: both have parents.
    uint64_t was_in = snap_at(old, o->parent)->ino, is_in = snap_at(next, n->parent)->ino;
    const char *was = o->name, *is = n->name;
    notice_push(was_in, was, o->name_len);
    if (is_in != was_in || n->name_len != o->name_len || memcmp(is, was, o->name_len) != 0)
      notice_push(is_in, is, n->name_len);
  } else if (n->size != o->size || n->mtime_ms != o->mtime_ms || n->version != o->version ||
             n->flags != o->flags) {  // the flags give its mode (node_mode)
    notice_push(node_id_of(o), NULL, 0);
  }
}

/** Child `oc` of folder `o` of the tree before no longer has its name there in `next`: a file the library moved
 *  that lives on, or a folder gone with it, is noted under its old name (moved_names.h: a tagger saving by
 *  the path it loaded). */
static void note_moved(const node_t *o, const node_t *oc, snapshot_t *next) {
  // Not a name a tagger moved itself: a scratch file's, or a file's moved aside (kid3's X.ogg_KID3) or
  // back (the tagger checks that the name it left is free).
  if (oc->flags & (NODE_SCRATCH | NODE_ASIDE)) return;
  const node_t *now = snap_node(next, oc->ino);
  if (now && (now->flags & NODE_ASIDE)) return;
  int folder = (oc->flags & NODE_DIR) != 0;
  if (folder ? !now : now && !(now->flags & NODE_DIR))
    moved_name_add(o->ino, oc->name, oc->name_len, oc->ino, folder, next->changed_ms);
}

static atomic_uint_fast64_t compared;  // nodes looked at by invalidate_changes

double nodes_compared(void) {
  return (double)atomic_load_explicit(&compared, memory_order_relaxed);
}

/** Node `o` of `old` against what `next` has of it: the kernel forgets what changed of it, and for a
 *  folder the names that went away or now lead elsewhere. */
static void old_node_changes(snapshot_t *old, const node_t *o, snapshot_t *next) {
  node_t *n = snap_node(next, o->ino);
  if (!n) notice_push(node_id_of(o), NULL, 0);
  if (!(o->flags & NODE_DIR)) {
    if (n) file_changed(old, o, next, n);
    return;
  }
  if (!n || !(n->flags & NODE_DIR)) {
    if (o->parent != NO_PARENT) notice_push(snap_at(old, o->parent)->ino, o->name, o->name_len);
    for (uint32_t c = 0; c < o->child_count; c++) note_moved(o, snap_at(old, old->children->at[o->first_child + c]), next);
    return;
  }
  int changed = n->child_count != o->child_count || n->mtime_ms != o->mtime_ms;
  for (uint32_t c = 0; c < o->child_count; c++) {
    node_t *oc = snap_at(old, old->children->at[o->first_child + c]);
    node_t *nc = snap_child(next, n, oc->name, oc->name_len);
    if (!nc) note_moved(o, oc, next);
    if (!nc || nc->ino != oc->ino) {
      notice_push(o->ino, oc->name, oc->name_len);
      changed = 1;
    }
  }
  if (changed) notice_push(o->ino, NULL, 0);
}

/** A node of `next` the old tree lacks: an inode that (re)appears may still be held (an open file, a
 *  cwd): the kernel drops what it cached of it. */
static void new_node_changes(snapshot_t *old, const node_t *n) {
  if (!snap_node(old, n->ino)) notice_push(node_id_of(n), NULL, 0);
}

// What the kernel may have cached from `old` and `next` no longer says: changed files and directories
// (attributes and data) and names that went away or now lead elsewhere. The kernel keeps what it was
// given for a day: whatever changes must be told here. With `ranges`, only the nodes they name and the
// roots: a retitle at a million files repacks one top-level folder, and comparing every node (two table
// lookups each) took longer than the rest of its publish.
void invalidate_changes(snapshot_t *old, snapshot_t *next, const diff_ranges_t *ranges) {
  uint64_t looked = 0;
  if (!ranges) {
    for (uint32_t i = 0; i < next->count; i++) new_node_changes(old, snap_at(next, i));
    for (uint32_t i = 0; i < old->count; i++) old_node_changes(old, snap_at(old, i), next);
    looked = (uint64_t)next->count + old->count;
  } else {
    const uint32_t *before = ranges->pairs, *after = ranges->pairs + 2 * ranges->before;
    new_node_changes(old, snap_at(next, 0));
    for (uint32_t r = 0; r < ranges->after; r++)
      for (uint32_t i = after[2 * r]; i < after[2 * r + 1]; i++) new_node_changes(old, snap_at(next, i));
    old_node_changes(old, snap_at(old, 0), next);
    for (uint32_t r = 0; r < ranges->before; r++)
      for (uint32_t i = before[2 * r]; i < before[2 * r + 1]; i++) old_node_changes(old, snap_at(old, i), next);
    looked = 2;
    for (uint32_t r = 0; r < ranges->before + ranges->after; r++) looked += ranges->pairs[2 * r + 1] - ranges->pairs[2 * r];
  }
  atomic_fetch_add_explicit(&compared, looked, memory_order_relaxed);
}
