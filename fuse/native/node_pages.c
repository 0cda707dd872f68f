// The memory of trees, kept when a tree is let go for the next to use. Memory fresh from the system costs
// a page fault a page (~12 µs on this VM): at 100k files a whole tree's build took 30–45 ms in it against
// 7 ms in memory used before, and glibc hands large blocks back at their free. A published tree is let go
// only once the notifier thread has compared it with the next, which may come after the next publish, so
// two trees' worth of each is kept (~100 bytes a file).
#include <sys/resource.h>
#include <sys/syscall.h>
#include "node_pages.h"

static pthread_mutex_t keep_lock = PTHREAD_MUTEX_INITIALIZER;
static double fresh;    // under keep_lock
static double readied;  // under keep_lock: readyings done
static atomic_uint_fast64_t copied;

// ---- pages ----

static node_page_t **kept;  // under keep_lock
static uint32_t kept_count, kept_room, kept_max = 8;

void pages_keep_for(uint32_t pages) {
  pthread_mutex_lock(&keep_lock);
  if (2 * pages + 8 > kept_max) kept_max = 2 * pages + 8;
  pthread_mutex_unlock(&keep_lock);
}

/** Room for `names` bytes at `p->names`: a retitle lengthens a page's names a little, so a little more. */
static int names_room(node_page_t *p, size_t names) {
  if (p->names && p->names_held >= names) return 1;
  free(p->names);
  p->names_held = names + names / 8 + 512;
  p->names = malloc(p->names_held);
  if (p->names) return 1;
  p->names_held = 0;
  return 0;
}

node_page_t *page_take(size_t names) {
  node_page_t *p = NULL;
  pthread_mutex_lock(&keep_lock);
  if (kept_count > 0) p = kept[--kept_count];
  else fresh++;
  pthread_mutex_unlock(&keep_lock);
  if (!p) {
    if (!(p = malloc(sizeof *p))) return NULL;
    p->names = NULL, p->names_held = 0;
  }
  atomic_init(&p->refs, 1);
  p->count = 0, p->names_used = 0;
  if (names_room(p, names)) return p;
  free(p);
  return NULL;
}

/** `p`, let go by every tree, kept for the next or freed. */
static void page_keep(node_page_t *p) {
  pthread_mutex_lock(&keep_lock);
  int keep = kept_count < kept_max;
  if (keep && kept_count == kept_room) {
    node_page_t **bigger = realloc(kept, kept_max * sizeof *kept);
    if (bigger) kept = bigger, kept_room = kept_max;
    else keep = 0;
  }
  if (keep) kept[kept_count++] = p;
  pthread_mutex_unlock(&keep_lock);
  if (keep) return;
  free(p->names);
  free(p);
}

void page_put(node_page_t *p) {
  if (p && atomic_fetch_sub(&p->refs, 1) == 1) page_keep(p);
}

void pages_count_copy(void) {
  atomic_fetch_add_explicit(&copied, 1, memory_order_relaxed);
}

double pages_copied(void) {
  return (double)atomic_load_explicit(&copied, memory_order_relaxed);
}

node_page_t *page_copy(const node_page_t *from) {
  node_page_t *p = page_take(from->names_used);
  if (!p) return NULL;
  pages_count_copy();
  memcpy(p->names, from->names, from->names_used);
  memcpy(p->nodes, from->nodes, from->count * sizeof *p->nodes);
  p->count = from->count, p->names_used = from->names_used;
  for (uint32_t i = 0; i < p->count; i++) p->nodes[i].name = p->names + (from->nodes[i].name - from->names);
  return p;
}

// ---- shared arrays ----

#define SPARES 2
static struct {
  shared_u32_t *a;
} spares[SHARED_KINDS][SPARES];  // under keep_lock

shared_u32_t *shared_take(shared_kind_t kind, size_t count, int zeroed) {
  shared_u32_t *a = NULL, *dropped[SPARES] = {NULL};
  pthread_mutex_lock(&keep_lock);
  for (int i = 0; i < SPARES; i++) {
    shared_u32_t *kept_one = spares[kind][i].a;
    if (!kept_one) continue;
    // Big enough and not twice too big; one of another size is let go (the tree changed size much).
    if (!a && kept_one->count >= count && kept_one->count / 2 <= count) a = kept_one;
    else if (kept_one->count < count || kept_one->count / 2 > count) dropped[i] = kept_one;
    else continue;
    spares[kind][i].a = NULL;
  }
  if (!a) fresh++;
  pthread_mutex_unlock(&keep_lock);
  for (int i = 0; i < SPARES; i++) free(dropped[i]);
  if (!a) {
    if (!(a = malloc(sizeof *a + count * sizeof *a->at))) return NULL;
    a->count = count;
  }
  // Its count stays the array's room; a tree knows how much of it it uses.
  atomic_init(&a->refs, 1);
  if (zeroed) memset(a->at, 0, count * sizeof *a->at);
  return a;
}

