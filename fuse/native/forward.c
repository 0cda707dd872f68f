// Requests forwarded to JS: numbered so that a late or second reply cannot reach a recycled request,
// sent through one thread-safe function, answered later from the JS thread; log lines go the same way.
// Also which inodes have a writer (a JS handle) open: their attributes come from JS.
#include "state.h"
#include "forward.h"
#include "snapshot.h"

// ---- forwarding to JS ----

/** Registers a request JS must answer; returns its number, 0 if it could not be registered. */
uint64_t pending_add(fuse_req_t req, int op, uint64_t node) {
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
    S.pending[S.pending_count++] = (pending_t){id, req, op, node};
  }
  pthread_mutex_unlock(&S.pending_lock);
  return id;
}

/** Takes the request with this number if it is of one of `ops` (a bit per op), and the node id it named
 *  into `*node` (if not NULL); NULL otherwise. */
fuse_req_t pending_take(uint64_t id, unsigned ops, uint64_t *node) {
  fuse_req_t req = NULL;
  pthread_mutex_lock(&S.pending_lock);
  for (size_t i = 0; i < S.pending_count; i++) {
    if (S.pending[i].id != id) continue;
    if (ops & (1u << S.pending[i].op)) {
      req = S.pending[i].req;
      if (node) *node = S.pending[i].node;
      S.pending[i] = S.pending[--S.pending_count];
    }
    break;
  }
  pthread_mutex_unlock(&S.pending_lock);
  return req;
}

int forward(int op, fuse_req_t req, uint64_t node, double fh, uint64_t offset, uint64_t size,
                   int flags, const char *data, size_t data_len) {
  if (!S.tsfn) {
    // Not served yet (mount() is still setting up): nobody to tell; a log line goes to stderr.
    if (op == OP_LOG) fprintf(stderr, "sleeve-fuse: %.*s\n", (int)data_len, data);
    return -1;
  }
  forward_t *f = calloc(1, sizeof *f);
  if (!f) return -1;
  *f = (forward_t){op, 0, req, node, fh, offset, size, flags, NULL, data_len};
  if (data_len > 0) {
    f->data = malloc(data_len);
    if (!f->data) {
      free(f);
      return -1;
    }
    memcpy(f->data, data, data_len);
  }
  if (req && !(f->id = pending_add(req, op, node))) {
    free(f->data);
    free(f);
    return -1;
  }
  if (napi_call_threadsafe_function(S.tsfn, f, napi_tsfn_blocking) != napi_ok) {
    if (f->id) pending_take(f->id, ANY_OP, NULL);
    free(f->data);
    free(f);
    return -1;
  }
  return 0;
}

void forward_or_fail(int op, fuse_req_t req, uint64_t node, double fh, uint64_t offset,
                            uint64_t size, int flags, const char *data, size_t len) {
  if (forward(op, req, node, fh, offset, size, flags, data, len) != 0) fuse_reply_err(req, EIO);
}

void log_line(const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n > 0) forward(OP_LOG, NULL, 0, 0, 0, 0, 0, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

void call_js(napi_env env, napi_value callback, void *context, void *data) {
  (void)context;
  forward_t *f = data;
  if (env && callback) {
    napi_value argv[8], undefined;
    napi_get_undefined(env, &undefined);
    napi_create_int32(env, f->op, &argv[0]);
    napi_create_bigint_uint64(env, f->id, &argv[1]);
    napi_create_double(env, (double)node_ino(f->node), &argv[2]);
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
      fuse_req_t req = f->id ? pending_take(f->id, ANY_OP, NULL) : NULL;
      if (req) fuse_reply_err(req, EIO);
    }
  } else if (f->id) {
    fuse_req_t req = pending_take(f->id, ANY_OP, NULL);
    if (req) fuse_reply_err(req, EIO);
  }
  free(f->data);
  free(f);
}

// ---- writers ----

void writers_add(uint64_t ino) {
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

void writers_remove(uint64_t ino) {
  pthread_mutex_lock(&S.writers_lock);
  for (size_t i = 0; i < S.writer_count; i++) {
    if (S.writer_inos[i] == ino) {
      S.writer_inos[i] = S.writer_inos[--S.writer_count];
      break;
    }
  }
  pthread_mutex_unlock(&S.writers_lock);
}

int writers_has(uint64_t ino) {
  int found = 0;
  pthread_mutex_lock(&S.writers_lock);
  for (size_t i = 0; i < S.writer_count && !found; i++) found = S.writer_inos[i] == ino;
  pthread_mutex_unlock(&S.writers_lock);
  return found;
}
