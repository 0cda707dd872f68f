// Sleeve's FUSE binding: libfuse 3's low-level API, served by libfuse's own worker threads.
//
// Why native: the hot paths (lookup, getattr, readdir, and reads of files opened read-only) are answered
// here without the JS thread, from an immutable snapshot of the tree that JS pushes, and from a per-handle
// copy of the regenerated header plus positioned reads of the original. Everything that needs the
// library (building a header on open, a writer's overlay, saving an edit) is forwarded to JS through one
// thread-safe function and answered later from the JS thread: the low-level API lets any thread reply.
//
// One mount per process (the daemon serves one library). This unit is the N-API glue: the functions JS
// calls, the FUSE session and its operations table; the others hold one concept each (state, snapshot,
// read_path, forward, invalidate).
#include <malloc.h>
#include "state.h"
#include "art.h"
#include "crash.h"
#include "echo.h"
#include "forward.h"
#include "readers.h"
#include "invalidate.h"
#include "kernel_mount.h"
#include "kept_pages.h"
#include "node_pages.h"
#include "original_calls.h"
#include "read_path.h"
#include "snapshot.h"
#include "splice.h"
#include "told_names.h"
#include "tree_ops.h"

static const struct fuse_lowlevel_ops OPS = {
    .init = op_init,
    .lookup = op_lookup,
    .getattr = op_getattr,
    .setattr = op_setattr,
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
    .mkdir = op_mkdir,
    .unlink = op_unlink,
    .rmdir = op_rmdir,
    .symlink = op_erofs_symlink,
    .rename = op_rename,
    .link = op_erofs_link,
    .create = op_create,
};

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, "ERR_SLEEVE_FUSE", "internal: " #call);   \
      return NULL;                                                    \
    }                                                                 \
  } while (0)

static napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_SLEEVE_FUSE_ARG", message);
  return NULL;
}

static int typed_of(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *length) {
  bool is;
  napi_typedarray_type type;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  if (napi_get_typedarray_info(env, v, &type, length, data, NULL, NULL) != napi_ok) return 0;
  return type == want;
}

static int get_typed(napi_env env, napi_value obj, const char *key, napi_typedarray_type want, void **data,
                     size_t *length) {
  napi_value v;
  return napi_get_named_property(env, obj, key, &v) == napi_ok && typed_of(env, v, want, data, length);
}

static int get_number(napi_env env, napi_value obj, const char *key, double *out) {
  napi_value v;
  return napi_get_named_property(env, obj, key, &v) == napi_ok && napi_get_value_double(env, v, out) == napi_ok;
}

// The waiting request numbered `v`, if it is of one of `ops`; taken, so it is answered once; the node id
// it names into `*node` (if not NULL).
static fuse_req_t get_req(napi_env env, napi_value v, unsigned ops, uint64_t *node) {
  uint64_t id;
  bool lossless;
  if (napi_get_value_bigint_uint64(env, v, &id, &lossless) != napi_ok || !lossless || id == 0) return NULL;
  return pending_take(id, ops, node);
}

// The arrays every node of a tree has, setTree's and patchTree's alike, each `*n` long.
typedef struct {
  double *ino, *size, *mtime, *version;
  uint8_t *flags;
} node_arrays_t;

static int get_node_arrays(napi_env env, napi_value tree, node_arrays_t *a, size_t *n) {
  size_t k;
  return get_typed(env, tree, "ino", napi_float64_array, (void **)&a->ino, n) &&
         get_typed(env, tree, "size", napi_float64_array, (void **)&a->size, &k) && k == *n &&
         get_typed(env, tree, "mtimeMs", napi_float64_array, (void **)&a->mtime, &k) && k == *n &&
         get_typed(env, tree, "version", napi_float64_array, (void **)&a->version, &k) && k == *n &&
         get_typed(env, tree, "flags", napi_uint8_array, (void **)&a->flags, &k) && k == *n;
}

/** Snapshots made of JS trees (a count the tests guard: each is O(files)). JS thread only. */
static double trees_built;

// The arrays of a tree JS gives ({ino, parent, flags, size, mtimeMs, version, names, nameEnd}: node 0 is
// the root; parent holds node indices, the root's ignored); 0 with a JS error thrown.
static int tree_arrays_of(napi_env env, napi_value tree, tree_arrays_t *t) {
  node_arrays_t a;
  size_t k;
  if (!get_node_arrays(env, tree, &a, &t->n) ||
      !get_typed(env, tree, "parent", napi_uint32_array, (void **)&t->parent, &k) || k != t->n ||
      !get_typed(env, tree, "nameEnd", napi_uint32_array, (void **)&t->name_end, &k) || k != t->n ||
      !get_typed(env, tree, "names", napi_uint8_array, (void **)&t->names, &t->name_bytes))
    return (throw_type(env, "setTree: a typed array is missing, of the wrong type or length"), 0);
  // An empty buffer's data may be NULL (a library with no files): no offset from NULL, no memcpy from it.
  static uint8_t no_names[1];
  if (!t->names) t->names = no_names;
  t->ino = a.ino, t->size = a.size, t->mtime = a.mtime, t->version = a.version, t->flags = a.flags;
  if (t->n == 0 || t->n >= UINT32_MAX / 4 || !(t->flags[0] & NODE_DIR))
    return (throw_type(env, "setTree: node 0 must be the root directory"), 0);
  if (t->ino[0] != FUSE_ROOT_ID) return (throw_type(env, "setTree: the root's inode number must be 1"), 0);
  return 1;
}

