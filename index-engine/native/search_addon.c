// The index engine's native search (posting_scan.h, hit_counter.h) for JavaScript: a file segment mapped
// once, a counter reused from search to search, and calls that start a batch of queries, count
// its hits segment by segment, and collect each segment's candidates. Everything from JavaScript is
// checked before C reads it.
#include <errno.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "fault_guard.h"
#include "posting_scan.h"

/** A lone query's table starts larger: it is kept from search to search. A batch's other tables start
 *  small and are shrunk back after the batch when they grew past WIDE_BITS, so 256 of them stay small. */
#define LONE_BITS 14
#define BATCH_BITS 10
#define WIDE_BITS 12
#define MAX_QUERIES 65536

enum { COLLECT_SHORT = -1, COLLECT_NO_MEMORY = -3 };

typedef struct {
  BlockSegment blocks;  // blocks.blocks is NULL once released
  void *mapping;
  size_t mapped_bytes;
  napi_ref arrays;  // the JS arrays max_terms, bucket_start and page_crcs are in, held as long as this handle
} SegmentHandle;

/** Pages of `page_blocks` blocks (the last may be shorter) in `blocks`; none without page checksums. */
static size_t page_count(uint32_t blocks, uint32_t page_blocks) {
  return page_blocks == 0 ? 0 : ((size_t)blocks + page_blocks - 1) / page_blocks;
}

static napi_value fail(napi_env env, const char *usage) {
  napi_throw_type_error(env, NULL, usage);
  return NULL;
}

/** The elements of `value` if it is a typed array of `type` (an empty one has no data pointer). */
static bool typed_arg(napi_env env, napi_value value, napi_typedarray_type type, void **data, size_t *length) {
  bool is = false;
  napi_typedarray_type got;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is) return false;
  if (napi_get_typedarray_info(env, value, &got, length, data, NULL, NULL) != napi_ok) return false;
  return got == type;
}

static bool is_null(napi_env env, napi_value value) {
  napi_valuetype type;
  return napi_typeof(env, value, &type) == napi_ok && (type == napi_null || type == napi_undefined);
}

static napi_value integer(napi_env env, int32_t n) {
  napi_value v;
  napi_create_int32(env, n, &v);
  return v;
}

static void unmap(SegmentHandle *s) {
  if (s->blocks.blocks) munmap(s->mapping, s->mapped_bytes);
  s->blocks.blocks = NULL;
}

static void free_segment(napi_env env, void *data, void *hint) {
  (void)hint;
  SegmentHandle *s = data;
  unmap(s);
  napi_delete_reference(env, s->arrays);
  free(s->blocks.checked);
  free(s);
}

/** Maps the file open at `fd`, `bytes` long, read-only; NULL and a thrown error on failure. */
static void *map_file(napi_env env, int fd, uint64_t bytes) {
  struct stat st;
  char message[96];
  if (fstat(fd, &st) != 0) {
    snprintf(message, sizeof message, "the segment file cannot be examined: %s", strerror(errno));
    napi_throw_error(env, NULL, message);
    return NULL;
  }
  if ((uint64_t)st.st_size != bytes) {
    napi_throw_range_error(env, NULL, "the segment file is not the size its header says");
    return NULL;
  }
  void *at = mmap(NULL, (size_t)bytes, PROT_READ, MAP_SHARED, fd, 0);
  if (at == MAP_FAILED) {
    snprintf(message, sizeof message, "mapping the segment file failed: %s", strerror(errno));
    napi_throw_error(env, NULL, message);
    return NULL;
  }
  return at;
}

/** mapSegment(fd, fileBytes, blocksAt, blockSize, numBlocks, maxTerms, bucketStart, bucketBits, pageCrcs,
 *  pageBlocks): the blocks are read where the file's pages are, not copied: the kernel's page cache holds
 *  them, shared and given back under memory pressure, so an index larger than memory costs the process
 *  only its tables. Each page (a run of pageBlocks blocks) is checked against pageCrcs when first read; with
 *  pageBlocks 0 (and no checksums: a file checked whole as it loaded) none is. */
