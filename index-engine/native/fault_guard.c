// A search reads a segment's blocks where the kernel maps them, and a page it cannot read (the disk fails
// it, or the file was cut short under the mapping) raises SIGBUS in the reading thread, whose default is
// the end of the whole process: a scan, or an index server that serves every library. The posting scan
// is therefore run under a handler that, for a fault inside the segment's mapping on a thread scanning
// it, jumps back out of the scan with an error the engine handles as damage (the index is set aside and
// made again). The scan writes only its hit tables, in the heap, whose every update completes before the
// next read of a block; nothing in it takes a lock or allocates around such a read but the table's
// growth, which reads no block. Anything else goes to the handler installed before this one.
#define _GNU_SOURCE
#include "fault_guard.h"
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>

/** This thread's scan under way: where to jump back to and the mapping it reads; NULL jump if none.
 *  Initial-exec: the handler may run on a thread that never scanned, where a lazily allocated block
 *  (the dynamic model's, in a library loaded with dlopen) would call malloc inside a signal handler. */
#define THREAD_SLOT static _Thread_local __attribute__((tls_model("initial-exec")))
THREAD_SLOT sigjmp_buf *volatile guard_jump;
THREAD_SLOT const char *guard_from, *guard_to;

static struct sigaction before;
static pthread_once_t installed = PTHREAD_ONCE_INIT;
static int install_failed;

static void on_sigbus(int sig, siginfo_t *info, void *context) {
  sigjmp_buf *jump = guard_jump;
  const char *at = info->si_addr;
  // si_code > 0: raised by the kernel for an access, not sent by a process.
  if (jump && info->si_code > 0 && at >= guard_from && at < guard_to) {
    guard_jump = NULL;
    siglongjmp(*jump, 1);
  }
  if (before.sa_flags & SA_SIGINFO) {
    before.sa_sigaction(sig, info, context);
  } else if (before.sa_handler != SIG_IGN && before.sa_handler != SIG_DFL) {
    before.sa_handler(sig);
  } else if (before.sa_handler == SIG_IGN && info->si_code <= 0) {
    // Sent by a process, and ignored before: ignored still.
  } else {
    // As if this handler had never been: the default ends the process once the signal, raised again,
    // is unblocked as this returns (the kernel never lets a fault's SIGBUS be ignored either).
    signal(sig, SIG_DFL);
    raise(sig);
  }
}

static void install(void) {
  struct sigaction action = {.sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO | SA_ONSTACK};
  sigemptyset(&action.sa_mask);
  install_failed = sigaction(SIGBUS, &action, &before) != 0;
}

int scan_blocks_guarded(const void *map, size_t bytes, const BlockSegment *s, HitCounter *c) {
  pthread_once(&installed, install);
  if (install_failed) return scan_blocks(s, c);  // unguarded, as before: a fault ends the process
  sigjmp_buf jump;
  if (sigsetjmp(jump, 1)) return SCAN_UNREADABLE;  // the signal mask as it was here, SIGBUS unblocked
  guard_from = map;
  guard_to = (const char *)map + bytes;
  guard_jump = &jump;
  const int read = scan_blocks(s, c);
  guard_jump = NULL;
  return read;
}