// A snapshot of tree `t`, every node checked and placed; NULL with a JS error thrown.
static snapshot_t *snapshot_of(napi_env env, const tree_arrays_t *t) {
  const char *wrong = NULL;
  snapshot_t *s = snap_built(t, &wrong);
  if (s) trees_built++;
  else if (wrong) throw_type(env, wrong);
  else napi_throw_error(env, "ERR_SLEEVE_FUSE", "setTree: out of memory");
  return s;
}

/** The JS tree the pending snapshot was made from (a weak reference; JS thread only): set as it is, the
 *  snapshot made of it is taken, not made again (at 100k files, 5–10 ms a publish). */
static napi_ref pending_source;

/** Whether `tree` is the one the pending snapshot was made from; the reference is let go either way. */
static int was_pending(napi_env env, napi_value tree) {
  if (!pending_source) return 0;
  napi_value source = NULL;
  bool same = false;
  if (napi_get_reference_value(env, pending_source, &source) == napi_ok && source)
    napi_strict_equals(env, source, tree, &same);
  napi_delete_reference(env, pending_source);
  pending_source = NULL;
  return same;
}

/** setTree's second argument, {before, after} (Uint32Arrays of [from, to) pairs: state.h's
 *  diff_ranges_t), checked against the trees' sizes; NULL with *bad set when it is wrong. */
static diff_ranges_t *ranges_of(napi_env env, napi_value arg, uint32_t old_count, uint32_t next_count, int *bad) {
  uint32_t *before, *after;
  size_t nb, na;
  *bad = 1;
  if (!get_typed(env, arg, "before", napi_uint32_array, (void **)&before, &nb) ||
      !get_typed(env, arg, "after", napi_uint32_array, (void **)&after, &na) || nb % 2 || na % 2)
    return NULL;
  for (size_t k = 0; k < nb + na; k += 2) {
    const uint32_t *pair = k < nb ? before + k : after + (k - nb);
    if (pair[0] < 1 || pair[0] > pair[1] || pair[1] > (k < nb ? old_count : next_count)) return NULL;
  }
  diff_ranges_t *r = malloc(sizeof *r + (nb + na) * sizeof(uint32_t));
  *bad = 0;
  if (!r) return NULL;  // out of memory: every node is compared
  r->before = (uint32_t)(nb / 2), r->after = (uint32_t)(na / 2);
  if (nb) memcpy(r->pairs, before, nb * sizeof(uint32_t));
  if (na) memcpy(r->pairs + nb, after, na * sizeof(uint32_t));
  return r;
}

/** A call's tree (its arrays into `*t`) and, when given, where it was rebuilt (`*ranges`, checked against
 *  the served tree: ranges_of; the caller's to free); 0 with a JS error thrown (`usage`: no tree). */
static int tree_args(napi_env env, napi_callback_info info, const char *usage, napi_value *tree, tree_arrays_t *t,
                     diff_ranges_t **ranges) {
  size_t argc = 2;
  napi_value argv[2];
  *ranges = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return (throw_type(env, usage), 0);
  if (argc < 1) return (throw_type(env, usage), 0);
  *tree = argv[0];
  if (!tree_arrays_of(env, argv[0], t)) return 0;
  napi_valuetype type = napi_undefined;
  if (argc > 1) napi_typeof(env, argv[1], &type);
  if (type == napi_undefined) return 1;
  snapshot_t *served = snap_acquire();
  int bad = 0;
  if (served) *ranges = ranges_of(env, argv[1], served->count, (uint32_t)t->n, &bad);
  snap_release(served);
  if (bad) return (throw_type(env, "setTree: rebuilt must be {before, after}, node ranges [from, to) of each tree"), 0);
  return 1;
}

/** Tree `t` as a snapshot: made from the served one where `ranges` say it was rebuilt in place
 *  (splice.c), else whole; NULL with a JS error thrown. */
static snapshot_t *snapshot_from(napi_env env, const tree_arrays_t *t, const diff_ranges_t *ranges) {
  snapshot_t *served = ranges ? snap_acquire() : NULL;
  snapshot_t *s = snap_spliced(served, t, ranges);
  snap_release(served);
  return s ? s : snapshot_of(env, t);
}

