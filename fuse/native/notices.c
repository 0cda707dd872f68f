// The notify thread's queue (notices.h).
#include "state.h"
#include "notices.h"

void notice_queue(notice_t *n) {
  pthread_mutex_lock(&S.notice_lock);
  if (!S.notices_tail) S.notices_tail = &S.notices;
  *S.notices_tail = n;
  S.notices_tail = &n->next;
  pthread_cond_signal(&S.notice_cond);
  pthread_mutex_unlock(&S.notice_lock);
}
