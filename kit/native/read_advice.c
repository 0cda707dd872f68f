// posix_fadvise, which Node does not offer, for reads that probe a file (read-advice.ts says why).
#include <fcntl.h>
#include <stdint.h>
#include <node_api.h>

// adviseRandom(fd): the kernel reads only the pages each read of fd asks for; whether it took the advice.
static napi_value advise_random(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  double fd;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_double(env, argv[0], &fd) != napi_ok || !(fd >= 0 && fd <= INT32_MAX) ||
      fd != (double)(int32_t)fd) {
    napi_throw_type_error(env, "ERR_SLEEVE_READ_ADVICE", "adviseRandom(fd): fd must be a file descriptor");
    return NULL;
  }
  napi_value result;
  int taken = posix_fadvise((int)fd, 0, 0, POSIX_FADV_RANDOM) == 0;
  if (napi_get_boolean(env, taken, &result) != napi_ok) return NULL;
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "adviseRandom", NAPI_AUTO_LENGTH, advise_random, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "adviseRandom", fn) != napi_ok)
    return NULL;
  return exports;
}