// setTree(tree, rebuilt?): replaces the served tree (and the pending one) and invalidates what changed:
// with `rebuilt` ({before, after}: where a repack may differ, state.h), only there. The tree set pending
// is taken as it was made: it must not have changed since (tree-publisher.ts hands it over untouched).
static napi_value js_set_tree(napi_env env, napi_callback_info info) {
  napi_value tree;
  tree_arrays_t t;
  diff_ranges_t *ranges;
  if (!tree_args(env, info, "setTree needs a tree", &tree, &t, &ranges)) return NULL;
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *pending = S.next_snap;
  pthread_mutex_unlock(&S.snap_lock);
  // Only this thread sets the pending tree: it is still the one looked at (its size checked: the ranges
  // were checked against the arrays given now).
  snapshot_t *s = was_pending(env, tree) && pending && pending->count == t.n ? pending : snapshot_from(env, &t, ranges);
  if (!s) {
    free(ranges);
    return NULL;
  }
  double told = atomic_exchange(&S.echo_began_ms, 0);
  s->changed_ms = told ? told : epoch_ms();
  told_published();
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *old = S.snap;
  S.snap = s;
  S.next_snap = NULL;
  pthread_mutex_unlock(&S.snap_lock);
  if (pending != s) snap_release(pending);
  if (old && S.running) {
    atomic_fetch_add(&s->refs, 1);
    diff_push(old, s, ranges);
  } else {
    snap_release(old);
    free(ranges);
  }
  return NULL;
}

// patchTree({ino, size, mtimeMs, version, flags}, indices): the tree last set (or patched) with new
// sizes, times, versions and flags for the nodes at `indices`, taken from the arrays (the tree's own, as
// setTree had them); names, parents and inode numbers stay. Copies the nodes only, and invalidates only
// what changed of those nodes: at 100k files setTree's sort and the full comparison cost tens of ms for
// each change, and a large edit reaching the mount in chunks, or a tagger saving, changes often.
static napi_value js_patch_tree(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) return throw_type(env, "patchTree(tree, indices)");
  node_arrays_t a;
  uint32_t *indices;
  size_t n, m;
  if (!get_node_arrays(env, argv[0], &a, &n) || !typed_of(env, argv[1], napi_uint32_array, (void **)&indices, &m))
    return throw_type(env, "patchTree: a typed array is missing, of the wrong type or length");
  double *ino = a.ino, *size = a.size, *mtime = a.mtime, *version = a.version;
  uint8_t *flags = a.flags;
  snapshot_t *old = snap_acquire();
  const char *wrong = NULL;
  if (!old || old->count != n) wrong = "patchTree: the tree is not the one last set";
  for (size_t j = 0; !wrong && j < m; j++) {
    uint32_t i = indices[j];
    if (i >= n || snap_at(old, i)->ino != ino[i] || (snap_at(old, i)->flags & NODE_DIR) != (flags[i] & NODE_DIR))
      wrong = "patchTree: an index is out of range or its node is not the one last set";
    else if (!is_count(size[i]) || !isfinite(mtime[i]) || !isfinite(version[i]))
      wrong = "patchTree: sizes, times and versions must be finite (and sizes whole)";
  }
  if (wrong) {
    snap_release(old);
    return throw_type(env, wrong);
  }
  snapshot_t *s = snap_patched(old);
  for (size_t j = 0; s && j < m; j++) {
    node_t *node = snap_own_node(s, old, indices[j]);
    if (!node) {
      snap_release(s);
      s = NULL;
      break;
    }
    node->size = (uint64_t)size[indices[j]];
    node->mtime_ms = mtime[indices[j]];
    node->version = version[indices[j]];
    node->flags = flags[indices[j]];
  }
  if (!s) {
    snap_release(old);
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "patchTree: out of memory");
    return NULL;
  }
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *was = S.snap;
  S.snap = s;
  pthread_mutex_unlock(&S.snap_lock);
  // `was` is `old` (only this thread publishes): what the kernel cached of a changed node is dropped.
  for (size_t j = 0; S.running && j < m; j++) {
    const node_t *o = snap_at(old, indices[j]), *p = snap_at(s, indices[j]);
    if (!(o->flags & NODE_DIR)) file_changed(old, o, s, p);
    else if (o->mtime_ms != p->mtime_ms || o->flags != p->flags) notice_push(p->ino, NULL, 0);
  }
  snap_release(was);
  snap_release(old);
  return NULL;
}

