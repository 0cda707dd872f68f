// The served tree made from the last one when a publish rebuilt a few top-level folders in place (a
// retitle: native-tree.ts repackTops keeps a rebuilt folder's place). Made whole, a tree at a million
// files took 50–60 ms of each retitle's publish (every node checked and placed in the inode table, every
// folder's entries sorted); copying the old tree's arrays and checking every node against them, 12–15 ms
// (about 200 MB read and written). Here the new tree shares the old one's pages but those holding the
// rebuilt nodes (and the root's, whose time changes), which are made anew, each rebuilt node checked; its
// inode table as it is (each node keeps its inode number); and only the rebuilt folders' entries grouped
// and sorted. The nodes outside the ranges are the old tree's: the repack copied them.
#include "state.h"
#include "snapshot.h"
#include "splice.h"
#include "node_pages.h"

static double spliced;  // JS thread only

double snap_trees_spliced(void) {
  return spliced;
}

/** Whether `r` names the same ranges of both trees, in order, none empty, each starting at a top-level
 *  entry of both and ending where the next one starts. */
static int ranges_fit(const snapshot_t *old, const tree_arrays_t *t, const diff_ranges_t *r) {
  const uint32_t *b = r->pairs, *a = r->pairs + 2 * r->before;
  uint32_t n = old->count;
  if (r->before == 0 || r->before != r->after || t->n != n) return 0;
  for (uint32_t k = 0; k < r->before; k++) {
    uint32_t from = b[2 * k], to = b[2 * k + 1];
    if (a[2 * k] != from || a[2 * k + 1] != to || from < 1 || from >= to || to > n ||
        (k > 0 && from < b[2 * k - 1]))
      return 0;
    if (snap_at(old, from)->parent != 0 || t->parent[from] != 0) return 0;
    if (to < n && (snap_at(old, to)->parent != 0 || t->parent[to] != 0)) return 0;
  }
  return 1;
}

/** Rebuilt node `i` of `t` (in the range starting at `from`), checked against the old tree's node there,
 *  into `*node` (a copy of that one); 0 when it is not what the splice takes it for: its inode number the
 *  old one's (so the inode table stays: a retitle moves no file within its folder's nodes, which are in
 *  file-id order; another change makes the tree whole), its parent inside the range in both trees (its
 *  first node's the root), so that its folders' entries are its own nodes, and the first node's name the
 *  old one's (the root's sorted entries stay). */
static int rebuilt_node(const tree_arrays_t *t, uint32_t i, uint32_t from, node_t *node) {
  uint32_t start = t->name_end[i - 1], len = t->name_end[i] - start, p = t->parent[i];
  if (t->name_end[i] < start || t->name_end[i] > t->name_bytes || !node_attrs_ok(t, i)) return 0;
  if ((uint64_t)t->ino[i] != node->ino || !node_name_ok(t->names + start, len)) return 0;
  if (i == from ? p != 0 || len != node->name_len || memcmp(t->names + start, node->name, len) != 0
                : p < from || p >= i || !(t->flags[p] & NODE_DIR) || node->parent < from || node->parent >= i)
    return 0;
  node->parent = p;
  node->size = (uint64_t)t->size[i];
  node->mtime_ms = t->mtime[i];
  node->version = t->version[i];
  node->flags = t->flags[i];
  node->name_len = len;
  return 1;
}

/** The range of `r` holding node `i`, from `*k` on (ranges in order): its start, or UINT32_MAX. */
static uint32_t range_of(const diff_ranges_t *r, uint32_t *k, uint32_t i) {
  while (*k < r->before && r->pairs[2 * *k + 1] <= i) ++*k;
  return *k < r->before && r->pairs[2 * *k] <= i ? r->pairs[2 * *k] : UINT32_MAX;
}

/** Page `p` of `s` made anew from the old tree's: its rebuilt nodes `t`'s (each checked: rebuilt_node),
 *  the root's attributes `t`'s, the others the old page's; 0 when a node is not what the splice takes it
 *  for, or out of memory. */
