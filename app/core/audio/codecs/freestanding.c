// The few C library functions stb_vorbis calls beyond what the compiler builds in (see vendor/include/).
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] - y[i];
  return 0;
}

void *malloc(size_t n) { return (void)n, NULL; }
void free(void *p) { (void)p; }
int abs(int v) { return v < 0 ? -v : v; }

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size) {
  for (size_t i = 0; i < size; i++) {
    unsigned char t = a[i];
    a[i] = b[i];
    b[i] = t;
  }
}

// Heapsort: in place, O(n log n) whatever the input; only setup-time codebooks are sorted.
static void sift_down(unsigned char *base, size_t root, size_t count, size_t size,
                      int (*compare)(const void *, const void *)) {
  for (size_t child; (child = 2 * root + 1) < count; root = child) {
    if (child + 1 < count && compare(base + child * size, base + (child + 1) * size) < 0) child++;
    if (compare(base + root * size, base + child * size) >= 0) return;
    swap_bytes(base + root * size, base + child * size, size);
  }
}

void qsort(void *items, size_t count, size_t size, int (*compare)(const void *, const void *)) {
  unsigned char *base = items;
  for (size_t i = count / 2; i-- > 0;) sift_down(base, i, count, size, compare);
  for (size_t end = count; end-- > 1;) {
    swap_bytes(base, base + end * size, size);
    sift_down(base, 0, end, size, compare);
  }
}
