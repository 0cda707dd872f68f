// The served tree made from the last one when a publish rebuilt a few top-level folders in place (a
// retitle: native-tree.ts repackTops keeps a rebuilt folder's place). Made whole, a tree at a million
// files took 50–60 ms of each retitle's publish (every node checked and placed in the inode table, every
// folder's entries sorted); here the old tree's arrays are copied (its inode table as it is: each node
// keeps its inode number), every node checked against the old tree's in one pass, and only the rebuilt
// folders' entries grouped and sorted.
#include "state.h"
#include "snapshot.h"
#include "splice.h"

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
    if (old->nodes[from].parent != 0 || t->parent[from] != 0) return 0;
    if (to < n && (old->nodes[to].parent != 0 || t->parent[to] != 0)) return 0;
  }
  return 1;
}

/** Whether node index `p` is in one of the ranges. */
static int in_ranges(const diff_ranges_t *r, uint32_t p) {
  for (uint32_t k = 0; k < r->before && r->pairs[2 * k] <= p; k++)
    if (p < r->pairs[2 * k + 1]) return 1;
  return 0;
}

/** `t`'s nodes into `s`, each checked: its name and attributes as snapshot_of checks them, and its inode
 *  number the old tree's node's there (so the inode table stays: a retitle moves no file within its
 *  folder's nodes, which are in file-id order; another change makes the tree whole). In a rebuilt range,
 *  parents inside it in both trees (its first node's the root), so that its folders' entries are its own
 *  nodes, and the first node's name the old one's (the root's sorted entries stay); elsewhere, each node
 *  the old tree's (parent — outside the ranges —, kind and name; its attributes may differ). One pass, the
 *  old node read and the new one written once: at a million nodes the pass is most of the splice. 0 when a
 *  node is not what the splice takes it for. */
static int fill_nodes(const snapshot_t *old, const tree_arrays_t *t, const diff_ranges_t *r, snapshot_t *s) {
  const uint32_t *range = r->pairs, *end = r->pairs + 2 * r->before;
  uint32_t kept_from = 0;  // the first node of the run of kept nodes that ends at the next range
  s->files = old->files;
  for (uint32_t i = 0; i < t->n; i++) {
    uint32_t start = i == 0 ? 0 : t->name_end[i - 1], len = t->name_end[i] - start;
    if (t->name_end[i] < start || t->name_end[i] > t->name_bytes || !node_attrs_ok(t, i)) return 0;
    node_t node = old->nodes[i];
    if ((uint64_t)t->ino[i] != node.ino) return 0;
    if (range < end && i >= range[0]) {
      uint32_t from = range[0], p = t->parent[i];
      if (i == from ? p != 0 || len != node.name_len || memcmp(t->names + start, old->names + node.name_off, len) != 0
                    : p < from || p >= i || !(t->flags[p] & NODE_DIR) || node.parent < from || node.parent >= i)
        return 0;
      if (!node_name_ok(t->names + start, len)) return 0;
      s->files += !(t->flags[i] & NODE_DIR) - !(node.flags & NODE_DIR);
      node.parent = p;
      if (i + 1 == range[1]) range += 2, kept_from = i + 1;
    } else {
      if ((i > 0 && (t->parent[i] != node.parent || in_ranges(r, node.parent))) ||
          (t->flags[i] & NODE_DIR) != (node.flags & NODE_DIR) || len != node.name_len)
        return 0;
      // The kept run's names, compared at its end (its names lie back to back in both trees).
      if (i + 1 == t->n || (range < end && i + 1 == range[0])) {
        uint32_t at = kept_from == 0 ? 0 : t->name_end[kept_from - 1];
        if (memcmp(t->names + at, old->names + old->nodes[kept_from].name_off, t->name_end[i] - at) != 0) return 0;
      }
    }
    node.size = (uint64_t)t->size[i];
    node.mtime_ms = t->mtime[i];
    node.version = t->version[i];
    node.flags = t->flags[i];
    node.name_off = start;
    node.name_len = len;
    s->nodes[i] = node;
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
    uint32_t at = s->nodes[from].first_child;
    for (uint32_t i = from; i < to; i++) {
      s->nodes[i].first_child = at;
      s->nodes[i].child_count = 0;
      at += counts[i - from];
    }
    free(counts);
    for (uint32_t i = from + 1; i < to; i++) {
      node_t *p = &s->nodes[t->parent[i]];
      s->children[p->first_child + p->child_count++] = i;
    }
    if (snap_sort_range(s, from, to) != 0) return 0;
  }
  return 1;
}

snapshot_t *snap_spliced(snapshot_t *old, const tree_arrays_t *t, const diff_ranges_t *rebuilt) {
  if (!old || !rebuilt || !ranges_fit(old, t, rebuilt)) return NULL;
  uint32_t n = old->count;
  snapshot_t *s = calloc(1, sizeof *s);
  if (s) {
    *s = (snapshot_t){.count = n, .mask = old->mask, .names_size = t->name_bytes ? t->name_bytes : 1};
    s->nodes = snap_alloc(SNAP_NODES, (size_t)n * sizeof *s->nodes, 0);
    s->names = snap_alloc_held(SNAP_NAMES, s->names_size, &s->names_size, 0);
    s->children = snap_alloc(SNAP_CHILDREN, (size_t)n * sizeof *s->children, 0);
    s->table = snap_alloc(SNAP_TABLE, ((size_t)old->mask + 1) * sizeof *s->table, 0);
    s->shape_refs = malloc(sizeof *s->shape_refs);
  }
  if (!s || !s->nodes || !s->names || !s->children || !s->table || !s->shape_refs) {
    if (s) {
      snap_free(SNAP_NODES, s->nodes, (size_t)n * sizeof *s->nodes);
      snap_free(SNAP_NAMES, s->names, s->names_size);
      snap_free(SNAP_CHILDREN, s->children, (size_t)n * sizeof *s->children);
      snap_free(SNAP_TABLE, s->table, ((size_t)old->mask + 1) * sizeof *s->table);
      free(s->shape_refs), free(s);
    }
    return NULL;
  }
  atomic_init(&s->refs, 1);
  atomic_init(s->shape_refs, 1);
  memcpy(s->names, t->names, t->name_bytes);
  memcpy(s->children, old->children, (size_t)n * sizeof *s->children);
  memcpy(s->table, old->table, ((size_t)old->mask + 1) * sizeof *s->table);
  if (!fill_nodes(old, t, rebuilt, s) || !place_children(s, t, rebuilt)) {
    snap_release(s);
    return NULL;
  }
  spliced++;
  return s;
}