// mount(mountpoint, options, onRequest, attrTimeoutSeconds, libraryPath, originalTimeoutSeconds): mounts
// and starts serving; an original's file system that leaves a call unanswered for originalTimeoutSeconds
// counts as stalled (original_calls.c).
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
  size_t argc = 7;
  napi_value argv[7];
  double original_timeout, kept_files;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (S.se) {
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "this process is already serving a mount");
    return NULL;
  }
  char mountpoint[4096], options[4096], library[4096];
  size_t len;
  napi_valuetype type;
  if (argc < 7 || napi_get_value_string_utf8(env, argv[0], mountpoint, sizeof mountpoint, &len) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], options, sizeof options, &len) != napi_ok ||
      napi_typeof(env, argv[2], &type) != napi_ok || type != napi_function ||
      napi_get_value_double(env, argv[3], &S.attr_timeout) != napi_ok ||
      napi_get_value_string_utf8(env, argv[4], library, sizeof library, &len) != napi_ok ||
      napi_get_value_double(env, argv[5], &original_timeout) != napi_ok || !(original_timeout > 0) ||
      !isfinite(original_timeout) || napi_get_value_double(env, argv[6], &kept_files) != napi_ok ||
      !is_count(kept_files) || kept_files < 1)
    return throw_type(env,
                      "mount(mountpoint, options, onRequest, attrTimeout, libraryPath, originalTimeout, keptPagesFiles)");
  if (!S.snap) return throw_type(env, "mount: setTree first");
  char art_why[512] = "", art_error[5120];
  if (art_open(library, art_why, sizeof art_why) != 0) {
    snprintf(art_error, sizeof art_error, "cannot read cover art from %s: %s", library, art_why);
    napi_throw_error(env, "ERR_SLEEVE_FUSE", art_error);
    return NULL;
  }
  if (kept_pages_limit((size_t)kept_files) != 0) {
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "cannot keep track of the files' pages (out of memory)");
    return NULL;
  }
  crash_report_install();
  original_calls_start(original_timeout);
  S.uid = getuid();
  S.gid = getgid();
  char *args_v[] = {"sleeve", NULL};
  struct fuse_args args = FUSE_ARGS_INIT(1, args_v);
  S.se = fuse_session_new(&args, &OPS, sizeof OPS, NULL);
  if (!S.se) {
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "cannot start a FUSE session");
    return NULL;
  }
  char why[1024], device[32];
  int fd = kernel_mount(mountpoint, options, why, sizeof why);
  if (fd < 0) {
    fuse_session_destroy(S.se);
    S.se = NULL;
    napi_throw_error(env, "ERR_SLEEVE_FUSE", why);
    return NULL;
  }
  // libfuse serves a descriptor it is given as /dev/fd/N (and leaves its unmounting to kernel_unmount).
  snprintf(device, sizeof device, "/dev/fd/%d", fd);
  if (fuse_session_mount(S.se, device) != 0) {
    kernel_unmount(fd);
    fuse_session_destroy(S.se);
    S.se = NULL;
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "cannot serve the mount: see the log for libfuse's reason");
    return NULL;
  }
  napi_value name;
  if (napi_create_string_utf8(env, "sleeve-fuse", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_threadsafe_function(env, argv[2], NULL, name, 0, 1, NULL, NULL, NULL, call_js, &S.tsfn) !=
          napi_ok) {
    fuse_session_destroy(S.se);  // closes the descriptor
    kernel_unmount(-1);
    S.se = NULL;
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "cannot start serving the mount");
    return NULL;
  }
  echo_mounted_at(mountpoint);
  S.running = 1;
  if (pthread_create(&S.notify_thread, NULL, notify_main, NULL) != 0 ||
      pthread_create(&S.loop_thread, NULL, loop_main, NULL) != 0) {
    S.running = 0;
    kernel_unmount(fuse_session_fd(S.se));
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
  kernel_unmount(fuse_session_fd(S.se));
  return NULL;
}

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

/* A path as the file system knows it: a string, or a Buffer of its bytes (a name that is not valid UTF-8,
 * which a string cannot carry). A NUL-terminated copy; NULL if neither, or if the bytes hold a NUL. */
static char *get_path(napi_env env, napi_value obj, const char *key) {
  napi_value v;
  bool is_buffer = false;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok || napi_is_buffer(env, v, &is_buffer) != napi_ok)
    return NULL;
  if (!is_buffer) return get_string(env, obj, key);
  void *data;
  size_t len;
  if (napi_get_buffer_info(env, v, &data, &len) != napi_ok || memchr(data, 0, len)) return NULL;
  char *out = malloc(len + 1);
  if (out) memcpy(out, data, len), out[len] = 0;
  return out;
}

// A hole's `hash`: a picture's art hash (read from the library), or null for padding (zeros, hash "").
static int get_hole_hash(napi_env env, napi_value hole, char out[ART_HASH_MAX + 1]) {
  napi_value hash;
  napi_valuetype type;
  size_t len;
  if (napi_get_named_property(env, hole, "hash", &hash) != napi_ok || napi_typeof(env, hash, &type) != napi_ok)
    return 0;
  if (type == napi_null) return out[0] = 0, 1;
  return napi_get_value_string_utf8(env, hash, NULL, 0, &len) == napi_ok && len > 0 && len <= ART_HASH_MAX &&
         napi_get_value_string_utf8(env, hash, out, ART_HASH_MAX + 1, &len) == napi_ok;
}

