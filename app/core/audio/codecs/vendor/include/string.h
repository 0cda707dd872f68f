/* The string.h functions the vendored decoders call: builtins (memory.copy / memory.fill with bulk
   memory), and a plain memcmp (freestanding.c), so the modules need no libc. */
#pragma once
#include <stddef.h>
#define memcpy __builtin_memcpy
#define memmove __builtin_memmove
#define memset __builtin_memset
int memcmp(const void *a, const void *b, size_t n);
