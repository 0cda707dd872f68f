// The kernel mount: made by fusermount3 started without fork(), taken away by a watcher if the daemon
// dies (see kernel_mount.c).
#ifndef SLEEVE_KERNEL_MOUNT_H
#define SLEEVE_KERNEL_MOUNT_H

#include <stddef.h>

/**
 * Mounts with fusermount3 and `options` (its -o list), starts the watcher, and returns the /dev/fuse
 * descriptor to serve, or -1 with the reason in `why`. One mount per process.
 */
int kernel_mount(const char *mountpoint, const char *options, char *why, size_t why_size);

/** Stops serving `fuse_fd` (its number stays taken, by /dev/null, until the process exits) and takes
 *  the mount away, lazily, unless its connection was cut already (then the path is not ours any more). */
void kernel_unmount(int fuse_fd);

#endif
