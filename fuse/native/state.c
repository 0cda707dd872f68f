// The one mount this process serves (the daemon serves one library).
#include "state.h"

struct sleeve_state S = {
    .snap_lock = PTHREAD_MUTEX_INITIALIZER,
    .pending_lock = PTHREAD_MUTEX_INITIALIZER,
    .writers_lock = PTHREAD_MUTEX_INITIALIZER,
    .layouts_lock = PTHREAD_MUTEX_INITIALIZER,
    .notice_lock = PTHREAD_MUTEX_INITIALIZER,
    .notice_cond = PTHREAD_COND_INITIALIZER,
};
