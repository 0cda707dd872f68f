// A read of a mapped file that a fault cannot turn into the end of the process (fault_guard.c).
#ifndef SLEEVE_FAULT_GUARD_H
#define SLEEVE_FAULT_GUARD_H
#include <stddef.h>
#include "posting_scan.h"

/** SCAN_UNREADABLE: the kernel could not give a page of the mapping (a disk's read error, the file cut
 *  short under it). */
enum { SCAN_UNREADABLE = -5 };

/** scan_blocks(s, c), whose reads of the mapping [map, map + bytes) may fault: such a fault ends the call
 *  with SCAN_UNREADABLE (the counter's hits are then partial: the batch is to be dropped). A fault
 *  elsewhere, and a SIGBUS sent by a process, reach the handler that was there before. */
int scan_blocks_guarded(const void *map, size_t bytes, const BlockSegment *s, HitCounter *c);

#endif