shared_u32_t *shared_copy(shared_kind_t kind, const shared_u32_t *from, size_t count) {
  shared_u32_t *a = shared_take(kind, count, 0);
  if (a) memcpy(a->at, from->at, count * sizeof *a->at);
  return a;
}

void shared_put(shared_kind_t kind, shared_u32_t *a) {
  if (!a || atomic_fetch_sub(&a->refs, 1) != 1) return;
  pthread_mutex_lock(&keep_lock);
  // Into an empty slot, else over the smallest kept if it is smaller.
  int at = 0;
  for (int i = 1; i < SPARES && spares[kind][at].a; i++)
    if (!spares[kind][i].a || spares[kind][i].a->count < spares[kind][at].a->count) at = i;
  shared_u32_t *freed = a;
  if (!spares[kind][at].a || spares[kind][at].a->count < a->count) {
    freed = spares[kind][at].a;
    spares[kind][at].a = a;
  }
  pthread_mutex_unlock(&keep_lock);
  free(freed);
}

// ---- readied after the start ----

// Until two trees were let go, a whole tree's build is in fresh memory (at a million files the first two
// publishes took 0.8 and 0.4 s, against 30–50 ms after), so the memory of one tree of the served one's
// size is made and touched on a thread of its own once the mount is up, at the lowest priority: a
// player's first scan of the new mount, and the daemon answering it, come first.
typedef struct {
  uint32_t pages;
  size_t names_a_page, children, table;
} spare_sizes_t;

/** Each page of `bytes` at `p` written once (through a volatile pointer: a malloc and memset of zeros is
 *  made a calloc by the compiler, which touches none). */
static void touch(volatile uint8_t *p, size_t bytes) {
  for (size_t at = 0; at < bytes; at += 4096) p[at] = 0;
}

static void ready_array(shared_kind_t kind, size_t count) {
  pthread_mutex_lock(&keep_lock);
  int have = 0;
  for (int i = 0; i < SPARES; i++) have |= spares[kind][i].a && spares[kind][i].a->count >= count;
  pthread_mutex_unlock(&keep_lock);
  if (have) return;
  shared_u32_t *a = malloc(sizeof *a + count * sizeof *a->at);
  if (!a) return;
  touch((volatile uint8_t *)a, sizeof *a + count * sizeof *a->at);
  a->count = count;
  atomic_init(&a->refs, 1);
  shared_put(kind, a);
}

static void *ready_spares(void *arg) {
  spare_sizes_t *sizes = arg;
  setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
  ready_array(SHARED_CHILDREN, sizes->children);
  ready_array(SHARED_TABLE, sizes->table);
  for (;;) {
    pthread_mutex_lock(&keep_lock);
    int enough = kept_count >= sizes->pages || kept_count >= kept_max;
    pthread_mutex_unlock(&keep_lock);
    if (enough) break;
    node_page_t *p = malloc(sizeof *p);
    char *names = p ? malloc(sizes->names_a_page) : NULL;
    if (!names) {
      free(p);
      break;
    }
    touch((volatile uint8_t *)p, sizeof *p);
    touch((volatile uint8_t *)names, sizes->names_a_page);
    p->names = names, p->names_held = sizes->names_a_page;
    page_keep(p);
  }
  pthread_mutex_lock(&keep_lock);
  readied++;
  pthread_mutex_unlock(&keep_lock);
  free(sizes);
  return NULL;
}

void pages_ready_spares(uint32_t pages, size_t names_a_page, size_t children, size_t table) {
  spare_sizes_t *sizes = malloc(sizeof *sizes);
  if (!sizes) return;
  *sizes = (spare_sizes_t){pages, names_a_page, children, table};
  pthread_t thread;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&thread, &attr, ready_spares, sizes) != 0) free(sizes);
  pthread_attr_destroy(&attr);
}

double pages_readied(void) {
  pthread_mutex_lock(&keep_lock);
  double n = readied;
  pthread_mutex_unlock(&keep_lock);
  return n;
}

double pages_fresh(void) {
  pthread_mutex_lock(&keep_lock);
  double n = fresh;
  pthread_mutex_unlock(&keep_lock);
  return n;
}
