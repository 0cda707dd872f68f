// Finding a batch's terms in a segment's postings and counting their hits (hit_counter.h).
#ifndef SLEEVE_POSTING_SCAN_H
#define SLEEVE_POSTING_SCAN_H
#include "hit_counter.h"

/** A file segment's blocks (file-segment.ts, posting-block.ts describe the layout), checked to fit. */
typedef struct {
  const uint8_t *blocks;
  uint32_t block_size;
  uint32_t num_blocks;
  const uint32_t *max_terms;     // each block's last term
  const uint32_t *bucket_start;  // 2^bits + 1 entries: a term's top bits -> the first block that can hold it
  uint32_t shift;                // 32 - bits
  const uint32_t *page_crcs;     // the crc32 of each page, a run of page_blocks blocks; NULL: none to check
  uint32_t page_blocks;
  uint8_t *checked;              // a bit a page: checked already
} BlockSegment;

enum { SCAN_OK = 0, SCAN_DAMAGED = -2, SCAN_CHECKSUM = -4 };

/** Counts the hits of the counter's batch in a file segment: the number of blocks read, SCAN_DAMAGED if a
 *  block leads outside itself, SCAN_CHECKSUM if a page of blocks read does not match its checksum. */
int scan_blocks(const BlockSegment *s, HitCounter *c);

/** Counts the hits of the counter's batch in a memory segment's pairs, sorted by term. */
void scan_pairs(const uint32_t *terms, const uint32_t *ids, uint32_t n, HitCounter *c);

#endif
