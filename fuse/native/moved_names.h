// The names files had before the library moved them (a retitle renames a file, an album's rename moves its
// files to another folder): a tagger that loaded a file (Picard, kid3) saves it by the path it loaded,
// minutes or hours later. For an hour, a process that opened the file before, and has neither listed the
// folder nor opened the file since (a media server's rescan lists the folder, then asks whether each file
// it knew is still there; one told of the move reads the file at its new name), finds it under its old
// name, and keeps finding it once it has; nobody else does, and no listing shows it. A folder that went
// (its album renamed) is found the same way, as a folder of its own ("gone"), in which only those names
// are found. Saves in place only: a tagger that writes a copy beside the file and renames it (kid3,
// metaflac's rewrite) is refused in a gone folder, and finds no file to replace beside an old name.
#ifndef SLEEVE_MOVED_NAMES_H
#define SLEEVE_MOVED_NAMES_H

#include "state.h"

/** A gone folder's node id: its old inode number (odd, below 2^43) with this bit, another kernel inode
 *  than the folder's own (which the echo's rmdir left dead in the kernel). */
#define GONE_FOLDER_BIT (1ull << 62)

static inline int gone_folder_id(uint64_t id) {
  return (id & 1) && (id & GONE_FOLDER_BIT);
}

/** Notes that `ino` (a file, or with `folder` a folder that went), listed in folder `parent` as `name`,
 *  left that name at `at_ms` (epoch ms: when that could first be seen). */
void moved_name_add(uint64_t parent, const char *name, size_t len, uint64_t ino, int folder, double at_ms);
/** What left `name` in folder `parent` within the hour (the latest to), or 0; when it did into `*at_ms`
 *  (epoch ms), whether it is a folder into `*folder`. */
uint64_t moved_name_find(uint64_t parent, const char *name, size_t len, double *at_ms, int *folder);
/** Whether `test(ino, context)` holds for a file that left folder `parent` within the hour, or for one
 *  that left a folder that left it (to `depth` folders down). */
int moved_any(uint64_t parent, int depth, int (*test)(uint64_t ino, void *context), void *context);
/** Whether `process` still knows file `ino` under the name it left at `at` in folder `parent`: it has
 *  neither listed the folder nor opened the file since, but opened it before; or found it so before. */
int knows_old_name(uint32_t process, uint64_t parent, uint64_t ino, double at);
/** Whether the process opening file `ino` to write knows its name as another file's, which an edit moved
 *  away since: a tagger that loaded that file would write its tags into this one. */
int writes_another(fuse_req_t req, uint64_t ino);
/** Notes that `process` found file `ino` under an old name: it goes on finding it (a second save), within
 *  the hour, whatever it opens meanwhile. */
void moved_user_add(uint32_t process, uint64_t ino);
int moved_user(uint32_t process, uint64_t ino);

#endif
