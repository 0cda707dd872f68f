// The kernel mount, made without fork(). libfuse mounts by forking this process and calling setenv() (so
// malloc) in the child before it execs fusermount3. This process has many threads (Node's, V8's, SQLite's,
// the binding's), and a lock one of them held at the fork stays held in the child, which then waits
// forever: under AddressSanitizer a daemon hung so at about one start in 80. posix_spawn's child only
// execs. fusermount3 sends the /dev/fuse descriptor back over a socket named in _FUSE_COMMFD, and libfuse
// serves it as /dev/fd/N.
//
// A mount whose daemon died answers ENOTCONN until someone unmounts it. fusermount3's auto_unmount would,
// but only for root: for a user it checks the dead mount as root, who may not open a user's mount, and
// leaves it (libfuse issues 586 and 1491). So a watcher of our own, a shell run as the daemon's user, waits
// for the end of a pipe only the daemon holds open, and unmounts if the mount point is dead by then. One
// path for root and users alike, so the tests, run as root, check the one users get.
#define _GNU_SOURCE
#include "kernel_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char mounted_at[4096];
// The watcher's pipe, open for as long as the daemon lives: its closing, however the daemon ends, is the
// watcher's signal. It then lists the mount point: a dead mount fails with ENOTCONN, a plain folder (after a
// clean unmount) or a new mount there answers. A stat would not do: the pipe may close before the
// connection is cut, and a stat answered from the kernel's attribute cache then succeeds.
static int watch_fd = -1;
static const char WATCHER[] = "trap '' INT TERM HUP; read -r _ <&3; "
                              "ls -- \"$1\" >/dev/null 2>&1 || exec fusermount3 -u -q -z -- \"$1\"";

/** Whether `entry` (NAME=value) sets a variable not meant for the tools this process starts: a stale
 *  _FUSE_COMMFD, or the sanitizer runtime preloaded into a test's daemon (npm run test:sanitize). */
static int withheld(const char *entry) {
  static const char *const NAMES[] = {"_FUSE_COMMFD=", "LD_PRELOAD=", "ASAN_OPTIONS=", "UBSAN_OPTIONS="};
  for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++)
    if (strncmp(entry, NAMES[i], strlen(NAMES[i])) == 0) return 1;
  return 0;
}

/** The environment for a tool, with _FUSE_COMMFD=`comm_fd` if >= 0; free() it. */
static char **environment(int comm_fd, char comm[32]) {
  size_t n = 0;
  while (environ[n]) n++;
  char **env = calloc(n + 2, sizeof *env);
  if (!env) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!withheld(environ[i])) env[k++] = environ[i];
  if (comm_fd >= 0) {
    snprintf(comm, 32, "_FUSE_COMMFD=%d", comm_fd);
    env[k++] = comm;
  }
  return env;
}

/** Starts `file` (searched in PATH) with the tools' environment, every signal at its default and
 *  unblocked (Node ignores SIGPIPE), `flags` added. Returns its pid, or -1 with errno set. */
static pid_t spawn(const char *file, char *const argv[], const posix_spawn_file_actions_t *actions, int comm_fd,
                   short flags) {
  char comm[32];
  char **env = environment(comm_fd, comm);
  if (!env) return -1;
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | flags);
  pid_t pid;
  int rc = posix_spawnp(&pid, file, actions, &attr, argv, env);
  posix_spawnattr_destroy(&attr);
  free(env);
  if (rc != 0) errno = rc;
  return rc == 0 ? pid : -1;
}

/** Starts fusermount3 with `argv`, its stderr into `err_fd` (if >= 0) and `comm_fd` open in it as
 *  _FUSE_COMMFD (if >= 0). Returns its pid, or -1 with errno set. */
static pid_t spawn_fusermount(char *const argv[], int comm_fd, int err_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // A dup2 onto itself clears close-on-exec in the child only (glibc >= 2.29, POSIX.1-2024).
  if (comm_fd >= 0) posix_spawn_file_actions_adddup2(&actions, comm_fd, comm_fd);
  if (err_fd >= 0) posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  pid_t pid = spawn("fusermount3", argv, &actions, comm_fd, 0);
  int saved = errno;
  posix_spawn_file_actions_destroy(&actions);
  errno = saved;
  return pid;
}

/** Starts the watcher (see the top) on `pipe_in` as its fd 3, in a session of its own so a terminal's
 *  Ctrl-C to a foreground daemon's group does not end it. Returns 0, or an errno. */
static int spawn_watcher(int pipe_in) {
  char *argv[] = {"sh", "-c", (char *)WATCHER, "sleeve-mount-watcher", mounted_at, NULL};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_in, 3);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = spawn("/bin/sh", argv, &actions, -1, POSIX_SPAWN_SETSID);
  int rc = pid < 0 ? errno : 0;
  posix_spawn_file_actions_destroy(&actions);
  return rc;
}

static void wait_for(pid_t pid, int *status) {
  while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
  }
}

/** The descriptor sent over `sock` (SCM_RIGHTS), close-on-exec; -1 if it closed without one. */
static int receive_fd(int sock) {
  char byte;
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
  } control;
  struct msghdr msg = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
  ssize_t got;
  do got = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (got < 0 && errno == EINTR);
  struct cmsghdr *c = got > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
  if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
    return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