// The reply's optional `holes`, [{at, length, hash}]: in order, apart, `held` bytes of header around
// them. *out (NULL for none) and *count; *total, the header's and trailer's length as served.
static int get_holes(napi_env env, napi_value obj, uint64_t held, hole_t **out, uint32_t *count,
                     uint64_t *total) {
  *out = NULL, *count = 0, *total = held;
  bool has = false, is_array = false;
  napi_value list;
  uint32_t len = 0;
  if (napi_has_named_property(env, obj, "holes", &has) != napi_ok) return -1;
  if (!has) return 0;
  if (napi_get_named_property(env, obj, "holes", &list) != napi_ok ||
      napi_is_array(env, list, &is_array) != napi_ok || !is_array ||
      napi_get_array_length(env, list, &len) != napi_ok)
    return -1;
  if (len == 0) return 0;
  hole_t *holes = calloc(len, sizeof *holes);
  if (!holes) return -1;
  uint64_t served = 0, used = 0;  // where the last hole ended as served, and held bytes before it
  for (uint32_t i = 0; i < len; i++) {
    napi_value e;
    double at, length;
    int ok = napi_get_element(env, list, i, &e) == napi_ok && get_number(env, e, "at", &at) &&
             get_number(env, e, "length", &length) && is_count(at) && is_count(length) && length > 0 &&
             at >= (double)served && used + ((uint64_t)at - served) <= held &&
             get_hole_hash(env, e, holes[i].hash);
    if (!ok) {
      free(holes);
      return -1;
    }
    used += (uint64_t)at - served;
    holes[i].at = (uint64_t)at;
    holes[i].length = (uint64_t)length;
    served = holes[i].at + holes[i].length;
  }
  *out = holes, *count = len, *total = served + (held - used);
  return 0;
}

// The layout an object describes ({ino, header, holes?, audioStart, trailerSize?, size, origSize,
// origMtimeMs, origDev, origPath, path, version}: what replyOpen and rememberLayout take), its header copied.
// NULL after throwing (`what` naming the call), or with no exception pending when out of memory.
static layout_t *parse_layout(napi_env env, napi_value obj, const char *what) {
  double ino, audio_start, size, orig_size, orig_mtime, orig_dev, version;
  bool is_buffer = false;
  napi_value header_v;
  void *header_data = NULL;
  size_t header_len = 0;
  if (!get_number(env, obj, "ino", &ino) || !get_number(env, obj, "audioStart", &audio_start) ||
      !get_number(env, obj, "size", &size) || !get_number(env, obj, "origSize", &orig_size) ||
      !get_number(env, obj, "origMtimeMs", &orig_mtime) || !get_number(env, obj, "origDev", &orig_dev) ||
      !get_number(env, obj, "version", &version) ||
      napi_get_named_property(env, obj, "header", &header_v) != napi_ok ||
      napi_is_buffer(env, header_v, &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, header_v, &header_data, &header_len) != napi_ok)
    return throw_type(env, what), NULL;
  if (!is_count(ino) || !is_count(audio_start) || !is_count(size) || !is_count(orig_size) ||
      !is_count(orig_dev) || !isfinite(orig_mtime) || !isfinite(version))
    return throw_type(env, "the layout's numbers must be finite (and whole, but for times and versions)"), NULL;
  // Optional: pictures and padding left out of `header` (read from the library, or zeros, as reached).
  hole_t *holes = NULL;
  uint32_t hole_count = 0;
  uint64_t served = 0;  // header and trailer as served
  if (get_holes(env, obj, header_len, &holes, &hole_count, &served) != 0)
    return throw_type(env, "holes must be [{at, length, hash}] in order, apart, within the header, "
                           "hash a picture's or null"), NULL;
  if (served > size) {
    free(holes);
    return throw_type(env, "the header and trailer are larger than the file"), NULL;
  }
  // Optional: the last trailerSize bytes served of header and trailer come after the audio.
  double trailer_size = 0;
  bool has_trailer = false;
  if (napi_has_named_property(env, obj, "trailerSize", &has_trailer) != napi_ok ||
      (has_trailer && (!get_number(env, obj, "trailerSize", &trailer_size) || !is_count(trailer_size) ||
                       trailer_size > (double)served || trailer_size > size))) {
    free(holes);
    return throw_type(env, "trailerSize must be a whole number within the header buffer"), NULL;
  }
  char *orig_path = get_path(env, obj, "origPath");
  char *path = get_string(env, obj, "path");
  if (!orig_path || !path) {
    free(orig_path), free(path), free(holes);
    return throw_type(env, "origPath must be a string or a Buffer without NUL, path a string"), NULL;
  }
  layout_t *l = calloc(1, sizeof *l);
  uint8_t *header = malloc(header_len ? header_len : 1);
  if (!l || !header) {
    free(l), free(header), free(orig_path), free(path), free(holes);
    return NULL;
  }
  if (header_len > 0) memcpy(header, header_data, header_len);  // a whole-file layout has no header
  atomic_init(&l->refs, 1);
  l->ino = (uint64_t)ino;
  l->version = version;
  l->header = header;
  l->held = header_len;
  l->holes = holes;
  l->hole_count = hole_count;
  l->header_size = served - (uint64_t)trailer_size;
  l->trailer_size = (uint64_t)trailer_size;
  l->audio_start = (uint64_t)audio_start;
  l->size = (uint64_t)size;
  l->orig_size = (uint64_t)orig_size;
  l->orig_mtime_ms = orig_mtime;
  l->orig_dev = (uint64_t)orig_dev;
  l->orig_path = orig_path;
  l->path = path;
  return l;
}

