// zlib's crc32, for checking a file segment's blocks the first time they are read (posting_scan.c).
#ifndef SLEEVE_CRC32_H
#define SLEEVE_CRC32_H
#include <stddef.h>
#include <stdint.h>

/** zlib's crc32 (the IEEE polynomial) of `n` bytes, continuing from `crc` (0 to start): what the segment
 *  writer's node:zlib crc32 computed. */
uint32_t crc32_update(uint32_t crc, const uint8_t *bytes, size_t n);

#endif
