// Cover art read from the library's database as a reader reaches it (served headers hold none).
#ifndef SLEEVE_ART_H
#define SLEEVE_ART_H
#include <stddef.h>
#include <stdint.h>

// A picture's hash is at most ART_HASH_MAX characters (state.h, where the holes that name them are).

/** Opens the library read-only for art reads; 0, or -1 with the reason in `why` (before the mount is
 *  served: no log line can be sent yet). */
int art_open(const char *library_path, char *why, size_t why_len);
/** Reads `n` bytes from byte `offset` of the picture whose content hash is `hash` into `dst`; 0, or -1
 *  (no such picture, or a shorter one) with the reason logged. */
int art_read(const char *hash, uint8_t *dst, uint64_t offset, uint64_t n);

#endif
