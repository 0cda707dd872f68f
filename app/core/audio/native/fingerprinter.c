// Chromaprint, the library `fpcalc` links, fed from JS with the decoder's fingerprint stream.
#include "fingerprinter.h"
#include <chromaprint.h>
#include <string.h>

static void finalize(napi_env env, void *data, void *hint) {
  (void)env, (void)hint;
  ChromaprintContext **ctx = data;
  if (*ctx) chromaprint_free(*ctx);
  free(ctx);
}

/** The session of args[0]; NULL (a TypeError thrown) when it is not one, or already finished. */
static ChromaprintContext **session_arg(napi_env env, napi_value value, const char *usage) {
  ChromaprintContext **ctx = NULL;
  if (napi_get_value_external(env, value, (void **)&ctx) != napi_ok || !ctx || !*ctx) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  return ctx;
}

/** start(sampleRate, channels) → session: Chromaprint's default algorithm, the one AcoustID uses. */
static napi_value js_start(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], handle;
  int32_t rate, channels;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || napi_get_value_int32(env, argv[0], &rate) != napi_ok ||
      napi_get_value_int32(env, argv[1], &channels) != napi_ok) {
    napi_throw_type_error(env, NULL, "start(sampleRate, channels)");
    return NULL;
  }
  ChromaprintContext **ctx = malloc(sizeof *ctx);
  if (!ctx || !(*ctx = chromaprint_new(CHROMAPRINT_ALGORITHM_DEFAULT))) {
    free(ctx);
    napi_throw_error(env, NULL, "chromaprint: out of memory");
    return NULL;
  }
  if (!chromaprint_start(*ctx, rate, channels)) {
    finalize(env, ctx, NULL);
    napi_throw_error(env, NULL, "chromaprint: cannot start at this rate and channel count");
    return NULL;
  }
  napi_create_external(env, ctx, finalize, NULL, &handle);
  return handle;
}

/** feed(session, Int16Array): interleaved samples. */
static napi_value js_feed(napi_env env, napi_callback_info info) {
  size_t argc = 2, length;
  napi_value argv[2];
  napi_typedarray_type type;
  void *data;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  ChromaprintContext **ctx = argc < 2 ? NULL : session_arg(env, argv[0], "feed(session, samples)");
  if (!ctx) return NULL;
  if (napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_int16_array) {
    napi_throw_type_error(env, NULL, "feed(session, samples: Int16Array)");
    return NULL;
  }
  if (length > 0 && !chromaprint_feed(*ctx, data, (int)length))
    napi_throw_error(env, NULL, "chromaprint: feed failed");
  return NULL;
}

/** finish(session) → { raw: Uint32Array, compressed: string } (what fpcalc prints), and frees it. */
static napi_value js_finish(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result = NULL, v;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  ChromaprintContext **ctx = argc < 1 ? NULL : session_arg(env, argv[0], "finish(session)");
  if (!ctx) return NULL;
  uint32_t *raw = NULL;
  int size = 0;
  char *compressed = NULL;
  if (!chromaprint_finish(*ctx) || !chromaprint_get_raw_fingerprint(*ctx, &raw, &size) ||
      !chromaprint_get_fingerprint(*ctx, &compressed)) {
    napi_throw_error(env, NULL, "chromaprint: cannot finish the fingerprint");
  } else {
    void *bytes;
    napi_value buffer;
    napi_create_object(env, &result);
    napi_create_arraybuffer(env, (size_t)size * 4, &bytes, &buffer);
    if (size) memcpy(bytes, raw, (size_t)size * 4);
    napi_create_typedarray(env, napi_uint32_array, size, buffer, 0, &v);
    napi_set_named_property(env, result, "raw", v);
    napi_create_string_latin1(env, compressed, NAPI_AUTO_LENGTH, &v);
    napi_set_named_property(env, result, "compressed", v);
  }
  chromaprint_dealloc(raw);
  chromaprint_dealloc(compressed);
  chromaprint_free(*ctx);
  *ctx = NULL;
  return result;
}

/** close(session): frees a session not finished (a no-op on one that was). */
static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  ChromaprintContext **ctx = NULL;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc >= 1 && napi_get_value_external(env, argv[0], (void **)&ctx) == napi_ok && ctx && *ctx) {
    chromaprint_free(*ctx);
    *ctx = NULL;
  }
  return NULL;
}

void define_fingerprinter(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"fingerprintStart", NULL, js_start, NULL, NULL, NULL, napi_default, NULL},
      {"fingerprintFeed", NULL, js_feed, NULL, NULL, NULL, napi_default, NULL},
      {"fingerprintFinish", NULL, js_finish, NULL, NULL, NULL, napi_default, NULL},
      {"fingerprintClose", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof *props, props);
}
