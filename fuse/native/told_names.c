// The names the echo thread told watchers of, before the tree that has them is published. The echo moves,
// makes and removes names while the old tree is still served, since the new tree can only be published
// once the whole batch is told; meanwhile another process told of a change — a watcher that stats what it
// was just told is deleted, or lists the folder a file moved within — asked the served tree, which still
// had the old name and not the new one. The inode numbers told of since the served tree was published are
// kept here, each from just before the echo's operation, within which the kernel tells the watchers (let
// go if it fails): a lookup or listing by anyone but the echo leaves a name told gone out, and finds a
// file's name told made in the pending tree (tree_ops.c). setTree lets them go; a batch queued against an
// earlier tree (one past its deadline) adds nothing after it. Search trees from glibc (tsearch): at most
// one publish's changes, a wide retag's moves included.
#define _GNU_SOURCE  // tdestroy
#include "told_names.h"
#include <search.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *inos[2];  // tsearch's roots, by told_t: each key an inode number held in the pointer itself
static uint64_t generation;
/** Whether any are kept: a lookup outside a publish's telling looks no further. */
static atomic_int any;

static int by_value(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
  return x < y ? -1 : x > y;
}

static void keep_key(void *key) {
  (void)key;  // the key is the value: nothing to free
}

uint64_t told_generation(void) {
  pthread_mutex_lock(&lock);
  uint64_t g = generation;
  pthread_mutex_unlock(&lock);
  return g;
}

void told_add(told_t kind, uint64_t at, uint64_t ino) {
  pthread_mutex_lock(&lock);
  // Out of memory: the served tree's names hold until the tree is published, as before.
  if (at == generation && tsearch((void *)(uintptr_t)ino, &inos[kind], by_value)) atomic_store(&any, 1);
  pthread_mutex_unlock(&lock);
}

void told_forget(told_t kind, uint64_t at, uint64_t ino) {
  pthread_mutex_lock(&lock);
  if (at == generation) tdelete((void *)(uintptr_t)ino, &inos[kind], by_value);
  atomic_store(&any, inos[TOLD_GONE] != NULL || inos[TOLD_MADE] != NULL);
  pthread_mutex_unlock(&lock);
}

int told_has(told_t kind, uint64_t ino) {
  if (!atomic_load(&any)) return 0;
  pthread_mutex_lock(&lock);
  int found = tfind((void *)(uintptr_t)ino, &inos[kind], by_value) != NULL;
  pthread_mutex_unlock(&lock);
  return found;
}

void told_published(void) {
  pthread_mutex_lock(&lock);
  generation++;
  for (int k = 0; k < 2; k++) {
    tdestroy(inos[k], keep_key);
    inos[k] = NULL;
  }
  atomic_store(&any, 0);
  pthread_mutex_unlock(&lock);
}
