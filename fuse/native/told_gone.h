// The names the echo thread told watchers are gone, before the tree without them is published: see
// told_gone.c.
#ifndef SLEEVE_TOLD_GONE_H
#define SLEEVE_TOLD_GONE_H

#include "state.h"

/** The served tree's generation, which a batch of the echo's changes is queued against. */
uint64_t told_gone_generation(void);

/** Node `ino`'s name is being removed (unlinked, moved away, a folder's rmdir) by a batch queued against
 *  tree generation `generation`: kept only while that tree is served. */
void told_gone_add(uint64_t generation, uint64_t ino);

/** Node `ino`'s removal failed: its name is still there. */
void told_gone_forget(uint64_t generation, uint64_t ino);

/** Whether node `ino` of the served tree was told gone since that tree was published. */
int told_gone_has(uint64_t ino);

/** A new tree is about to be served: what was told of the last is let go (called before it is swapped in,
 *  so that a lookup answered from the new tree never meets an old entry). */
void told_gone_published(void);

#endif
