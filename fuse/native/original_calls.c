// Calls on originals made on libfuse's threads (an open, a stat, a read), counted by the original's
// device. A call on a file system that stopped answering (a network share whose server went away) cannot
// be cancelled, and libfuse has 16 threads (napi.c): a player opening or reading 16 files there would take
// them all, and the whole mount would stop answering. So at most CALLS_PER_DEVICE threads may be in a call
// on one device; past that a request waits for one of them only while they are not slow, and once a call
// has been in flight past the deadline (the daemon's file deadline, as JS's file lanes use) the device's
// requests fail at once with EIO, said once in the log, until its stuck calls return.
// The table's lock is held only to count, never across a call on an original.
#include <time.h>

#include "original_calls.h"
#include "forward.h"

/** Threads one device may hold in calls at once: the other 12 answer everything else. */
#define CALLS_PER_DEVICE 4
/** How long the device's oldest call may run before a request finding all its calls taken fails rather
 *  than waits: a disk that answers takes milliseconds; waiting longer would hold threads on a share that
 *  stopped, as many as come. */
#define SLOW_NS 1000000000ull
/** Devices with calls in flight at once at most: more than the threads that make calls (libfuse's 16 and
 *  the notify thread), so the table is never full. */
#define DEVICES 32

typedef struct {
  uint64_t dev;
  unsigned calls;                    // in flight; the entry is free at 0
  uint64_t since[CALLS_PER_DEVICE];  // when each call began (CLOCK_MONOTONIC ns), 0 for no call
  int said;                          // this stall is in the log
} device_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ended;  // a call ended (CLOCK_MONOTONIC for its timed waits)
static unsigned waiting;      // threads waiting for `ended`
static device_t devices[DEVICES];
static uint64_t deadline_ns = 10000000000ull;

void original_calls_start(double deadline_seconds) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&ended, &attr);
  pthread_condattr_destroy(&attr);
  deadline_ns = (uint64_t)(deadline_seconds * 1e9);
}

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/** The device's entry, or a free one taken for it; NULL if none is free (see DEVICES). */
static device_t *device_locked(uint64_t dev) {
  device_t *free_one = NULL;
  for (device_t *d = devices; d < devices + DEVICES; d++) {
    if (d->calls > 0 && d->dev == dev) return d;
    if (d->calls == 0 && !free_one) free_one = d;
  }
  if (free_one) free_one->dev = dev, free_one->said = 0;
  return free_one;
}

/** When the device's oldest call in flight began; 0 when none is. */
static uint64_t oldest_locked(const device_t *d) {
  uint64_t oldest = 0;
  for (int i = 0; i < CALLS_PER_DEVICE; i++)
    if (d->since[i] && (!oldest || d->since[i] < oldest)) oldest = d->since[i];
  return oldest;
}

int original_call_begin(const layout_t *l, const char *what, int may_wait, original_call_t *call) {
  uint64_t now, oldest = 0;
  device_t *d;
  int say = 0;
  pthread_mutex_lock(&lock);
  now = now_ns();  // under the lock: never before a call another thread began (now - oldest would wrap)
  for (;;) {
    d = device_locked(l->orig_dev);  // again after a wait: the entry may have been freed and reused
    if (!d) break;
    oldest = oldest_locked(d);
    if (oldest && now - oldest >= deadline_ns) break;
    if (d->calls < CALLS_PER_DEVICE) {
      int slot = 0;
      while (d->since[slot]) slot++;
      d->since[slot] = now;
      d->calls++;
      *call = (original_call_t){(int)(d - devices), slot};
      pthread_mutex_unlock(&lock);
      return 0;
    }
    if (!may_wait || now - oldest >= SLOW_NS) break;
    uint64_t until = oldest + SLOW_NS;
    struct timespec at = {.tv_sec = (time_t)(until / 1000000000ull), .tv_nsec = (long)(until % 1000000000ull)};
    waiting++;
    pthread_cond_timedwait(&ended, &lock, &at);
    waiting--;
    now = now_ns();
  }
  // Said once a stall is sure: a request left out of a store only (the notify thread's) is not one.
  if (d && !d->said && now - oldest >= SLOW_NS) say = d->said = 1;
  pthread_mutex_unlock(&lock);
  if (say)
    log_line("EIO %s: %s %s: its file system has not answered for %.0f s (a network share or disk that "
             "stopped answering?); its files fail at once until it answers",
             l->path, what, l->orig_path, (double)(now - oldest) / 1e9);
  return EIO;
}

void original_call_end(original_call_t call) {
  pthread_mutex_lock(&lock);
  uint64_t now = now_ns();
  device_t *d = &devices[call.device];
  // A slow call that returns ends the stall: the next one is said again.
  if (now - d->since[call.slot] >= SLOW_NS) d->said = 0;
  d->since[call.slot] = 0;
  d->calls--;
  if (waiting) pthread_cond_broadcast(&ended);
  pthread_mutex_unlock(&lock);
}