// replyOpen(req, {fh?, fd, ...a layout as parse_layout reads it}): with `fh` (JS's handle number) the
// handle's ops go to JS; without it reads are served here, `fd` belongs here from the call on (closed on
// release, or at once when the open fails), and later read-only opens of the same version are answered
// here. Returns whether the open reached its caller.
static napi_value js_reply_open(napi_env env, napi_callback_info info) {
  static const char usage[] =
      "replyOpen(req, {ino, fh?, fd, header, audioStart, size, origSize, origMtimeMs, origDev, origPath, path, "
      "version})";
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  double fd, js_id = -1;
  bool has_fh = false, pending = false;
  if (argc < 2 || !get_number(env, argv[1], "fd", &fd)) return throw_type(env, usage);
  if (!is_count(fd) || fd > INT32_MAX) return throw_type(env, "replyOpen: fd must be finite and whole");
  CHECK(napi_has_named_property(env, argv[1], "fh", &has_fh));
  if (has_fh && (!get_number(env, argv[1], "fh", &js_id) || !is_count(js_id)))
    return throw_type(env, "replyOpen: fh must be a whole number");
  layout_t *l = parse_layout(env, argv[1], usage);
  if (!l && (napi_is_exception_pending(env, &pending) != napi_ok || pending)) return NULL;
  uint64_t node = 0;
  fuse_req_t req = get_req(env, argv[0], 1u << OP_OPEN, &node);
  if (!req) {
    layout_release(l);
    return throw_type(env, "replyOpen: not an open waiting for a reply");
  }
  // A version of another size than the inode opened (the tree moved on while JS opened it): the kernel
  // looks the name up again and opens the inode that finds (op_open).
  int stale = l && node_id(l->ino, l->size) != node;
  handle_t *h = stale ? NULL : calloc(1, sizeof *h);
  if (!h || !l) {
    free(h), layout_release(l);
    if (!has_fh) close((int)fd);  // the fd was handed over
    fuse_reply_err(req, stale ? ESTALE : ENOMEM);
    napi_value result;
    napi_get_boolean(env, false, &result);
    return result;
  }
  *h = (handle_t){.js = has_fh, .js_id = js_id, .ino = l->ino, .node = node, .fd = (int)fd, .layout = l};
  double version = l->version;
  if (has_fh) h->layout = NULL, layout_release(l);  // JS serves a writer's reads: nothing kept here
  else layouts_remember(l);
  struct fuse_file_info fi = {0};
  fi.fh = (uint64_t)(uintptr_t)h;
  h->cached = cache_open(h->node, version, has_fh, &fi);
  fi.noflush = !h->js;  // only a writer saves on close
  if (h->js) writers_add(h->ino);
  handle_t *store = h->js ? NULL : opening_store(h, &fi);
  bool delivered = fuse_reply_open(req, &fi) == 0;
  if (!delivered) {
    // The opener is gone (interrupted): no release will come for this handle.
    if (h->js) writers_remove(h->ino);
    handle_free(h);
  }
  if (delivered) store_push(store);  // not from this thread: the stores read the original
  else opening_stored(store, 0, 0);
  napi_value result;
  napi_get_boolean(env, delivered, &result);
  return result;
}

// rememberLayout({...a layout as parse_layout reads it}): a layout built before its file was opened (a
// folder a player is scanning, app/core/mounted/folder-layouts.ts), so that the file's first read-only open of that
// version is answered here, as later ones are.
static napi_value js_remember_layout(napi_env env, napi_callback_info info) {
  static const char usage[] =
      "rememberLayout({ino, header, audioStart, size, origSize, origMtimeMs, origDev, origPath, path, version})";
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return throw_type(env, usage);
  layout_t *l = parse_layout(env, argv[0], usage);  // out of memory: nothing remembered, no harm
  if (l) {
    layouts_remember(l);
    layout_release(l);  // the table holds its own reference
  }
  return NULL;
}

// A reply's two arguments: the request's number and the answer.
static int reply_args(napi_env env, napi_callback_info info, napi_value argv[2]) {
  size_t argc = 2;
  return napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= 2;
}

// The waiting request a reply names, or NULL after throwing `refusal`.
static fuse_req_t take_req(napi_env env, napi_value v, unsigned ops, const char *refusal) {
  fuse_req_t req = get_req(env, v, ops, NULL);
  if (!req) throw_type(env, refusal);
  return req;
}

