// The names files had before the library moved them (a retitle renames a file, an album's rename its
// folder's files): a tagger that loaded a file (Picard, kid3) saves it by the path it loaded, minutes or
// hours later. For an hour, a process that opened the file before, and has not listed the folder since
// (a media server's rescan lists it, then asks whether each file it knew is still there), finds it under
// its old name; nobody else does, and no listing shows it.
#ifndef SLEEVE_MOVED_NAMES_H
#define SLEEVE_MOVED_NAMES_H

#include "state.h"

/** Notes that file `ino`, listed in folder `parent` as `name`, left that name for another at `at_ms` (epoch
 *  ms: when that could first be seen). */
void moved_name_add(uint64_t parent, const char *name, size_t len, uint64_t ino, double at_ms);
/** The file that left `name` in folder `parent` within the hour (the latest to), or 0; when it did into
 *  `*at_ms` (epoch ms). */
uint64_t moved_name_find(uint64_t parent, const char *name, size_t len, double *at_ms);

#endif