static napi_value js_map_segment(napi_env env, napi_callback_info info) {
  const char *usage =
      "mapSegment(fd, fileBytes, blocksAt, blockSize, numBlocks, maxTerms, bucketStart, bucketBits, pageCrcs, "
      "pageBlocks)";
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *max_terms, *starts, *crcs;
  size_t n_max, n_starts, n_crcs;
  int32_t fd;
  int64_t file_bytes;
  uint32_t at, size, blocks, bits, page_blocks;
  if (argc != 10 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_value_int64(env, argv[1], &file_bytes) != napi_ok ||
      napi_get_value_uint32(env, argv[2], &at) != napi_ok || napi_get_value_uint32(env, argv[3], &size) != napi_ok ||
      napi_get_value_uint32(env, argv[4], &blocks) != napi_ok ||
      !typed_arg(env, argv[5], napi_uint32_array, &max_terms, &n_max) ||
      !typed_arg(env, argv[6], napi_uint32_array, &starts, &n_starts) ||
      napi_get_value_uint32(env, argv[7], &bits) != napi_ok ||
      !typed_arg(env, argv[8], napi_uint32_array, &crcs, &n_crcs) ||
      napi_get_value_uint32(env, argv[9], &page_blocks) != napi_ok)
    return fail(env, usage);
  const size_t pages = page_count(blocks, page_blocks);
  const uint32_t *bucket_start = starts;
  bool fits = fd >= 0 && file_bytes > 0 && size > 2 && bits >= 1 && bits <= 24 && n_max >= blocks &&
              n_starts == ((size_t)1 << bits) + 1 && (uint64_t)at + (uint64_t)blocks * size <= (uint64_t)file_bytes &&
              n_crcs == pages;
  for (size_t k = 0; fits && k < n_starts; k++)
    fits = bucket_start[k] <= blocks && (k == 0 || bucket_start[k] >= bucket_start[k - 1]);
  if (!fits) {
    napi_throw_range_error(env, NULL, "the segment's arrays do not describe its file");
    return NULL;
  }
  SegmentHandle *s = malloc(sizeof *s);
  uint8_t *checked = pages ? calloc((pages + 7) / 8, 1) : NULL;
  if (!s || (pages && !checked)) {
    free(s);
    free(checked);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  void *mapping = map_file(env, fd, (uint64_t)file_bytes);
  if (!mapping) {
    free(s);
    free(checked);
    return NULL;
  }
  s->mapping = mapping;
  s->mapped_bytes = (size_t)file_bytes;
  s->blocks = (BlockSegment){.blocks = (const uint8_t *)mapping + at, .block_size = size, .num_blocks = blocks,
                             .max_terms = max_terms, .bucket_start = bucket_start, .shift = 32 - bits,
                             .page_crcs = pages ? crcs : NULL, .page_blocks = page_blocks, .checked = checked};
  napi_value arrays, handle;
  napi_create_array_with_length(env, 3, &arrays);
  napi_set_element(env, arrays, 0, argv[5]);
  napi_set_element(env, arrays, 1, argv[6]);
  napi_set_element(env, arrays, 2, argv[8]);
  napi_create_reference(env, arrays, 1, &s->arrays);
  napi_create_external(env, s, free_segment, NULL, &handle);
  return handle;
}

/** The segment a call of one argument, a segment, was given; NULL (`usage` thrown) otherwise. */
static SegmentHandle *segment_call(napi_env env, napi_callback_info info, const char *usage) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  SegmentHandle *s = NULL;
  if (argc != 1 || napi_get_value_external(env, argv[0], (void **)&s) != napi_ok || !s) {
    fail(env, usage);
    return NULL;
  }
  return s;
}

/** releaseSegment(segment): unmaps the file now, not when the handle is collected (a merged-away
 *  segment's pages would stay mapped until then); counting in it afterwards is refused. */
static napi_value js_release_segment(napi_env env, napi_callback_info info) {
  SegmentHandle *s = segment_call(env, info, "releaseSegment(segment)");
  if (s) unmap(s);
  return NULL;
}

/** checkedPages(segment): the pages of its blocks checked against their checksums so far. */
static napi_value js_checked_pages(napi_env env, napi_callback_info info) {
  SegmentHandle *s = segment_call(env, info, "checkedPages(segment)");
  if (!s) return NULL;
  const BlockSegment *b = &s->blocks;
  const size_t pages = page_count(b->num_blocks, b->page_blocks);
  int32_t n = 0;
  for (size_t p = 0; p < pages; p++) n += (b->checked[p >> 3] >> (p & 7)) & 1;
  return integer(env, n);
}

static void end_batch(HitCounter *c) {
  free(c->terms);
  free(c->starts);
  free(c->owners);
  c->terms = NULL;
  c->starts = NULL;
  c->owners = NULL;
  c->num_terms = c->num_queries = 0;
  c->failed = 0;
  for (uint32_t q = 0; q < c->num_tables; q++) table_clear(&c->tables[q]);
}

static void free_counter(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  HitCounter *c = data;
  end_batch(c);
  for (uint32_t q = 0; q < c->num_tables; q++) table_free(&c->tables[q]);
  free(c->tables);
  free(c);
}

