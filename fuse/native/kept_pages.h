// Whose bytes the kernel's cached pages of each file are (kept across opens: keep_cache), for a bounded
// number of files. Past the limit, the pages of a file no handle uses and no open used lately are dropped
// (an invalidation on the notify thread) and its entry freed once they are: a later open of it then finds
// no pages, as a first open does.
#ifndef SLEEVE_KEPT_PAGES_H
#define SLEEVE_KEPT_PAGES_H

#include "state.h"

/** How many files' pages are kept track of at most (mount.keptPagesFiles): set before the mount (until
 *  then every open bypasses the cache). -1 when out of memory. */
int kept_pages_limit(size_t files);
/** Files whose pages are kept track of now (those being dropped included), for the counting guards. */
size_t kept_pages_files(void);
/** How an open of `version` uses the file's cached pages: sets keep_cache/direct_io, returns whether it
 *  uses them (then cache_close must follow). */
int cache_open(uint64_t ino, double version, int writer, struct fuse_file_info *fi);
void cache_close(uint64_t ino);
/** A claim of the version's pages for a store, while a handle of it is open (NULL: not the version's). */
cache_entry_t *cache_claim(uint64_t ino, double version);
void cache_unclaim(cache_entry_t *e);
/** The first open of `version` to store its pages claims them: once per version (NULL: not the first). */
cache_entry_t *cache_first_store(uint64_t ino, double version);
/** The first open of `version` could not store after all: the next open of it will. */
void cache_store_abandoned(cache_entry_t *claim, double version);
/** The notify thread has dropped the file's pages (or the mount is gone): its entry goes. */
void kept_pages_dropped(uint64_t ino);

#endif