/** Why fusermount3 (exited with `status`) did not mount: its own words from `said`, or its exit. */
static void explain_failure(int said, int status, char *why, size_t why_size) {
  char text[1024];
  ssize_t got = read(said, text, sizeof text - 1);  // it has exited: what it wrote is all there
  while (got > 0 && (text[got - 1] == '\n' || text[got - 1] == ' ')) got--;
  if (got > 0) {
    text[got] = 0;
    snprintf(why, why_size, "%s", text);
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    snprintf(why, why_size, "fusermount3 exited without handing over the mount");
  else if (WIFEXITED(status))
    snprintf(why, why_size, "fusermount3 failed with exit code %d", WEXITSTATUS(status));
  else
    snprintf(why, why_size, "fusermount3 ended without mounting");
}

static void unmount_at(const char *mountpoint) {
  // As root, directly; otherwise (EPERM) as libfuse does, by fusermount3, which may unmount its user's.
  if (umount2(mountpoint, MNT_DETACH | UMOUNT_NOFOLLOW) != 0 && errno != EINVAL && errno != ENOENT) {
    char *argv[] = {"fusermount3", "-u", "-q", "-z", "--", (char *)mountpoint, NULL};
    pid_t pid = spawn_fusermount(argv, -1, -1);
    if (pid > 0) wait_for(pid, NULL);
  }
}

/** Asks fusermount3 to mount; the descriptor it sends, or -1 with the reason in `why`. */
static int fusermount(const char *mountpoint, const char *options, char *why, size_t why_size) {
  int sock[2], said[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) != 0) {
    snprintf(why, why_size, "socketpair: %s", strerror(errno));
    return -1;
  }
  if (pipe2(said, O_CLOEXEC) != 0) {
    snprintf(why, why_size, "pipe: %s", strerror(errno));
    close(sock[0]), close(sock[1]);
    return -1;
  }
  char *argv[] = {"fusermount3", "-o", (char *)options, "--", (char *)mountpoint, NULL};
  pid_t pid = spawn_fusermount(argv, sock[1], said[1]);
  int spawn_errno = errno;
  close(sock[1]), close(said[1]);
  int fd = pid < 0 ? -1 : receive_fd(sock[0]);
  close(sock[0]);
  if (pid < 0)
    snprintf(why, why_size, "cannot start fusermount3: %s", strerror(spawn_errno));
  else {
    int status = 0;
    wait_for(pid, &status);  // it exits once it has sent the descriptor (no auto_unmount: see kernel_mount)
    if (fd < 0) explain_failure(said[0], status, why, why_size);
    // Mounted, but the descriptor did not arrive (out of descriptors?): nobody would serve that mount.
    if (fd < 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) unmount_at(mountpoint);
  }
  close(said[0]);
  return fd;
}

int kernel_mount(const char *mountpoint, const char *options, char *why, size_t why_size) {
  if (strlen(mountpoint) >= sizeof mounted_at) {
    snprintf(why, why_size, "the mount point's path is too long");
    return -1;
  }
  // With it fusermount3 would stay, and open the mount point once the socket closes: a request this
  // thread, waiting for fusermount3 to exit, could never answer. The watcher does its work.
  if (strstr(options, "auto_unmount")) {
    snprintf(why, why_size, "auto_unmount is not a mount option here: the binding's watcher unmounts");
    return -1;
  }
  int watch[2];
  if (pipe2(watch, O_CLOEXEC) != 0) {
    snprintf(why, why_size, "pipe: %s", strerror(errno));
    return -1;
  }
  // The watcher first: a daemon killed the moment after fusermount3 mounted leaves no dead mount. If no
  // mount comes, it finds a plain folder when the pipe closes below, and exits.
  strcpy(mounted_at, mountpoint);
  int rc = spawn_watcher(watch[0]);
  close(watch[0]);
  watch_fd = watch[1];
  int fd = -1;
  if (rc != 0)
    snprintf(why, why_size, "cannot start the watcher that unmounts after a crash (/bin/sh): %s", strerror(rc));
  else
    fd = fusermount(mountpoint, options, why, why_size);
  if (fd < 0) {
    close(watch_fd);
    watch_fd = -1;
    mounted_at[0] = 0;
  }
  return fd;
}

void kernel_unmount(int fuse_fd) {
  int cut = 0;
  if (fuse_fd >= 0) {
    // A connection cut already (the mount taken away from outside, or aborted) means whatever is mounted
    // at the path now is someone else's: left alone, as libfuse does.
    struct pollfd p = {.fd = fuse_fd, .events = 0};
    cut = poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
    // libfuse's workers and notifier still hold the number until the process exits: it stays taken, by
    // /dev/null, so that nothing they write reaches a file opened later.
    int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (nul < 0 || dup3(nul, fuse_fd, O_CLOEXEC) < 0) close(fuse_fd);
    if (nul >= 0) close(nul);
  }
  if (mounted_at[0] && !cut) unmount_at(mounted_at);
  if (watch_fd >= 0) close(watch_fd);  // the watcher finds a plain folder, and exits
  watch_fd = -1;
  mounted_at[0] = 0;
}