static napi_value js_create_counter(napi_env env, napi_callback_info info) {
  (void)info;
  HitCounter *c = calloc(1, sizeof *c);
  napi_value handle;
  if (!c) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  napi_create_external(env, c, free_counter, NULL, &handle);
  return handle;
}

static HitCounter *counter_arg(napi_env env, napi_value value) {
  HitCounter *c = NULL;
  return napi_get_value_external(env, value, (void **)&c) == napi_ok ? c : NULL;
}

/** Enough tables for `queries`; false when out of memory. */
static bool ensure_tables(HitCounter *c, uint32_t queries) {
  if (c->num_tables >= queries) return true;
  HitTable *tables = realloc(c->tables, queries * sizeof *tables);
  if (!tables) return false;
  c->tables = tables;
  for (; c->num_tables < queries; c->num_tables++)
    if (!table_init(&tables[c->num_tables], c->num_tables == 0 ? LONE_BITS : BATCH_BITS)) return false;
  return true;
}

static void *copy_of(const void *data, size_t bytes) {
  void *copy = malloc(bytes ? bytes : 1);
  if (copy && bytes) memcpy(copy, data, bytes);
  return copy;
}

/** startBatch(counter, terms, starts, owners, queries): terms ascending and unique; starts and owners
 *  null for a lone query (every term its). Ends the batch before, if one was left unfinished. */
