// Fatal signals reported before the process dies: a mount daemon has no terminal, and one that vanished
// left nothing behind but a mount that answers ECONNABORTED. The report goes to stderr (the daemon's
// log): the signal, the faulting address, and the native stack (offsets into sleeve_fuse.node resolve
// with `addr2line -e fuse/native/build/sleeve_fuse.node`). Then the handler that was there before
// (Node's, or the default: death) takes over, by the fault happening again. A stack overflow is not
// reported: the handler would need an alternate stack on each of libfuse's threads, which it creates.
#include <execinfo.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "crash.h"

static const int SIGNALS[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define SIGNAL_COUNT (sizeof SIGNALS / sizeof *SIGNALS)
static struct sigaction previous[SIGNAL_COUNT];

static void say(const char *text) {
  ssize_t written = write(STDERR_FILENO, text, strlen(text));
  (void)written;
}

/** `value` in base `base` (10 or 16), without allocating. */
static void say_number(uintptr_t value, unsigned base) {
  char digits[24];
  size_t at = sizeof digits;
  digits[--at] = 0;
  do digits[--at] = "0123456789abcdef"[value % base]; while ((value /= base) != 0 && at > 0);
  say(digits + at);
}

// Async-signal-safe: write(2), backtrace (preloaded below), sigaction and raise only.
static void on_fatal(int sig, siginfo_t *info, void *context) {
  (void)context;
  say("sleeve-fuse: fatal signal ");
  say(sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : sig == SIGILL ? "SIGILL" : sig == SIGFPE ? "SIGFPE" : "SIGABRT");
  if (info->si_code <= 0 && info->si_pid == getpid()) {
    say(" raised by this process (abort)");
  } else if (info->si_code <= 0) {
    say(" sent by process ");
    say_number((uintptr_t)info->si_pid, 10);
  } else {
    say(" at address 0x");
    say_number((uintptr_t)info->si_addr, 16);
  }
  say("; native stack:\n");
  void *frames[64];
  backtrace_symbols_fd(frames, backtrace(frames, 64), STDERR_FILENO);
  for (size_t i = 0; i < SIGNAL_COUNT; i++)
    if (SIGNALS[i] == sig) sigaction(sig, &previous[i], NULL);
  // A fault happens again under the previous handler when this returns; a signal someone sent (kill,
  // abort()) is sent again.
  if (info->si_code <= 0) raise(sig);
}

void crash_report_install(void) {
  // Once: a second install would save this handler as its own predecessor, and loop on a crash.
  static int installed;
  if (installed) return;
  installed = 1;
  void *frame;
  backtrace(&frame, 1);  // loads libgcc's unwinder now: the first call allocates, a signal handler must not
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_fatal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < SIGNAL_COUNT; i++) sigaction(SIGNALS[i], &action, &previous[i]);
}
