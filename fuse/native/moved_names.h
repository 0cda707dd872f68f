// The names files had before the library moved them (a retitle renames a file, an album's rename its
// folder's files): a tagger that loaded a file (Picard, kid3) saves it by the path it loaded, minutes or
// hours later. For an hour, a process that opened the file before finds it under its old name; nobody
// else does, and no listing shows it.
#ifndef SLEEVE_MOVED_NAMES_H
#define SLEEVE_MOVED_NAMES_H

#include "state.h"

/** Notes that file `ino`, listed in folder `parent` as `name`, left that name for another. */
void moved_name_add(uint64_t parent, const char *name, size_t len, uint64_t ino);
/** The file that left `name` in folder `parent` within the hour (the latest to), or 0. */
uint64_t moved_name_find(uint64_t parent, const char *name, size_t len);

#endif
