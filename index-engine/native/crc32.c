// zlib's crc32, computed eight bytes a step from eight tables ("slicing by 8", about 2 GB/s): a segment's
// blocks are checked a page at a time the first time a search reads them (posting_scan.c), about 2 µs
// a page. Its own, not zlib's: the addon links nothing but Node's API, and the one in Node's binary is
// not an exported symbol an addon may count on.
#include "crc32.h"
#include <pthread.h>

static uint32_t table[8][256];
static pthread_once_t tables_made = PTHREAD_ONCE_INIT;

static void make_tables(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; i++)
    for (int t = 1; t < 8; t++) table[t][i] = table[0][table[t - 1][i] & 0xff] ^ (table[t - 1][i] >> 8);
}

uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n) {
  pthread_once(&tables_made, make_tables);
  uint32_t c = ~crc;
  for (; n >= 8; p += 8, n -= 8) {
    // Little-endian (the addon refuses to load elsewhere): the low word is the first four bytes.
    uint32_t lo = (p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24) ^ c;
    uint32_t hi = p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
    c = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^ table[5][(lo >> 16) & 0xff] ^ table[4][lo >> 24] ^
        table[3][hi & 0xff] ^ table[2][(hi >> 8) & 0xff] ^ table[1][(hi >> 16) & 0xff] ^ table[0][hi >> 24];
  }
  while (n--) c = table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
  return ~c;
}
