// Requests forwarded to JS: numbered so that a late or second reply cannot reach a recycled request,
// sent through one thread-safe function, answered later from the JS thread; log lines go the same way.
// Also which inodes have a writer (a JS handle) open: their attributes come from JS.
#ifndef SLEEVE_FORWARD_H
#define SLEEVE_FORWARD_H

#include "state.h"

/** Any kind of request, for pending_take. */
#define ANY_OP (~0u)

uint64_t pending_add(fuse_req_t req, int op, uint64_t node);
fuse_req_t pending_take(uint64_t id, unsigned ops, uint64_t *node);
int forward(int op, fuse_req_t req, uint64_t node, double fh, uint64_t offset, uint64_t size, int flags, const char *data, size_t data_len);
void forward_or_fail(int op, fuse_req_t req, uint64_t node, double fh, uint64_t offset, uint64_t size, int flags, const char *data, size_t len);
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void call_js(napi_env env, napi_value callback, void *context, void *data);
void writers_add(uint64_t ino);
void writers_remove(uint64_t ino);
int writers_has(uint64_t ino);

#endif