// replyCreate(req, {ino, fh, size, mtimeMs}): a scratch file created and opened for writing, its ops
// going to JS under handle number `fh`. Its entry and attributes have no lifetime in the kernel: its size
// lives in JS, and its name may soon lead elsewhere (renamed over a served file, the name is the served
// file's again). Returns whether the create reached its caller.
static napi_value js_reply_create(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  double ino, fh, size, mtime;
  if (argc < 2 || !get_number(env, argv[1], "ino", &ino) || !get_number(env, argv[1], "fh", &fh) ||
      !get_number(env, argv[1], "size", &size) || !get_number(env, argv[1], "mtimeMs", &mtime))
    return throw_type(env, "replyCreate(req, {ino, fh, size, mtimeMs})");
  if (!is_count(ino) || ino < 2 || !is_count(fh) || !is_count(size) || !isfinite(mtime))
    return throw_type(env, "replyCreate: numbers must be finite (and whole, but for the time)");
  fuse_req_t req = take_req(env, argv[0], 1u << OP_CREATE, "replyCreate: not a create waiting for a reply");
  if (!req) return NULL;
  bool delivered = false;
  handle_t *h = calloc(1, sizeof *h);
  if (!h) {
    fuse_reply_err(req, ENOMEM);
  } else {
    *h = (handle_t){.js = 1, .js_id = fh, .ino = (uint64_t)ino, .node = (uint64_t)ino, .fd = -1};
    struct fuse_entry_param e = {.ino = (fuse_ino_t)ino};  // no entry or attribute timeout
    fill_stat(&e.attr, e.ino, NODE_WRITABLE, (uint64_t)size, mtime);
    struct fuse_file_info fi = {0};
    fi.fh = (uint64_t)(uintptr_t)h;
    writers_add(h->ino);
    delivered = fuse_reply_create(req, &e, &fi) == 0;
    if (!delivered) {
      writers_remove(h->ino);
      handle_free(h);
    }
  }
  napi_value result;
  napi_get_boolean(env, delivered, &result);
  return result;
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

/** The node id of the version of `ino` the tree serves (a writer's file is one inode until its save is
 *  served: its sizes meanwhile are JS's). */
static fuse_ino_t served_node_id(uint64_t ino) {
  snapshot_t *s = snap_acquire();
  node_t *n = snap_node(s, ino);
  fuse_ino_t id = n ? node_id_of(n) : ino;
  snap_release(s);
  return id;
}

// replyAttr(req, ino, size, mtimeMs, asEntry, writable): a file's attributes (as a lookup's entry when asked
// by one); `writable`: whether it can be saved through the mount (its mode says so).
static napi_value js_reply_attr(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  double ino, size, mtime;
  bool entry, writable;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6 || napi_get_value_double(env, argv[1], &ino) != napi_ok ||
      napi_get_value_double(env, argv[2], &size) != napi_ok || napi_get_value_double(env, argv[3], &mtime) != napi_ok ||
      napi_get_value_bool(env, argv[4], &entry) != napi_ok || napi_get_value_bool(env, argv[5], &writable) != napi_ok)
    return throw_type(env, "replyAttr(req, ino, size, mtimeMs, asEntry, writable)");
  uint8_t flags = writable ? NODE_WRITABLE : 0;
  fuse_req_t req = get_req(env, argv[0], (1u << OP_GETATTR) | (1u << OP_SETSIZE), NULL);
  if (!req) return throw_type(env, "replyAttr: not a getattr or truncate waiting for a reply");
  // A writer's attributes change with every write: the kernel must not keep them.
  if (entry) {
    struct fuse_entry_param e = {.ino = served_node_id((uint64_t)ino)};
    fill_stat(&e.attr, (uint64_t)ino, flags, (uint64_t)size, mtime);
    fuse_reply_entry(req, &e);
  } else {
    struct stat st;
    fill_stat(&st, (uint64_t)ino, flags, (uint64_t)size, mtime);
    fuse_reply_attr(req, &st, 0);
  }
  return NULL;
}

// trimMemory(): hands the C heap's free pages back to the system (glibc keeps what a burst of work freed:
// at 100k files, the start leaves ~100 MB of it). The daemon calls it once it serves.
static napi_value js_trim_memory(napi_env env, napi_callback_info info) {
  (void)env, (void)info;
  malloc_trim(0);
  return NULL;
}

static napi_value js_ready_spares(napi_env env, napi_callback_info info) {
  (void)env, (void)info;
  snapshot_t *served = snap_acquire();
  snap_ready_spares(served);
  snap_release(served);
  return NULL;
}

// echo(changes, id): the operations that tell inotify watchers of changes JS lists (echo.c), done on the
// echo thread; answered by an OP_ECHOED request carrying `id` once all are done.
static napi_value js_echo(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  double id;
  void *bytes;
  size_t len;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || napi_get_buffer_info(env, argv[0], &bytes, &len) != napi_ok ||
      napi_get_value_double(env, argv[1], &id) != napi_ok || !is_count(id) || id < 1)
    return throw_type(env, "echo(changes, id): a Buffer and a positive whole number");
  if (!S.running) return throw_type(env, "echo: the mount is not served");
  if (echo_queue(bytes, len, (uint64_t)id) != 0) return throw_type(env, "echo: the changes are malformed");
  return NULL;
}

