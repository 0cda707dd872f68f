/* What the vendored decoders take from stdlib.h (freestanding.c). stb_vorbis allocates only from the buffer
   it is given, so malloc always fails and free does nothing. */
#pragma once
#include <stddef.h>
void *malloc(size_t n);
void free(void *p);
void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
int abs(int v);
