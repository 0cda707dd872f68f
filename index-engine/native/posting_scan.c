// The search's inner loop, in C because it is most of a search's time: V8 spent 7-20 ns a posting on
// bounds checks and on branches that depend on the data, C about 2. Each page (a run of blocks) is checked
// against its checksum the first time a search reads it, so a damaged file is refused, not searched; and
// nothing here trusts the bytes even then: every read stays inside its block.
#include "posting_scan.h"
#include <string.h>
#include "crc32.h"

#define BLOCK_HEADER 2
/** Terms whose first blocks are found and fetched before any is read. */
#define AHEAD 32

/** The first block whose last term is >= t. */
static uint32_t first_block(const BlockSegment *s, uint32_t t) {
  uint32_t bucket = t >> s->shift;
  uint32_t lo = s->bucket_start[bucket], hi = s->bucket_start[bucket + 1];
  while (lo < hi) {
    uint32_t mid = lo + ((hi - lo) >> 1);
    if (s->max_terms[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Reads a value of 1 + code bytes at *pos if it ends inside the block. Without a branch where 4 bytes
 *  can be loaded: a value's length is data, and a branch on it is mispredicted about half the time. */
static inline int read_value(const uint8_t *block, uint32_t end, uint32_t *pos, unsigned code, uint32_t *v) {
  static const uint32_t mask[4] = {0xff, 0xffff, 0xffffff, 0xffffffff};
  uint32_t p = *pos;
  if (p + 4 <= end) {
    uint32_t x;
    memcpy(&x, block + p, 4);  // little-endian: the addon refuses to load elsewhere
    *v = x & mask[code];
  } else {
    if (p + code + 1 > end) return 0;
    uint32_t x = 0;
    for (unsigned k = 0; k <= code; k++) x |= (uint32_t)block[p + k] << (8 * k);
    *v = x;
  }
  *pos = p + code + 1;
  return 1;
}

/** Counts term k's hits in block b: 1 if the block ended on the term (the next block may hold more of
 *  it), 0 if not, SCAN_DAMAGED. */
static int scan_block(const BlockSegment *s, uint32_t b, uint32_t k, HitCounter *c) {
  const uint8_t *block = s->blocks + (size_t)b * s->block_size;
  const uint32_t term = c->terms[k], end = s->block_size;
  const uint32_t count = block[0] | (uint32_t)block[1] << 8;
  uint32_t pos = BLOCK_HEADER + ((count * 2 + 3) >> 2);
  if (pos > end) return SCAN_DAMAGED;
  uint32_t t = 0, id = 0;
  for (uint32_t i = 0; i < count; i++) {
    // A pair's two 2-bit codes share one control byte: value 2i starts at bit 0 or 4.
    unsigned codes = block[BLOCK_HEADER + (i >> 1)] >> ((i & 1) << 2);
    uint32_t dt, v;
    if (!read_value(block, end, &pos, codes & 3, &dt)) return SCAN_DAMAGED;
    t = i == 0 ? dt : t + dt;
    if (t < term) {
      pos += ((codes >> 2) & 3) + 1;  // an id before the wanted term is never needed
      continue;
    }
    if (t > term) return 0;
    if (!read_value(block, end, &pos, (codes >> 2) & 3, &v)) return SCAN_DAMAGED;
    // The first pair of a term (or of the block) holds the id itself, later ones a delta.
    id = (i == 0 || dt != 0) ? v : id + v;
    counter_add(c, id, k);
  }
  return t == term;
}

/** Whether block b's page matches its checksum: computed the first time, remembered after (a
 *  segment is searched by one thread: the thread of the engine that mapped it). */
static int page_intact(const BlockSegment *s, uint32_t b) {
  if (!s->page_crcs) return 1;
  const uint32_t page = b / s->page_blocks;
  if (s->checked[page >> 3] & (1u << (page & 7))) return 1;
  const uint32_t first = page * s->page_blocks;
  const uint32_t blocks = s->num_blocks - first < s->page_blocks ? s->num_blocks - first : s->page_blocks;
  const uint8_t *at = s->blocks + (size_t)first * s->block_size;
  if (crc32_update(0, at, (size_t)blocks * s->block_size) != s->page_crcs[page]) return 0;
  s->checked[page >> 3] |= (uint8_t)(1u << (page & 7));
  return 1;
}

int scan_blocks(const BlockSegment *s, HitCounter *c) {
  // Lookups and blocks are cache and TLB misses all over a large segment: found and fetched for several
  // terms at a time, their misses overlap instead of following one another.
  uint32_t first[AHEAD];
  int read = 0;
  for (uint32_t base = 0; base < c->num_terms; base += AHEAD) {
    uint32_t len = c->num_terms - base < AHEAD ? c->num_terms - base : AHEAD;
    for (uint32_t j = 0; j < len; j++) {
      first[j] = first_block(s, c->terms[base + j]);
      if (first[j] < s->num_blocks) {
        const uint8_t *block = s->blocks + (size_t)first[j] * s->block_size;
        __builtin_prefetch(block);
        __builtin_prefetch(block + s->block_size - 1);
      }
    }
    for (uint32_t j = 0; j < len; j++)
      for (uint32_t b = first[j]; b < s->num_blocks; b++) {
        if (!page_intact(s, b)) return SCAN_CHECKSUM;
        int more = scan_block(s, b, base + j, c);
        read++;
        if (more < 0) return more;
        if (!more) break;
      }
  }
  return read;
}

void scan_pairs(const uint32_t *terms, const uint32_t *ids, uint32_t n, HitCounter *c) {
  uint32_t lo = 0;
  for (uint32_t k = 0; k < c->num_terms; k++) {
    const uint32_t t = c->terms[k];
    uint32_t hi = n;
    while (lo < hi) {
      uint32_t mid = lo + ((hi - lo) >> 1);
      if (terms[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    for (; lo < n && terms[lo] == t; lo++) counter_add(c, ids[lo], k);
  }
}
