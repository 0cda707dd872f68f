// An Ogg Vorbis decoder for WebAssembly around stb_vorbis (vendor/stb_vorbis.c, public domain), fed
// through its push API from the host's byte window; samples out as planar 16-bit integers converted the
// way FFmpeg's swresample converts a float decoder's output for `fpcalc`: round half to even, saturate.
#include "codec.h"

#define STB_VORBIS_NO_PULLDATA_API // the host pushes bytes
#define STB_VORBIS_NO_STDIO
#define STB_VORBIS_MAX_CHANNELS 8
#include <alloca.h> // stb_vorbis includes it only on the platforms it knows
#include "freestanding.c"
#pragma clang diagnostic ignored "-Wunused-function" // the pull API and seeking we leave out
#include "vendor/stb_vorbis.c"

// The three Vorbis headers must be in the window at once, and stb_vorbis copies the comments (cover art
// included, as METADATA_BLOCK_PICTURE) into its arena: hence a large window and a larger arena. Pages
// never touched cost no memory.
enum { INPUT_CAPACITY = 16 << 20, MAX_BLOCK = 8192, ARENA = 24 << 20 };

static uint8_t input[INPUT_CAPACITY];
static int16_t output[STB_VORBIS_MAX_CHANNELS][MAX_BLOCK];
// stb_vorbis allocates everything (setup and per-frame scratch) from here.
static char arena[ARENA];
static stb_vorbis *decoder;
static uint32_t frame_info[3];

EXPORT_BUFFERS(input, output, frame_info)

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

/**
 * Decodes the next audio packet in input[at..len); returns the bytes consumed, 0 when it needs more.
 * Damaged pages are skipped: stb_vorbis then resynchronizes on the next page whose CRC checks out.
 */
EXPORT("decode_frame") uint32_t decode_frame(uint32_t at, uint32_t len) {
  int channels = 0, samples = 0;
  float **pcm = 0;
  int used = stb_vorbis_decode_frame_pushdata(decoder, input + at, (int)(len - at), &channels, &pcm, &samples);
  frame_info[0] = 0;
  if (used == 0) {
    int error = stb_vorbis_get_error(decoder);
    if (error == VORBIS__no_error || error == VORBIS_need_more_data) return 0;
    // A damaged page: forget the partial packet; the next call scans ahead for a page with a good CRC.
    stb_vorbis_flush_pushdata(decoder);
    return 1;
  }
  if (samples > MAX_BLOCK) samples = MAX_BLOCK;
  for (int c = 0; c < channels; c++)
    for (int i = 0; i < samples; i++) output[c][i] = float_to_s16(pcm[c][i]);
  frame_info[0] = (uint32_t)samples;
  frame_info[1] = stb_vorbis_get_info(decoder).sample_rate;
  frame_info[2] = (uint32_t)channels;
  return (uint32_t)used;
}
