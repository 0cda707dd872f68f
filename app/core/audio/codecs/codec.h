// What every codec module shares with its driver (../codec-input.ts): a fixed input window the driver
// fills, planar 16-bit output, and frame_info = {samples per channel, sample rate, channels} of the last
// decoded frame (samples 0 when it produced none).
#pragma once
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))

#define EXPORT_BUFFERS(input, output, frame_info)                                                           \
  EXPORT("input") uint8_t *input_buffer(void) { return input; }                                           \
  EXPORT("input_capacity") uint32_t input_capacity(void) { return sizeof(input); }                        \
  EXPORT("output") int16_t *output_buffer(void) { return &output[0][0]; }                                 \
  EXPORT("max_block") uint32_t max_block(void) { return sizeof(output[0]) / sizeof(output[0][0]); }      \
  EXPORT("frame_info") uint32_t *frame_info_buffer(void) { return frame_info; }

/** A float decoder's sample to 16 bits as FFmpeg's swresample converts it for `fpcalc`: round half to
 *  even (the current rounding mode), saturate. */
static inline int16_t float_to_s16(float v) {
  float r = __builtin_rintf(v * 32768.0f);
  return (int16_t)(r > 32767.0f ? 32767.0f : r < -32768.0f ? -32768.0f : r);
}
