// An MPEG audio (layers 1–3) frame decoder for WebAssembly around minimp3 (vendor/minimp3.h, CC0), with
// samples out as planar 16-bit integers converted the way FFmpeg's swresample converts its float
// decoder's output for `fpcalc`: round half to even, saturate.
//
// Gapless at the start like FFmpeg: a leading Xing/Info frame is not audio, and when its LAME tag gives
// the encoder delay, that many samples plus the decoder's own 529 are dropped. The encoder's padding at
// the end (under 2 frames) is kept: fingerprints read the first 120 s, and for a shorter track it only
// adds a little silence at its end.
#include "codec.h"

#define MINIMP3_IMPLEMENTATION
#define MINIMP3_FLOAT_OUTPUT
#define MINIMP3_NO_SIMD // no SSE or NEON here; clang vectorizes the plain loops for WebAssembly SIMD
#include "vendor/minimp3.h"

enum { INPUT_CAPACITY = 1 << 20, MAX_FRAME_SAMPLES = 1152, DECODER_DELAY = 529 };

static uint8_t input[INPUT_CAPACITY];
static float pcm[MINIMP3_MAX_SAMPLES_PER_FRAME];
static int16_t output[2][MAX_FRAME_SAMPLES];
// Zeroed, as mp3dec_init would leave it: the driver takes a fresh instance for every file.
static mp3dec_t decoder;
static uint32_t frame_info[3];
static int started;
static uint32_t skip;

EXPORT_BUFFERS(input, output, frame_info)

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static int has_tag(const uint8_t *p, const char *tag) { return be32(p) == be32((const uint8_t *)tag); }

/** Whether the frame at p (n bytes) is a Xing/Info or VBRI frame; sets `skip` from a LAME tag. */
static int is_info_frame(const uint8_t *p, uint32_t n) {
  if (n >= 4 + 32 + 4 && has_tag(p + 4 + 32, "VBRI")) return 1;
  int mono = HDR_IS_MONO(p);
  uint32_t at = 4 + (HDR_TEST_MPEG1(p) ? (mono ? 17 : 32) : (mono ? 9 : 17));
  if (at + 8 > n || !(has_tag(p + at, "Xing") || has_tag(p + at, "Info"))) return 0;
  uint32_t flags = be32(p + at + 4);
  at += 8 + (flags & 1 ? 4 : 0) + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
  // The LAME tag: a 9-byte encoder version, 12 bytes of settings, then the delays (12 + 12 bits).
  if (at + 24 <= n && (has_tag(p + at, "LAME") || has_tag(p + at, "Lavf") || has_tag(p + at, "Lavc"))) {
    const uint8_t *d = p + at + 21;
    skip = (((uint32_t)d[0] << 4) | (d[1] >> 4)) + DECODER_DELAY;
  }
  return 1;
}

/**
 * Decodes the next frame in input[at..len): its samples go to the output planes (after any gapless
 * skip) and frame_info. Returns the bytes consumed (junk skipped before the frame included), or 0 when
 * no whole frame is in the window.
 */
EXPORT("decode_frame") uint32_t decode_frame(uint32_t at, uint32_t len) {
  frame_info[0] = 0;
  if (!started) {
    int free_format = 0, size = 0;
    int junk = mp3d_find_frame(input + at, (int)(len - at), &free_format, &size);
    if (size > 0) {
      started = 1;
      if (is_info_frame(input + at + junk, (uint32_t)size)) return (uint32_t)(junk + size);
    }
  }
  mp3dec_frame_info_t info = {0};
  int samples = mp3dec_decode_frame(&decoder, input + at, (int)(len - at), pcm, &info);
  if (samples == 0 && info.frame_bytes > 0 && info.hz > 0) {
    // A frame whose bit reservoir is missing (the start of a cut file): FFmpeg outputs it as silence,
    // and so keeps the timeline; so do we.
    samples = hdr_frame_samples(decoder.header);
    __builtin_memset(pcm, 0, sizeof(float) * (uint32_t)(samples * info.channels));
  }
  if (samples == 0) return (uint32_t)info.frame_bytes;
  uint32_t channels = (uint32_t)info.channels;
  uint32_t from = skip < (uint32_t)samples ? skip : (uint32_t)samples;
  skip -= from;
  uint32_t n = (uint32_t)samples - from;
  for (uint32_t c = 0; c < channels; c++)
    for (uint32_t i = 0; i < n; i++) output[c][i] = float_to_s16(pcm[(from + i) * channels + c]);
  frame_info[0] = n;
  frame_info[1] = (uint32_t)info.hz;
  frame_info[2] = channels;
  return (uint32_t)info.frame_bytes;
}
