// The names the echo thread told watchers are gone, before the tree without them is published. The echo
// removes a name (a file's unlink, a moved file's old name, a folder's rmdir) while the old tree is still
// served, since the new tree can only be published once the whole batch is told; meanwhile another process
// told of it — a watcher that stats what it was just told is deleted — looked it up in the served tree and
// found it again. The inode numbers told gone since the served tree was published are kept here, each from
// just before the echo's operation, within which the kernel tells the watchers (let go if it fails); a
// lookup or listing of the served tree by anyone but the echo leaves them out (tree_ops.c). setTree lets
// them go; a batch queued against an earlier tree (one past its deadline) adds nothing after it. A search
// tree from glibc (tsearch): at most one publish's removals, a wide retag's moves included.
#define _GNU_SOURCE  // tdestroy
#include "told_gone.h"
#include <search.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *inos;  // tsearch's root: each key an inode number held in the pointer itself
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

uint64_t told_gone_generation(void) {
  pthread_mutex_lock(&lock);
  uint64_t g = generation;
  pthread_mutex_unlock(&lock);
  return g;
}

void told_gone_add(uint64_t at, uint64_t ino) {
  pthread_mutex_lock(&lock);
  // Out of memory: the name is found until the tree is published, as before.
  if (at == generation && tsearch((void *)(uintptr_t)ino, &inos, by_value)) atomic_store(&any, 1);
  pthread_mutex_unlock(&lock);
}

void told_gone_forget(uint64_t at, uint64_t ino) {
  pthread_mutex_lock(&lock);
  if (at == generation) tdelete((void *)(uintptr_t)ino, &inos, by_value);
  atomic_store(&any, inos != NULL);
  pthread_mutex_unlock(&lock);
}

int told_gone_has(uint64_t ino) {
  if (!atomic_load(&any)) return 0;
  pthread_mutex_lock(&lock);
  int found = tfind((void *)(uintptr_t)ino, &inos, by_value) != NULL;
  pthread_mutex_unlock(&lock);
  return found;
}

void told_gone_published(void) {
  pthread_mutex_lock(&lock);
  generation++;
  tdestroy(inos, keep_key);
  inos = NULL;
  atomic_store(&any, 0);
  pthread_mutex_unlock(&lock);
}
