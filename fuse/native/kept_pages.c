// Whose bytes the kernel's cached pages of each file are, for a bounded number of files (kept_pages.h).
// Pages shared by handles of two versions would mix them, so an open whose version differs from the pages'
// while handles use them bypasses the cache, and the first open after they all closed drops the pages
// unless they are its own version's. A writer's bytes belong to no version (NAN).
#include "state.h"
#include "kept_pages.h"
#include "notices.h"

/** Buckets an open past the limit looks through at most for files to drop: each open's cost stays
 *  bounded when every file is in use. */
#define SWEEP_BUCKETS 64
/** At most this many buckets (8 MiB of them); otherwise a bucket for every four files the limit allows,
 *  so that the clock's hand meets files to drop at any limit. */
#define MAX_BUCKETS (1u << 20)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry_t **buckets;
static uint32_t bucket_count;
static size_t limit, live, total;  // live: entries not being dropped
static uint32_t hand;              // the clock's hand: the bucket the next sweep starts at

int kept_pages_limit(size_t files) {
  uint32_t count = 16;
  while (count < MAX_BUCKETS && count < files / 4) count *= 2;
  pthread_mutex_lock(&lock);
  // A mount tried again after a failure keeps the buckets it made (and their count).
  if (!buckets && (buckets = calloc(count, sizeof *buckets))) bucket_count = count;
  int ok = buckets != NULL;
  if (ok) limit = files;
  pthread_mutex_unlock(&lock);
  return ok ? 0 : -1;
}

size_t kept_pages_files(void) {
  pthread_mutex_lock(&lock);
  size_t n = total;
  pthread_mutex_unlock(&lock);
  return n;
}

/** Where the file's entry is, or goes; NULL before the limit is set. */
static cache_entry_t **slot_locked(uint64_t ino) {
  if (!buckets) return NULL;
  cache_entry_t **at = &buckets[hash_ino(ino) % bucket_count];
  while (*at && (*at)->ino != ino) at = &(*at)->next;
  return at;
}

/** Has the notify thread drop the file's pages; until it has, opens of it bypass the cache. */
static void drop_locked(cache_entry_t *e) {
  notice_t *n = calloc(1, sizeof *n);
  if (!n) return;  // out of memory: kept for now
  n->ino = e->ino;
  n->drop_pages = 1;
  e->dropping = 1;
  live--;
  notice_queue(n);
}

/** Drops the pages of the files the clock's hand meets that no handle uses nor store claims, but for those
 *  an open used since the hand last passed (a second chance), until the files are within the limit or
 *  SWEEP_BUCKETS buckets were looked through. */
static void sweep_locked(void) {
  for (int b = 0; b < SWEEP_BUCKETS && live > limit; b++, hand = (hand + 1) % bucket_count) {
    for (cache_entry_t *e = buckets[hand]; e && live > limit; e = e->next) {
      if (e->dropping || e->opens || e->storing) continue;
      if (e->recent) e->recent = 0;
      else drop_locked(e);
    }
  }
}

void kept_pages_dropped(uint64_t ino) {
  pthread_mutex_lock(&lock);
  cache_entry_t **at = slot_locked(ino);
  cache_entry_t *e = at ? *at : NULL;
  // No open used it, nor could a store claim it, since it was marked (cache_open, cache_claim).
  if (e && e->dropping) {
    *at = e->next;
    free(e);
    total--;
  }
  pthread_mutex_unlock(&lock);
}

int cache_open(uint64_t ino, double version, int writer, struct fuse_file_info *fi) {
  pthread_mutex_lock(&lock);
  cache_entry_t **at = slot_locked(ino);
  if (!at) {
    pthread_mutex_unlock(&lock);
    fi->keep_cache = 0, fi->direct_io = 1;
    return 0;
  }
  // A file first opened now has no cached pages to drop (but a created file's own writes, which are its
  // bytes; or pages an entry let go had, dropped before it went): kept, so that what its opening stores
  // (opening_store) is not dropped when the kernel finishes the open.
  int fresh = !*at && (*at = calloc(1, sizeof **at));
  if (fresh) (*at)->ino = ino, (*at)->version = NAN, (*at)->stored = NAN, live++, total++;
  cache_entry_t *e = *at;
  int use = 1;
  if (!e || e->dropping) {
    fi->keep_cache = 0, fi->direct_io = 1, use = 0;  // out of memory, or its pages being dropped
  } else if (e->storing ? !writer && e->version == version : e->opens == 0 || e->version == version) {
    fi->keep_cache = fresh || e->version == version;
    e->version = writer ? NAN : version;
    e->opens++;
    e->recent = 1;
  } else {
    // Handles or a store of another version (or a writer) use the pages: this one's would mix with theirs.
    fi->keep_cache = 0, fi->direct_io = 1, use = 0;
  }
  if (fresh) sweep_locked();  // not this one: its open uses it
  pthread_mutex_unlock(&lock);
  return use;
}

/** Claims the file's cached pages for stores of `version` (store_range), while a handle of it is open: the
 *  claim outlives the handle, since the opener may close it as soon as the request that read the bytes is
 *  answered, before they are stored. Until cache_unclaim, `storing` keeps an open of another version (or a
 *  writer) from taking the pages over (cache_open), and the entry from being dropped, so what is stored is
 *  still the pages' version. NULL when the pages are not the version's. */
/** The file's entry (NULL: none). */
static cache_entry_t *entry_locked(uint64_t ino) {
  cache_entry_t **at = slot_locked(ino);
  return at ? *at : NULL;
}

static cache_entry_t *cache_claim_locked(uint64_t ino, double version) {
  cache_entry_t *e = entry_locked(ino);
  if (!e || e->opens == 0 || e->version != version) return NULL;
  e->storing++;
  return e;
}

cache_entry_t *cache_claim(uint64_t ino, double version) {
  pthread_mutex_lock(&lock);
  cache_entry_t *e = cache_claim_locked(ino, version);
  pthread_mutex_unlock(&lock);
  return e;
}

void cache_unclaim(cache_entry_t *e) {
  if (!e) return;
  pthread_mutex_lock(&lock);
  e->storing--;
  pthread_mutex_unlock(&lock);
}

/** Once per version, so that opens of files already cached cost nothing more. (Pages the kernel evicts
 *  later come back through a first read's store, op_read.) */
cache_entry_t *cache_first_store(uint64_t ino, double version) {
  pthread_mutex_lock(&lock);
  cache_entry_t *e = entry_locked(ino);
  if (e && e->stored != version && (e = cache_claim_locked(ino, version))) e->stored = version;
  else e = NULL;
  pthread_mutex_unlock(&lock);
  return e;
}

void cache_store_abandoned(cache_entry_t *claim, double version) {
  pthread_mutex_lock(&lock);
  if (claim->stored == version) claim->stored = NAN;
  claim->storing--;
  pthread_mutex_unlock(&lock);
}

void cache_close(uint64_t ino) {
  pthread_mutex_lock(&lock);
  cache_entry_t *e = entry_locked(ino);
  if (e && e->opens > 0) e->opens--;
  pthread_mutex_unlock(&lock);
}
