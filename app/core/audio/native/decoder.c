// The scan's decoder: FFmpeg's libraries, the ones `fpcalc` links, decoding a track in the calling thread.
//
// One decode gives two streams. The fingerprint stream is what fpcalc feeds Chromaprint: libswresample
// configured exactly as fpcalc's reader configures it (Chromaprint's "compatible mode": mono 16-bit at
// Chromaprint's rate, filter size 16, phase shift 8, linear interpolation, cutoff 0.8), so the fingerprints are
// fpcalc's by construction. The whole stream is every sample at the track's own rate, 16-bit planar, for
// the loudness meter. Each read fills the caller's arrays with the next samples of both; JS asks again
// until it has what it needs.
//
// The input is a local file only: opened here (file_view.c, which may leave out its tags), read by the
// demuxers of the format the scanner recognised and no others, every open a demuxer asks for refused, so
// a file cannot make FFmpeg open anything else.
#include "fingerprinter.h"
#include "file_view.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

/** Messages kept per decode (JS keeps fewer still, distinct). */
#define MAX_MESSAGES 32

typedef struct {
  AVIOContext *file; // opened here, so that the demuxer's own opens can all be refused
  AVFormatContext *format;
  AVCodecContext *codec;
  AVPacket *packet;
  AVFrame *frame;
  SwrContext *to_mono;   // NULL once the fingerprint stream has all it wants
  SwrContext *to_planes; // NULL when the whole track is not wanted
  int stream;
  int rate, channels;
  int32_t mono_rate;   // Chromaprint's rate, as JS gives it
  long long mono_left; // fingerprint samples still wanted
  int draining;        // the demuxer is done: the decoder is being flushed
  int waiting;         // d->frame holds a frame the last read had no room for
  int ended;
  char *messages[MAX_MESSAGES];
  int64_t message_at[MAX_MESSAGES]; // samples decoded when each was said: where the damage is
  int message_count;
  int dropped;     // frames whose rate or channels differ from the stream's (damage)
  int64_t decoded; // samples a channel decoded so far
} Decoder;

/** The decode on this thread, for FFmpeg's log callback: each JS thread decodes one file at a time. */
static _Thread_local Decoder *logging_for;

static void keep_message(void *avcl, int level, const char *fmt, va_list args) {
  Decoder *d = logging_for;
  if (!d || level > AV_LOG_ERROR || d->message_count == MAX_MESSAGES) return;
  char line[256];
  int prefix = 1;
  av_log_format_line(avcl, level, fmt, args, line, sizeof line, &prefix);
  d->message_at[d->message_count] = d->decoded;
  d->messages[d->message_count++] = strdup(line);
}

/** Frees what a decode holds (its file among them); safe to repeat. */
static void release(Decoder *d) {
  swr_free(&d->to_mono);
  swr_free(&d->to_planes);
  av_frame_free(&d->frame);
  av_packet_free(&d->packet);
  avcodec_free_context(&d->codec);
  avformat_close_input(&d->format);
  view_close(&d->file);
  for (int i = 0; i < d->message_count; i++) free(d->messages[i]);
  d->message_count = 0;
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env, (void)hint;
  release(data);
  free(data);
}

static napi_value throw_error(napi_env env, const char *what, int err) {
  char reason[AV_ERROR_MAX_STRING_SIZE] = "";
  if (err) av_strerror(err, reason, sizeof reason);
  char message[512];
  snprintf(message, sizeof message, err ? "%s: %s" : "%s", what, reason);
  napi_throw_error(env, "DECODE", message);
  return NULL;
}

