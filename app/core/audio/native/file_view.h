// What FFmpeg reads of a file: the whole file, or a few bytes given in place of its head followed by one
// range of it, so that a file's tags need not be read at all (see file_view.c).
#ifndef SLEEVE_FILE_VIEW_H
#define SLEEVE_FILE_VIEW_H
#include <libavformat/avio.h>
#include <stdint.h>

#define VIEW_PREFIX_MAX 64

/** Opens `path` and an AVIO context reading `prefix` then bytes [start, end) of it (end < 0: to the end
 *  of the file); NULL with *err set when it cannot. */
AVIOContext *view_open(const char *path, const uint8_t *prefix, int prefix_len, int64_t start, int64_t end,
                       int *err);

/** Closes the file and frees the context; safe on NULL, and to repeat. */
void view_close(AVIOContext **pb);

#endif
