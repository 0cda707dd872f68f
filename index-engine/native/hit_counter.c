// The hash tables behind hit_counter.h: open addressing with linear probing, each slot's id and count side
// by side (one cache line a hit, where separate arrays took two), grown at half full.
#include "hit_counter.h"
#include <stdlib.h>

static uint32_t hash(uint32_t id, uint32_t bits) {
  return (uint32_t)(id * 0x9e3779b1u) >> (32 - bits);
}

int table_init(HitTable *t, uint32_t bits) {
  Slot *slots = calloc((size_t)1 << bits, sizeof *slots);
  uint32_t *used = malloc(((size_t)1 << (bits - 1)) * sizeof *used);
  if (!slots || !used) {
    free(slots);
    free(used);
    return 0;
  }
  *t = (HitTable){.slots = slots, .used = used, .size = 0, .bits = bits};
  return 1;
}

void table_free(HitTable *t) {
  free(t->slots);
  free(t->used);
  *t = (HitTable){0};
}

static int table_grow(HitTable *t) {
  HitTable bigger;
  if (!table_init(&bigger, t->bits + 1)) return 0;
  uint32_t mask = ((uint32_t)1 << bigger.bits) - 1;
  for (uint32_t i = 0; i < t->size; i++) {
    Slot s = t->slots[t->used[i]];
    uint32_t h = hash(s.id, bigger.bits);
    while (bigger.slots[h].id != 0) h = (h + 1) & mask;
    bigger.slots[h] = s;
    bigger.used[bigger.size++] = h;
  }
  table_free(t);
  *t = bigger;
  return 1;
}

static void table_add(HitCounter *c, HitTable *t, uint32_t id) {
  uint32_t mask = ((uint32_t)1 << t->bits) - 1;
  for (uint32_t h = hash(id, t->bits);; h = (h + 1) & mask) {
    Slot *s = &t->slots[h];
    if (s->id == id) {
      s->count++;
      return;
    }
    if (s->id == 0) {
      s->id = id;
      s->count = 1;
      t->used[t->size++] = h;
      if (t->size == (uint32_t)1 << (t->bits - 1) && !table_grow(t)) c->failed = 1;
      return;
    }
  }
}

void table_clear(HitTable *t) {
  for (uint32_t i = 0; i < t->size; i++) t->slots[t->used[i]].id = 0;
  t->size = 0;
}

void counter_add(HitCounter *c, uint32_t id, uint32_t k) {
  if (c->failed) return;
  if (!c->starts) {
    table_add(c, &c->tables[0], id);
    return;
  }
  for (uint32_t i = c->starts[k]; i < c->starts[k + 1]; i++) table_add(c, &c->tables[c->owners[i]], id);
}