/** The fingerprint converter, set as fpcalc's FFmpegAudioReader sets its own. */
static int open_mono(Decoder *d) {
  AVChannelLayout in = {0}, mono = AV_CHANNEL_LAYOUT_MONO;
  if (d->codec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
    av_channel_layout_default(&in, d->channels);
  else if (av_channel_layout_copy(&in, &d->codec->ch_layout) < 0)
    return AVERROR(ENOMEM);
  int err = swr_alloc_set_opts2(&d->to_mono, &mono, AV_SAMPLE_FMT_S16, d->mono_rate, &in,
                                d->codec->sample_fmt, d->rate, 0, NULL);
  av_channel_layout_uninit(&in);
  if (err < 0) return err;
  av_opt_set_int(d->to_mono, "resampler", SWR_ENGINE_SWR, 0);
  av_opt_set_int(d->to_mono, "filter_size", 16, 0);
  av_opt_set_int(d->to_mono, "phase_shift", 8, 0);
  av_opt_set_int(d->to_mono, "linear_interp", 1, 0);
  av_opt_set_double(d->to_mono, "cutoff", 0.8, 0);
  return swr_init(d->to_mono);
}

/** 16-bit planes at the track's own rate: a format conversion only (rounded and clipped as swr does). */
static int open_planes(Decoder *d) {
  int err = swr_alloc_set_opts2(&d->to_planes, &d->codec->ch_layout, AV_SAMPLE_FMT_S16P, d->rate,
                                &d->codec->ch_layout, d->codec->sample_fmt, d->rate, 0, NULL);
  return err < 0 ? err : swr_init(d->to_planes);
}

/** Refuses every open a demuxer asks for (a playlist's entries, an MP4's external references). */
static int no_nested_open(AVFormatContext *s, AVIOContext **pb, const char *url, int flags,
                          AVDictionary **options) {
  (void)s, (void)pb, (void)url, (void)flags, (void)options;
  return AVERROR(EPERM);
}

/** What of the file FFmpeg reads (file_view.h). */
typedef struct {
  bool flac;
  int64_t start, end;
} ViewArgs;

static const char *open_input(Decoder *d, const char *path, const char *demuxers, const ViewArgs *view,
                              int *err) {
  d->file = view_open(path, view->flac, view->start, view->end, err);
  if (!d->file) return "cannot open the file";
  AVDictionary *options = NULL;
  av_dict_set(&options, "format_whitelist", demuxers, 0);
  if (!(d->format = avformat_alloc_context())) return *err = AVERROR(ENOMEM), "cannot open the file";
  d->format->pb = d->file;
  d->format->io_open = no_nested_open;
  *err = avformat_open_input(&d->format, NULL, NULL, &options);
  av_dict_free(&options);
  if (*err < 0) return "cannot read the file as audio";
  // Only audio is probed: a cover's picture would otherwise be decoded to learn its size (a 2.3 MB PNG
  // in a FLAC: 30 ms a file, where the rest of opening took 2). With no codec, nothing decodes it.
  for (unsigned i = 0; i < d->format->nb_streams; i++)
    if (d->format->streams[i]->codecpar->codec_type != AVMEDIA_TYPE_AUDIO)
      d->format->streams[i]->codecpar->codec_id = AV_CODEC_ID_NONE;
  if ((*err = avformat_find_stream_info(d->format, NULL)) < 0) return "cannot find the audio stream";
  const AVCodec *codec = NULL;
  d->stream = *err = av_find_best_stream(d->format, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (*err < 0) return "no audio stream";
  if (!(d->codec = avcodec_alloc_context3(codec))) return *err = AVERROR(ENOMEM), "cannot start the decoder";
  if ((*err = avcodec_parameters_to_context(d->codec, d->format->streams[d->stream]->codecpar)) < 0)
    return "cannot start the decoder";
  d->codec->request_sample_fmt = AV_SAMPLE_FMT_S16; // as fpcalc asks
  d->codec->thread_count = 1;                       // the scan runs a decode per core already
  if ((*err = avcodec_open2(d->codec, codec, NULL)) < 0) return "cannot start the decoder";
  d->rate = d->codec->sample_rate;
  d->channels = d->codec->ch_layout.nb_channels;
  *err = 0;
  if (d->rate <= 0 || d->channels <= 0) return "the audio stream claims no sample rate or no channels";
  return NULL;
}

static napi_value arg_string(napi_env env, napi_value v, char *out, size_t size, size_t *len) {
  bool is_buffer = false;
  napi_is_buffer(env, v, &is_buffer);
  if (!is_buffer) return napi_get_value_string_utf8(env, v, out, size, len) == napi_ok ? v : NULL;
  void *data;
  if (napi_get_buffer_info(env, v, &data, len) != napi_ok || *len >= size) return NULL;
  memcpy(out, data, *len);
  out[*len] = 0;
  return memchr(out, 0, *len) ? NULL : v;
}

/** The view's arguments: flac (whether to skip a FLAC's metadata after its STREAMINFO), start and end
 *  (-1: the file's end). */
static bool view_args(napi_env env, const napi_value *argv, ViewArgs *view) {
  return napi_get_value_bool(env, argv[0], &view->flac) == napi_ok &&
         napi_get_value_int64(env, argv[1], &view->start) == napi_ok && view->start >= 0 &&
         napi_get_value_int64(env, argv[2], &view->end) == napi_ok && view->end >= -1;
}

/** open(path: string | Buffer, demuxers: string, flac: boolean, start: number, end: number) →
 *  { handle, sampleRate, channels }: the stream found in bytes [start, end) of the file (end -1: its end;
 *  flac: after the file's STREAMINFO block) and its decoder started; nothing is converted until convert(). */
static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 5, len;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[4097], demuxers[256];
  ViewArgs view = {0};
  if (argc < 5 || !arg_string(env, argv[0], path, sizeof path, &len) ||
      !arg_string(env, argv[1], demuxers, sizeof demuxers, &len) || !view_args(env, argv + 2, &view)) {
    napi_throw_type_error(env, NULL, "open(path, demuxers, flac, start, end)");
    return NULL;
  }
  Decoder *d = calloc(1, sizeof *d);
  if (!d) return throw_error(env, "out of memory", 0);
  // What FFmpeg says while opening is not kept: it is about the tags and pictures the scanner has
  // already judged (a cover's odd MIME type), and a failure comes back as this call's error.
  int err = 0;
  const char *failed = open_input(d, path, demuxers, &view, &err);
  if (!failed && (!(d->packet = av_packet_alloc()) || !(d->frame = av_frame_alloc())))
    failed = "out of memory";
  if (failed) {
    release(d);
    free(d);
    return throw_error(env, failed, err);
  }
  napi_value result, handle, v;
  napi_create_object(env, &result);
  napi_create_external(env, d, finalize, NULL, &handle);
  napi_set_named_property(env, result, "handle", handle);
  napi_create_int32(env, d->rate, &v);
  napi_set_named_property(env, result, "sampleRate", v);
  napi_create_int32(env, d->channels, &v);
  napi_set_named_property(env, result, "channels", v);
  return result;
}

static Decoder *handle_arg(napi_env env, napi_value value, const char *usage) {
  Decoder *d = NULL;
  if (napi_get_value_external(env, value, (void **)&d) != napi_ok || !d) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  if (!d->format) {
    throw_error(env, "the decode is closed", 0);
    return NULL;
  }
  return d;
}

/** convert(handle, monoRate, monoSamples, whole): what the reads give, `monoSamples` of the fingerprint
 *  stream at `monoRate` and, if `whole`, every sample at the track's rate. Called once the stream's rate
 *  and channels are known to be plausible: a converter for a rate no audio has would be huge. */
static napi_value js_convert(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  const char *usage = "convert(handle, monoRate, monoSamples, whole)";
  Decoder *d = argc < 4 ? NULL : handle_arg(env, argv[0], usage);
  if (!d) return NULL;
  double mono_samples;
  bool whole;
  if (napi_get_value_int32(env, argv[1], &d->mono_rate) != napi_ok || d->mono_rate <= 0 ||
      napi_get_value_double(env, argv[2], &mono_samples) != napi_ok ||
      napi_get_value_bool(env, argv[3], &whole) != napi_ok || d->to_mono || d->to_planes) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  d->mono_left = mono_samples > 0 ? (long long)mono_samples : 0;
  int err = 0;
  if (d->mono_left > 0) err = open_mono(d);
  if (err >= 0 && whole) err = open_planes(d);
  if (err < 0) return throw_error(env, "cannot convert this audio", err);
  return NULL;
}

/** Where a read writes: the caller's arrays (JS reuses them from read to read, so that a decode
 *  allocates no memory per block), viewed for the call. `planes` holds each channel's run of `capacity`
 *  samples one after the other. */
typedef struct {
  int16_t *mono;
  size_t mono_length, mono_capacity;
  int16_t *planes;
  size_t plane_length, plane_capacity;
  int channels;
  // Set when the frame waiting does not fit even into empty arrays: the sizes it needs.
  size_t need_mono, need_planes;
} Block;

/** Converts `frame` (NULL: the converter's remainder at the end) into the fingerprint stream. */
static int to_mono(Decoder *d, Block *b, const AVFrame *frame) {
  int in = frame ? frame->nb_samples : 0;
  uint8_t *out = (uint8_t *)(b->mono + b->mono_length);
  int n = swr_convert(d->to_mono, &out, (int)(b->mono_capacity - b->mono_length),
                      frame ? (const uint8_t **)frame->extended_data : NULL, in);
  if (n < 0) return n;
  b->mono_length += n;
  d->mono_left -= n;
  if (d->mono_left <= 0 || !frame) swr_free(&d->to_mono); // fpcalc stops there too
  return 0;
}

static int to_planes(Decoder *d, Block *b, const AVFrame *frame) {
  uint8_t *out[256];
  for (int c = 0; c < d->channels; c++)
    out[c] = (uint8_t *)(b->planes + c * b->plane_capacity + b->plane_length);
  int n = swr_convert(d->to_planes, out, frame->nb_samples, (const uint8_t **)frame->extended_data,
                      frame->nb_samples);
  if (n < 0) return n;
  b->plane_length += n;
  return 0;
}

/** Whether converting `frame` (NULL: the end) fits in what is left of the arrays. */
static int fits(Decoder *d, Block *b, const AVFrame *frame) {
  size_t mono = d->to_mono ? (size_t)swr_get_out_samples(d->to_mono, frame ? frame->nb_samples : 0) : 0;
  // Never more of the fingerprint stream than is still wanted: a damaged header claiming 2 Hz makes each
  // sample 5,512 outputs (a 4,096-sample frame, 45 MB). swr keeps the input it had no room to convert.
  if (d->to_mono && mono > (size_t)d->mono_left) mono = (size_t)d->mono_left;
  size_t planes = d->to_planes && frame ? (size_t)frame->nb_samples : 0;
  if (b->mono_length + mono <= b->mono_capacity && b->plane_length + planes <= b->plane_capacity) return 1;
  if (b->mono_length == 0 && b->plane_length == 0) b->need_mono = mono, b->need_planes = planes;
  return 0;
}

/** The next decoded frame into d->frame: 1, 0 at the end, or an error. Damaged packets and frames are
 *  skipped (FFmpeg says why, which keep_message keeps); a frame whose rate or channel count differs from
 *  the stream's comes from a damaged header (a real file does not change mid-stream) and is dropped. */
static int next_frame(Decoder *d) {
  for (;;) {
    int err = avcodec_receive_frame(d->codec, d->frame);
    if (err == 0) {
      if (d->frame->sample_rate == d->rate && d->frame->ch_layout.nb_channels == d->channels) return 1;
      d->dropped++;
      continue;
    }
    if (err == AVERROR_EOF) return 0;
    if (err != AVERROR(EAGAIN)) {
      if (err == AVERROR(ENOMEM)) return err;
      continue; // a frame that failed to decode
    }
    if (d->draining) return 0;
    err = av_read_frame(d->format, d->packet);
    if (err == AVERROR_EOF) {
      d->draining = 1;
      avcodec_send_packet(d->codec, NULL);
      continue;
    }
    if (err < 0) return err;
    if (d->packet->stream_index == d->stream) {
      err = avcodec_send_packet(d->codec, d->packet);
      if (err == AVERROR(ENOMEM)) return av_packet_unref(d->packet), err;
    }
    av_packet_unref(d->packet);
  }
}

/** Decodes into the arrays until the next frame does not fit (it waits in d->frame for the next read)
 *  or nothing more is wanted. */
static int fill(Decoder *d, Block *b) {
  while (!d->ended) {
    if (!d->to_mono && !d->to_planes) {
      d->ended = 1;
      break;
    }
    if (!d->waiting) {
      int got = next_frame(d);
      if (got < 0) return got;
      if (got == 0) {
        // The end: what the fingerprint converter still holds, then nothing.
        if (d->to_mono && !fits(d, b, NULL)) return 0;
        d->ended = 1;
        return d->to_mono ? to_mono(d, b, NULL) : 0;
      }
      d->waiting = 1;
      d->decoded += d->frame->nb_samples;
    }
    if (!fits(d, b, d->frame)) return 0;
    int err = 0;
    if (d->to_mono) err = to_mono(d, b, d->frame);
    if (err >= 0 && d->to_planes) err = to_planes(d, b, d->frame);
    av_frame_unref(d->frame);
    d->waiting = 0;
    if (err < 0) return err;
  }
  return 0;
}

/** An Int16Array argument's memory and length; NULL with no array (null or undefined). */
static int16_t *samples_arg(napi_env env, napi_value value, size_t *length) {
  napi_typedarray_type type;
  void *data = NULL;
  *length = 0;
  if (napi_get_typedarray_info(env, value, &type, length, &data, NULL, NULL) != napi_ok ||
      type != napi_int16_array) {
    *length = 0;
    return NULL;
  }
  return data;
}

/** read(handle, mono: Int16Array | null, planes: Int16Array | null) → { mono: number, planes: number,
 *  ended: boolean, need?: [number, number], messages?: string[], messageTimes?: number[],
 *  dropped: number, error?: string }: decodes into the arrays (mono: the fingerprint stream; planes: each
 *  channel's samples, channel c from c × planes.length / channels) and says how many samples each got;
 *  `need`: the next frame needs arrays of these sizes; `error`: why the decode cannot go on. Each message
 *  comes with the seconds of audio decoded when FFmpeg said it. */
static napi_value js_read(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  Decoder *d = argc < 3 ? NULL : handle_arg(env, argv[0], "read(handle, mono, planes)");
  if (!d) return NULL;
  Block b = {.channels = d->channels};
  b.mono = samples_arg(env, argv[1], &b.mono_capacity);
  b.planes = samples_arg(env, argv[2], &b.plane_capacity);
  b.plane_capacity /= d->channels;
  if ((d->to_mono && !b.mono) || (d->to_planes && !b.planes)) {
    napi_throw_type_error(env, NULL, "read: an Int16Array for each stream asked for");
    return NULL;
  }
  logging_for = d;
  int err = fill(d, &b);
  logging_for = NULL;
  napi_value result, v;
  napi_create_object(env, &result);
  napi_create_uint32(env, (uint32_t)b.mono_length, &v);
  napi_set_named_property(env, result, "mono", v);
  napi_create_uint32(env, (uint32_t)b.plane_length, &v);
  napi_set_named_property(env, result, "planes", v);
  if (b.need_mono || b.need_planes) {
    napi_value need, n;
    napi_create_array_with_length(env, 2, &need);
    napi_create_uint32(env, (uint32_t)b.need_mono, &n);
    napi_set_element(env, need, 0, n);
    napi_create_uint32(env, (uint32_t)b.need_planes, &n);
    napi_set_element(env, need, 1, n);
    napi_set_named_property(env, result, "need", need);
  }
  if (err < 0) {
    char reason[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(err, reason, sizeof reason);
    napi_create_string_utf8(env, reason, NAPI_AUTO_LENGTH, &v);
    napi_set_named_property(env, result, "error", v);
    d->ended = 1;
  }
  napi_get_boolean(env, d->ended, &v);
  napi_set_named_property(env, result, "ended", v);
  napi_create_int32(env, d->dropped, &v);
  napi_set_named_property(env, result, "dropped", v);
  if (d->message_count) {
    napi_value times;
    napi_create_array_with_length(env, d->message_count, &v);
    napi_create_array_with_length(env, d->message_count, &times);
    for (int i = 0; i < d->message_count; i++) {
      napi_value line, at;
      napi_create_string_utf8(env, d->messages[i], NAPI_AUTO_LENGTH, &line);
      napi_set_element(env, v, i, line);
      napi_create_double(env, (double)d->message_at[i] / d->rate, &at);
      napi_set_element(env, times, i, at);
      free(d->messages[i]);
    }
    d->message_count = 0;
    napi_set_named_property(env, result, "messages", v);
    napi_set_named_property(env, result, "messageTimes", times);
  }
  return result;
}

/** close(handle): the file and the decoder's memory go now, not when the handle is collected. */
static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Decoder *d = NULL;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc >= 1 && napi_get_value_external(env, argv[0], (void **)&d) == napi_ok && d) release(d);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  av_log_set_callback(keep_message);
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
      {"convert", NULL, js_convert, NULL, NULL, NULL, napi_default, NULL},
      {"read", NULL, js_read, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof *props, props);
  define_fingerprinter(env, exports);
  return exports;
}

NAPI_MODULE(sleeve_audio, init)