static int rewrite_page(snapshot_t *s, const snapshot_t *old, const tree_arrays_t *t, const diff_ranges_t *r,
                        uint32_t p) {
  const node_page_t *was = old->pages[p];
  uint32_t base = p * PAGE_NODES, k = 0;
  size_t names = 0;
  for (uint32_t j = 0; j < was->count; j++) {
    uint32_t i = base + j;
    if (range_of(r, &k, i) == UINT32_MAX) names += was->nodes[j].name_len;
    else if (t->name_end[i] < t->name_end[i - 1] || t->name_end[i] > t->name_bytes) return 0;
    else names += t->name_end[i] - t->name_end[i - 1];
  }
  node_page_t *page = page_take(names);
  if (!page) return 0;
  pages_count_copy();
  page_put(s->pages[p]);
  s->pages[p] = page;
  page->count = was->count;
  k = 0;
  for (uint32_t j = 0; j < was->count; j++) {
    uint32_t i = base + j, from = range_of(r, &k, i);
    node_t node = was->nodes[j];
    const char *name = node.name;
    if (from != UINT32_MAX) {
      if (!rebuilt_node(t, i, from, &node)) return 0;
      name = (const char *)t->names + t->name_end[i - 1];
      s->files += !(node.flags & NODE_DIR) - !(was->nodes[j].flags & NODE_DIR);
    } else if (i == 0) {
      if (!node_attrs_ok(t, 0) || !(t->flags[0] & NODE_DIR)) return 0;
      node.size = (uint64_t)t->size[0], node.mtime_ms = t->mtime[0], node.version = t->version[0];
      node.flags = t->flags[0];
    }
    node.name = memcpy(page->names + page->names_used, name, node.name_len);
    page->names_used += node.name_len;
    page->nodes[j] = node;
  }
  return 1;
}

/** Each rebuilt range's entries grouped by parent into the block of the children array its folders had
 *  (the same nodes before it, so the same place), then sorted; 0 when two entries of a folder share a
 *  name or out of memory. */
static int place_children(snapshot_t *s, const tree_arrays_t *t, const diff_ranges_t *r) {
  for (uint32_t k = 0; k < r->before; k++) {
    uint32_t from = r->pairs[2 * k], to = r->pairs[2 * k + 1];
    uint32_t *counts = calloc(to - from, sizeof *counts);
    if (!counts) return 0;
    for (uint32_t i = from + 1; i < to; i++) counts[t->parent[i] - from]++;
    uint32_t at = snap_at(s, from)->first_child;
    for (uint32_t i = from; i < to; i++) {
      snap_at(s, i)->first_child = at;
      snap_at(s, i)->child_count = 0;
      at += counts[i - from];
    }
    free(counts);
    for (uint32_t i = from + 1; i < to; i++) {
      node_t *p = snap_at(s, t->parent[i]);
      s->children->at[p->first_child + p->child_count++] = i;
    }
    if (snap_sort_range(s, from, to) != 0) return 0;
  }
  return 1;
}

snapshot_t *snap_spliced(snapshot_t *old, const tree_arrays_t *t, const diff_ranges_t *rebuilt) {
  if (!old || !rebuilt || !ranges_fit(old, t, rebuilt)) return NULL;
  snapshot_t *s = snap_patched(old);
  if (!s) return NULL;
  shared_put(SHARED_CHILDREN, s->children);
  s->children = shared_copy(SHARED_CHILDREN, old->children, old->count);
  int ok = s->children && rewrite_page(s, old, t, rebuilt, 0);
  for (uint32_t k = 0; ok && k < rebuilt->before; k++) {
    uint32_t first = rebuilt->pairs[2 * k] >> PAGE_BITS, last = (rebuilt->pairs[2 * k + 1] - 1) >> PAGE_BITS;
    for (uint32_t p = first; ok && p <= last; p++)
      if (s->pages[p] == old->pages[p]) ok = rewrite_page(s, old, t, rebuilt, p);
  }
  if (!ok || !place_children(s, t, rebuilt)) {
    snap_release(s);
    return NULL;
  }
  spliced++;
  return s;
}
