// An Ogg Vorbis decoder for WebAssembly around stb_vorbis (vendor/stb_vorbis.c, public domain), fed
// through its push API from the host's byte window; samples out as planar 16-bit integers converted the
// way FFmpeg's swresample converts a float decoder's output for `fpcalc`: round half to even, saturate.
#include <stdint.h>

#define STB_VORBIS_NO_PULLDATA_API // the host pushes bytes
#define STB_VORBIS_NO_STDIO
#define STB_VORBIS_MAX_CHANNELS 8
#include <alloca.h> // stb_vorbis includes it only on the platforms it knows
#include "freestanding.c"
#pragma clang diagnostic ignored "-Wunused-function" // the pull API and seeking we leave out
#include "vendor/stb_vorbis.c"

#define EXPORT(name) __attribute__((export_name(name)))

// The three Vorbis headers must be in the window at once, and the comment header carries any cover art
// (METADATA_BLOCK_PICTURE): hence a large window. Untouched pages of it cost no memory.
enum { INPUT_CAPACITY = 16 << 20, MAX_BLOCK = 8192, ARENA = 8 << 20 };

static uint8_t input[INPUT_CAPACITY];
static int16_t output[STB_VORBIS_MAX_CHANNELS][MAX_BLOCK];
// stb_vorbis allocates everything (setup and per-frame scratch) from here.
static char arena[ARENA];
static stb_vorbis *decoder;
// The last call: bytes consumed, samples per channel, sample rate, channels.
static uint32_t frame_info[4];

EXPORT("input") uint8_t *input_buffer(void) { return input; }
EXPORT("input_capacity") uint32_t input_capacity(void) { return INPUT_CAPACITY; }
EXPORT("output") int16_t *output_buffer(void) { return &output[0][0]; }
EXPORT("max_block") uint32_t max_block(void) { return MAX_BLOCK; }
EXPORT("frame_info") uint32_t *frame_info_buffer(void) { return frame_info; }

/**
 * Reads the three Vorbis headers from input[at..len): the bytes they took, 0 when more are needed, or
 * minus stb_vorbis's error code.
 */
EXPORT("open") int32_t open(uint32_t at, uint32_t len) {
  stb_vorbis_alloc alloc = {arena, ARENA};
  int used = 0, error = 0;
  decoder = stb_vorbis_open_pushdata(input + at, (int)(len - at), &used, &error, &alloc);
  if (decoder) return used;
  return error == VORBIS_need_more_data ? 0 : -error;
}

static inline int16_t to_s16(float v) {
  float r = __builtin_rintf(v * 32768.0f); // the current rounding mode: to nearest, ties to even
  return (int16_t)(r > 32767.0f ? 32767.0f : r < -32768.0f ? -32768.0f : r);
}

/** Decodes the next audio packet in input[at..len); returns the bytes consumed, 0 when it needs more. */
EXPORT("decode_frame") uint32_t decode_frame(uint32_t at, uint32_t len) {
  int channels = 0, samples = 0;
  float **pcm = 0;
  int used = stb_vorbis_decode_frame_pushdata(decoder, input + at, (int)(len - at), &channels, &pcm, &samples);
  if (samples > MAX_BLOCK) samples = MAX_BLOCK;
  for (int c = 0; c < channels; c++)
    for (int i = 0; i < samples; i++) output[c][i] = to_s16(pcm[c][i]);
  frame_info[0] = (uint32_t)used;
  frame_info[1] = (uint32_t)samples;
  frame_info[2] = stb_vorbis_get_info(decoder).sample_rate;
  frame_info[3] = (uint32_t)channels;
  return (uint32_t)used;
}