// setPending(tree, rebuilt?): the tree JS publishes next, while the echo thread tells of the changes it
// brings (echo.c): a folder the echo made is answered from it, so a watcher listing a folder it was just
// told of finds what comes into it, and a file the echo moved or made is found at its new name
// (told_names.c). setTree publishes it when given the same tree, else drops it. `rebuilt` as setTree's.
static napi_value js_set_pending(napi_env env, napi_callback_info info) {
  napi_value tree;
  tree_arrays_t t;
  diff_ranges_t *ranges;
  if (!tree_args(env, info, "setPending needs a tree", &tree, &t, &ranges)) return NULL;
  snapshot_t *s = snapshot_from(env, &t, ranges);
  free(ranges);
  if (!s) return NULL;
  was_pending(env, tree);  // lets the last one go
  if (napi_create_reference(env, tree, 0, &pending_source) != napi_ok) {
    snap_release(s);
    napi_throw_error(env, "ERR_SLEEVE_FUSE", "internal: setPending could not keep its tree");
    return NULL;
  }
  pthread_mutex_lock(&S.snap_lock);
  snapshot_t *was = S.next_snap;
  S.next_snap = s;
  pthread_mutex_unlock(&S.snap_lock);
  snap_release(was);
  return NULL;
}

/** readSince(process, ino): when the process first opened the file (epoch ms), or earlier (readers.c). */
static napi_value js_read_since(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  double process, ino;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || napi_get_value_double(env, argv[0], &process) != napi_ok || !is_count(process) ||
      process > UINT32_MAX || napi_get_value_double(env, argv[1], &ino) != napi_ok || !is_count(ino))
    return throw_type(env, "readSince(process, ino): both must be whole numbers");
  napi_value out;
  napi_create_double(env, readers_first((uint32_t)process, (uint64_t)ino), &out);
  return out;
}

static void set_number(napi_env env, napi_value out, const char *name, double value) {
  napi_value v;
  napi_create_double(env, value, &v);
  napi_set_named_property(env, out, name, v);
}

static void set_counts(napi_env env, napi_value out, const char *const *names, atomic_uint_fast64_t *counts,
                       int n) {
  for (int k = 0; k < n; k++)
    set_number(env, out, names[k], (double)atomic_load_explicit(&counts[k], memory_order_relaxed));
}

/** requestCounts(): the kernel's requests by kind since the mount, and what first opens did with the
 *  file's start (state.h's STORE_*), for the counting guards. */
static napi_value js_request_counts(napi_env env, napi_callback_info info) {
  (void)info;
  static const char *const requests[REQUEST_KINDS] = {"lookup", "getattr", "open", "read", "readdir", "release"};
  static const char *const stores[STORE_OUTCOMES] = {"startStoredEarly", "startStoredLate", "nothingStored",
                                                              "startLeftOut", "openedInJs"};
  napi_value out;
  napi_create_object(env, &out);
  set_counts(env, out, requests, S.requests, REQUEST_KINDS);
  set_counts(env, out, stores, S.stores, STORE_OUTCOMES);
  set_number(env, out, "keptPagesFiles", (double)kept_pages_files());
  set_number(env, out, "treesBuilt", trees_built);
  set_number(env, out, "arraysInFreshMemory", pages_fresh());
  set_number(env, out, "pagesCopied", pages_copied());
  set_number(env, out, "sparesReadied", pages_readied());
  set_number(env, out, "treesSpliced", snap_trees_spliced());
  set_number(env, out, "nodesCompared", nodes_compared());
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"setTree", NULL, js_set_tree, NULL, NULL, NULL, napi_default, NULL},
      {"patchTree", NULL, js_patch_tree, NULL, NULL, NULL, napi_default, NULL},
      {"mount", NULL, js_mount, NULL, NULL, NULL, napi_default, NULL},
      {"unmount", NULL, js_unmount, NULL, NULL, NULL, napi_default, NULL},
      {"replyOpen", NULL, js_reply_open, NULL, NULL, NULL, napi_default, NULL},
      {"replyCreate", NULL, js_reply_create, NULL, NULL, NULL, napi_default, NULL},
      {"replyErr", NULL, js_reply_err, NULL, NULL, NULL, napi_default, NULL},
      {"replyData", NULL, js_reply_data, NULL, NULL, NULL, napi_default, NULL},
      {"replyWrite", NULL, js_reply_write, NULL, NULL, NULL, napi_default, NULL},
      {"replyAttr", NULL, js_reply_attr, NULL, NULL, NULL, napi_default, NULL},
      {"trimMemory", NULL, js_trim_memory, NULL, NULL, NULL, napi_default, NULL},
      {"readySpares", NULL, js_ready_spares, NULL, NULL, NULL, napi_default, NULL},
      {"rememberLayout", NULL, js_remember_layout, NULL, NULL, NULL, napi_default, NULL},
      {"echo", NULL, js_echo, NULL, NULL, NULL, napi_default, NULL},
      {"setPending", NULL, js_set_pending, NULL, NULL, NULL, napi_default, NULL},
      {"requestCounts", NULL, js_request_counts, NULL, NULL, NULL, napi_default, NULL},
      {"readSince", NULL, js_read_since, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof *props, props);
  return exports;
}

NAPI_MODULE(sleeve_fuse, init)
