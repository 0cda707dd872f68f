// What FFmpeg reads of a file: the whole file, or one range of it (a FLAC's: after its STREAMINFO), so
// that a file's tags need not be read at all (see file_view.c).
#ifndef SLEEVE_FILE_VIEW_H
#define SLEEVE_FILE_VIEW_H
#include <libavformat/avio.h>
#include <stdint.h>

/** Opens `path` and an AVIO context reading bytes [start, end) of it (end < 0: to the end of the file),
 *  after the file's STREAMINFO block when `flac` (the whole file when its head is not one); NULL with
 *  *err set when it cannot. */
AVIOContext *view_open(const char *path, int flac, int64_t start, int64_t end, int *err);

/** Closes the file and frees the context; safe on NULL, and to repeat. */
void view_close(AVIOContext **pb);

#endif
