// Counting a batch of queries' hits: each query's hits per document, in its own hash table. A hit on a term
// counts once for every query holding the term (the batch's terms are merged, see search.ts).
#ifndef SLEEVE_HIT_COUNTER_H
#define SLEEVE_HIT_COUNTER_H
#include <stdint.h>

typedef struct {
  uint32_t id;  // 0: an empty slot (document ids are never 0)
  uint32_t count;
} Slot;

typedef struct {
  Slot *slots;
  uint32_t *used;  // the slots in use, in the order they were taken, to list and clear them
  uint32_t size;
  uint32_t bits;
} HitTable;

typedef struct {
  HitTable *tables;
  uint32_t num_tables;  // allocated
  // The batch: terms ascending; term k's queries are owners[starts[k]] .. owners[starts[k + 1] - 1]
  // (without starts, every term is query 0's: a lone query).
  uint32_t *terms;
  uint32_t *starts;
  uint16_t *owners;
  uint32_t num_terms;
  uint32_t num_queries;
  int failed;  // a table could not grow: the batch's counts are incomplete
} HitCounter;

/** A table of 2^bits slots; 0 when out of memory. */
int table_init(HitTable *t, uint32_t bits);
void table_free(HitTable *t);
/** Empties a table, touching only the slots in use. */
void table_clear(HitTable *t);

/** Counts one hit of `id` on the batch's term k. */
void counter_add(HitCounter *c, uint32_t id, uint32_t k);

#endif
