// The memory of trees: their node pages and shared arrays (state.h), each kept when let go for the next
// tree to use. The bottom of the snapshot units: it calls no other.
#ifndef SLEEVE_NODE_PAGES_H
#define SLEEVE_NODE_PAGES_H

#include "state.h"

/** A page of no nodes, held once, with room for `names` bytes of names; NULL when out of memory. */
node_page_t *page_take(size_t names);
/** `p` held once more: a tree made from another shares its pages. */
static inline node_page_t *page_hold(node_page_t *p) {
  atomic_fetch_add(&p->refs, 1);
  return p;
}
/** One hold of `p` let go (NULL: none); with the last, kept for the next page or freed. */
void page_put(node_page_t *p);
/** A page of its own with `from`'s nodes and names; NULL when out of memory. */
node_page_t *page_copy(const node_page_t *from);
/** Counts a page made anew from another tree's (page_copy counts its own): a guard of what a publish
 *  copies. */
void pages_count_copy(void);
double pages_copied(void);
/** How many pages are kept for the next trees at most: two trees of `pages` (a publish's tree is let go
 *  only once the notifier thread compared it with the next, which may come after the next publish). */
void pages_keep_for(uint32_t pages);

/** The arrays a tree shares: its entries grouped by folder, its inode table. */
typedef enum { SHARED_CHILDREN, SHARED_TABLE, SHARED_KINDS } shared_kind_t;
/** An array of `count` (zeroed: `zeroed`), held once; NULL when out of memory. */
shared_u32_t *shared_take(shared_kind_t kind, size_t count, int zeroed);
/** A copy of its own of `from`'s first `count`; NULL when out of memory. */
shared_u32_t *shared_copy(shared_kind_t kind, const shared_u32_t *from, size_t count);
static inline shared_u32_t *shared_hold(shared_u32_t *a) {
  atomic_fetch_add(&a->refs, 1);
  return a;
}
/** One hold of `a` let go (NULL: none); with the last, kept for the next array or freed. */
void shared_put(shared_kind_t kind, shared_u32_t *a);

/** Makes, on a thread of its own, the pages and arrays a tree like this one would use. */
void pages_ready_spares(uint32_t pages, size_t names_a_page, size_t children, size_t table);
/** Readyings pages_ready_spares finished. */
double pages_readied(void);
/** Pages and arrays of trees that came fresh from the system, not from a tree let go. */
double pages_fresh(void);

#endif
