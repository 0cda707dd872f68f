// The names the echo thread told watchers of, before the tree saying so is published: see told_names.c.
#ifndef SLEEVE_TOLD_NAMES_H
#define SLEEVE_TOLD_NAMES_H

#include "state.h"

typedef enum {
  /** A name removed: a file's unlink, a moved file's old name, a folder's rmdir. */
  TOLD_GONE,
  /** A file's name made: a moved file's new name, a new file's. */
  TOLD_MADE,
} told_t;

/** The served tree's generation, which a batch of the echo's changes is queued against. */
uint64_t told_generation(void);

/** Node `ino`'s name is being removed or made (`kind`) by a batch queued against tree generation
 *  `generation`: kept only while that tree is served. */
void told_add(told_t kind, uint64_t generation, uint64_t ino);

/** The echo's operation on node `ino` failed: its names are as the served tree has them. */
void told_forget(told_t kind, uint64_t generation, uint64_t ino);

/** Whether node `ino` was told gone (of the served tree) or made (of the pending one) since the served tree
 *  was published. */
int told_has(told_t kind, uint64_t ino);

/** A new tree is about to be served: what was told of the last is let go (called before it is swapped in,
 *  so that a lookup answered from the new tree never meets an old entry). */
void told_published(void);

#endif