static napi_value js_start_batch(napi_env env, napi_callback_info info) {
  const char *usage = "startBatch(counter, terms, starts | null, owners | null, queries)";
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  HitCounter *c = argc == 5 ? counter_arg(env, argv[0]) : NULL;
  void *terms, *starts = NULL, *owners = NULL;
  size_t n_terms, n_starts = 0, n_owners = 0;
  uint32_t queries;
  bool lone = argc == 5 && is_null(env, argv[2]) && is_null(env, argv[3]);
  if (!c || !typed_arg(env, argv[1], napi_uint32_array, &terms, &n_terms) ||
      napi_get_value_uint32(env, argv[4], &queries) != napi_ok ||
      (!lone && (!typed_arg(env, argv[2], napi_uint32_array, &starts, &n_starts) ||
                 !typed_arg(env, argv[3], napi_uint16_array, &owners, &n_owners))))
    return fail(env, usage);
  const uint32_t *t = terms, *st = starts;
  const uint16_t *ow = owners;
  bool valid = queries >= 1 && queries <= MAX_QUERIES && n_terms < UINT32_MAX && (!lone || queries == 1);
  for (size_t k = 1; valid && k < n_terms; k++) valid = t[k] > t[k - 1];
  if (!lone) {
    valid = valid && n_starts == n_terms + 1 && st[0] == 0 && st[n_terms] == n_owners;
    for (size_t k = 1; valid && k <= n_terms; k++) valid = st[k] >= st[k - 1];
    for (size_t i = 0; valid && i < n_owners; i++) valid = ow[i] < queries;
  }
  if (!valid) {
    napi_throw_range_error(env, NULL, "the batch's terms, starts or owners are inconsistent");
    return NULL;
  }
  end_batch(c);
  c->terms = copy_of(terms, n_terms * 4);
  c->starts = lone ? NULL : copy_of(starts, n_starts * 4);
  c->owners = lone ? NULL : copy_of(owners, n_owners * 2);
  if (!c->terms || (!lone && (!c->starts || !c->owners)) || !ensure_tables(c, queries)) {
    end_batch(c);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  c->num_terms = (uint32_t)n_terms;
  c->num_queries = queries;
  return NULL;
}

/** countBlocks(counter, segment): the batch's hits in a file segment; the blocks read, -2 if a block is
 *  damaged, -4 if a page of blocks does not match its checksum, -5 if the kernel could not give a page of
 *  the file (the batch's hits are then partial). */
static napi_value js_count_blocks(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  HitCounter *c = argc == 2 ? counter_arg(env, argv[0]) : NULL;
  SegmentHandle *s = NULL;
  if (!c || !c->terms || napi_get_value_external(env, argv[1], (void **)&s) != napi_ok || !s)
    return fail(env, "countBlocks(counter, segment) after startBatch");
  if (!s->blocks.blocks) return fail(env, "countBlocks(counter, segment): the segment was released");
  return integer(env, scan_blocks_guarded(s->mapping, s->mapped_bytes, &s->blocks, c));
}

/** countPairs(counter, terms, ids): the batch's hits in a memory segment's pairs, sorted by term. */
static napi_value js_count_pairs(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  HitCounter *c = argc == 3 ? counter_arg(env, argv[0]) : NULL;
  void *terms, *ids;
  size_t n_terms, n_ids;
  if (!c || !c->terms || !typed_arg(env, argv[1], napi_uint32_array, &terms, &n_terms) ||
      !typed_arg(env, argv[2], napi_uint32_array, &ids, &n_ids) || n_terms != n_ids || n_ids >= UINT32_MAX)
    return fail(env, "countPairs(counter, terms, ids) after startBatch");
  scan_pairs(terms, ids, (uint32_t)n_ids, c);
  return integer(env, SCAN_OK);
}

/** collect(counter, minScores, ids, scores, queries): every document of every query with at least its
 *  minimum score since the last collect, written to ids[k], scores[k], queries[k]; their count, then the
 *  tables are emptied. -1 when the arrays are too short (the tables are kept: call again with longer
 *  ones), -3 when a table could not grow (the counts are lost). */
static napi_value js_collect(napi_env env, napi_callback_info info) {
  const char *usage = "collect(counter, minScores, ids, scores, queries) after startBatch";
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  HitCounter *c = argc == 5 ? counter_arg(env, argv[0]) : NULL;
  void *mins, *ids, *scores, *owners;
  size_t n_mins, cap, cap2, cap3;
  if (!c || !c->terms || !typed_arg(env, argv[1], napi_uint32_array, &mins, &n_mins) ||
      !typed_arg(env, argv[2], napi_uint32_array, &ids, &cap) ||
      !typed_arg(env, argv[3], napi_uint32_array, &scores, &cap2) ||
      !typed_arg(env, argv[4], napi_uint32_array, &owners, &cap3) || n_mins != c->num_queries || cap != cap2 ||
      cap != cap3)
    return fail(env, usage);
  if (c->failed) {
    for (uint32_t q = 0; q < c->num_queries; q++) table_clear(&c->tables[q]);
    c->failed = 0;
    return integer(env, COLLECT_NO_MEMORY);
  }
  const uint32_t *min = mins;
  size_t n = 0;
  for (uint32_t q = 0; q < c->num_queries; q++) {
    const HitTable *t = &c->tables[q];
    for (uint32_t i = 0; i < t->size; i++) {
      const Slot *s = &t->slots[t->used[i]];
      if (s->count < min[q]) continue;
      if (n == cap) return integer(env, COLLECT_SHORT);
      ((uint32_t *)ids)[n] = s->id;
      ((uint32_t *)scores)[n] = s->count;
      ((uint32_t *)owners)[n] = q;
      n++;
    }
  }
  for (uint32_t q = 0; q < c->num_queries; q++) table_clear(&c->tables[q]);
  return integer(env, (int32_t)n);
}

/** endBatch(counter): frees the batch, and shrinks tables a batch grew wide. */
static napi_value js_end_batch(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  HitCounter *c = argc == 1 ? counter_arg(env, argv[0]) : NULL;
  if (!c) return fail(env, "endBatch(counter)");
  end_batch(c);
  for (uint32_t q = 1; q < c->num_tables; q++)
    if (c->tables[q].bits > WIDE_BITS) {
      HitTable small;
      if (!table_init(&small, BATCH_BITS)) continue;  // kept wide: still correct
      table_free(&c->tables[q]);
      c->tables[q] = small;
    }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  const uint32_t one = 1;
  if (*(const uint8_t *)&one != 1) {
    napi_throw_error(env, NULL, "the index's native search reads little-endian data and this host is not");
    return NULL;
  }
  napi_property_descriptor props[] = {
      {"mapSegment", NULL, js_map_segment, NULL, NULL, NULL, napi_default, NULL},
      {"releaseSegment", NULL, js_release_segment, NULL, NULL, NULL, napi_default, NULL},
      {"checkedPages", NULL, js_checked_pages, NULL, NULL, NULL, napi_default, NULL},
      {"createCounter", NULL, js_create_counter, NULL, NULL, NULL, napi_default, NULL},
      {"startBatch", NULL, js_start_batch, NULL, NULL, NULL, napi_default, NULL},
      {"countBlocks", NULL, js_count_blocks, NULL, NULL, NULL, napi_default, NULL},
      {"countPairs", NULL, js_count_pairs, NULL, NULL, NULL, napi_default, NULL},
      {"collect", NULL, js_collect, NULL, NULL, NULL, napi_default, NULL},
      {"endBatch", NULL, js_end_batch, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof *props, props);
  return exports;
}

NAPI_MODULE(sleeve_index_search, init)
