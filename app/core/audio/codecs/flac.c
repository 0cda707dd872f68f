// A FLAC frame decoder for WebAssembly: one frame at a time from a byte window the host fills, samples
// out as planar 16-bit integers the way FFmpeg's decoder and 16-bit converter hand them to `fpcalc`
// (wider samples keep their top 16 bits, narrower ones are shifted up).
//
// Freestanding (no libc) so the module is a few kilobytes and needs no runtime. A header's CRC-8 is
// always checked; a frame's CRC-16 only when no frame header follows it, which is where a damaged frame
// shows (FFmpeg's parser likewise cuts frames at the next verified header). Up to 24 bits per sample: the
// side channel of a 24-bit stream needs 25 bits, which 32-bit integers hold.
#include "codec.h"
#include <wasm_simd128.h>

enum { MAX_BLOCK = 65536, MAX_CHANNELS = 8, MAX_BITS = 24, INPUT_CAPACITY = 4 << 20 };

// Results of flac_decode_frame besides a frame's end offset.
enum { NEED_MORE = -1, NOT_A_FRAME = -2, BAD_FRAME = -3 };

static uint8_t input[INPUT_CAPACITY];
static int32_t samples[MAX_CHANNELS][MAX_BLOCK];
static int16_t output[MAX_CHANNELS][MAX_BLOCK];
static uint32_t frame_info[3];

EXPORT_BUFFERS(input, output, frame_info)

// MSB-first reader: `bits` valid bits left-aligned in a 64-bit cache; the bits below them are the next
// bytes' own bits, so refilling can OR whole 8-byte words in (Giesen's "variant 4"). Bytes past `end`
// read as zero; the caller compares what was consumed with what it had.
typedef struct {
  const uint8_t *p;
  const uint8_t *end;
  uint64_t cache;
  uint32_t bits;
} reader;

static inline uint64_t load_be64(const uint8_t *p) {
  uint64_t v;
  __builtin_memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}

static inline void refill(reader *r) {
  uint64_t w;
  if (r->p + 8 <= r->end) {
    w = load_be64(r->p);
  } else {
    // Near the end of the window: bytes past it read as zeros and are never touched, so `p` may run
    // ahead of `end` and still count what was consumed.
    w = 0;
    for (int i = 0; i < 8; i++) w = (w << 8) | (r->p + i < r->end ? r->p[i] : 0);
  }
  r->cache |= w >> r->bits;
  r->p += (63 - r->bits) >> 3;
  r->bits |= 56;
}

/** n (0..32) bits, unsigned. */
static inline uint32_t read_bits(reader *r, uint32_t n) {
  if (n == 0) return 0;
  if (r->bits < n) refill(r);
  uint32_t v = (uint32_t)(r->cache >> (64 - n));
  r->cache <<= n;
  r->bits -= n;
  return v;
}

/** n (1..32) bits, two's complement. */
static inline int32_t read_signed(reader *r, uint32_t n) {
  uint32_t v = read_bits(r, n);
  return n == 32 ? (int32_t)v : (int32_t)(v << (32 - n)) >> (32 - n);
}

/** Zero bits up to a one bit: their count. Gives up (returns 0) once it has run 8 bytes past the end. */
static uint32_t read_unary(reader *r) {
  uint32_t zeros = 0;
  for (;;) {
    if (r->bits == 0) refill(r);
    uint64_t top = r->cache & (~0ull << (64 - r->bits));
    if (top != 0) {
      uint32_t z = (uint32_t)__builtin_clzll(top);
      r->cache = (r->cache << z) << 1;
      r->bits -= z + 1;
      return zeros + z;
    }
    zeros += r->bits;
    r->cache = 0;
    r->bits = 0;
    if (r->p > r->end + 8) return 0;
  }
}

static inline uint64_t consumed_bits(const reader *r, const uint8_t *start) {
  return (uint64_t)(r->p - start) * 8 - r->bits;
}

/** Rice-coded signed residuals into out[from..to) with parameter k. */
static void read_rice(reader *r, int32_t *out, uint32_t from, uint32_t to, uint32_t k) {
  for (uint32_t i = from; i < to; i++) {
    if (r->bits < 48) refill(r);
    uint64_t c = r->cache;
    uint32_t v;
    uint32_t z = c ? (uint32_t)__builtin_clzll(c) : 64;
    if (z + 1 + k <= r->bits) {
      // The common case: quotient and remainder are both in the cache.
      uint64_t rest = (c << z) << 1;
      v = (z << k) | (k ? (uint32_t)(rest >> (64 - k)) : 0);
      r->cache = rest << k;
      r->bits -= z + 1 + k;
    } else {
      uint32_t q = read_unary(r);
      v = (q << k) | read_bits(r, k);
    }
    out[i] = (int32_t)(v >> 1) ^ -(int32_t)(v & 1);
  }
}

static const uint32_t RATES[12] = {0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000};
static const int32_t SAMPLE_BITS[8] = {0, 8, 12, -1, 16, 20, 24, 32};

static uint8_t crc8_table[256];
static uint16_t crc16_table[256];

static uint8_t crc8(const uint8_t *p, uint32_t n) {
  if (crc8_table[1] == 0)
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int b = 0; b < 8; b++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
      crc8_table[i] = (uint8_t)c;
    }
  uint8_t crc = 0;
  for (uint32_t i = 0; i < n; i++) crc = crc8_table[crc ^ p[i]];
  return crc;
}

static uint16_t crc16(const uint8_t *p, uint32_t n) {
  if (crc16_table[1] == 0)
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i << 8;
      for (int b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
      crc16_table[i] = (uint16_t)c;
    }
  uint16_t crc = 0;
  for (uint32_t i = 0; i < n; i++) crc = (uint16_t)((crc << 8) ^ crc16_table[(crc >> 8) ^ p[i]]);
  return crc;
}

typedef struct {
  uint32_t block_size, sample_rate, channels, stereo, bits, length;
} frame_header;

static inline int is_sync(const uint8_t *p) { return p[0] == 0xff && (p[1] & 0xfe) == 0xf8; }

/** Parses the header at p (with `avail` bytes); NOT_A_FRAME, NEED_MORE or 0. */
static int32_t parse_header(const uint8_t *p, uint32_t avail, uint32_t stream_rate, uint32_t stream_bits,
                            frame_header *h) {
  if (avail < 6) return NEED_MORE;
  if (!is_sync(p)) return NOT_A_FRAME;
  uint32_t size_code = p[2] >> 4, rate_code = p[2] & 15, channel_code = p[3] >> 4;
  uint32_t bits_code = (p[3] >> 1) & 7;
  if (size_code == 0 || rate_code == 15 || channel_code > 10 || bits_code == 3 || (p[3] & 1)) return NOT_A_FRAME;
  // The frame or sample number, UTF-8 style: 1 to 7 bytes.
  uint8_t lead = p[4];
  int32_t extra = lead < 0x80   ? 0
                  : lead < 0xc0 ? -1
                  : lead < 0xe0 ? 1
                  : lead < 0xf0 ? 2
                  : lead < 0xf8 ? 3
                  : lead < 0xfc ? 4
                  : lead < 0xfe ? 5
                  : lead == 0xfe ? 6
                                 : -1;
  if (extra < 0) return NOT_A_FRAME;
  if (avail < 10 + (uint32_t)extra) return NEED_MORE; // fixed bytes, the number, optional fields, CRC
  uint32_t at = 5 + (uint32_t)extra;
  if (size_code == 1) h->block_size = 192;
  else if (size_code <= 5) h->block_size = 576u << (size_code - 2);
  else if (size_code == 6) h->block_size = p[at++] + 1u;
  else if (size_code == 7) {
    h->block_size = ((uint32_t)p[at] << 8 | p[at + 1]) + 1;
    at += 2;
  } else h->block_size = 256u << (size_code - 8);
  if (rate_code == 0) h->sample_rate = stream_rate;
  else if (rate_code <= 11) h->sample_rate = RATES[rate_code];
  else if (rate_code == 12) h->sample_rate = p[at++] * 1000u;
  else {
    h->sample_rate = ((uint32_t)p[at] << 8 | p[at + 1]) * (rate_code == 14 ? 10 : 1);
    at += 2;
  }
  if (crc8(p, at) != p[at]) return NOT_A_FRAME;
  h->bits = bits_code == 0 ? stream_bits : (uint32_t)SAMPLE_BITS[bits_code];
  h->channels = channel_code < 8 ? channel_code + 1 : 2;
  h->stereo = channel_code < 8 ? 0 : channel_code - 7;
  h->length = at + 1;
  return 0;
}

/** Residuals of a predicted subframe into out[order..n), over 2^partition_order partitions. */
static int read_residual(reader *r, uint32_t order, uint32_t n, int32_t *out) {
  uint32_t method = read_bits(r, 2);
  if (method > 1) return 0;
  uint32_t param_bits = method == 0 ? 4 : 5;
  uint32_t escape = (1u << param_bits) - 1;
  uint32_t partition_order = read_bits(r, 4);
  uint32_t size = n >> partition_order;
  if ((size << partition_order) != n || size < order) return 0;
  uint32_t i = order;
  for (uint32_t p = 0; p < (1u << partition_order); p++) {
    uint32_t end = (p + 1) * size;
    uint32_t k = read_bits(r, param_bits);
    if (k == escape) {
      uint32_t raw = read_bits(r, 5);
      for (; i < end; i++) out[i] = raw ? read_signed(r, raw) : 0;
    } else {
      read_rice(r, out, i, end, k);
      i = end;
    }
  }
  return 1;
}

static void restore_fixed(uint32_t order, uint32_t n, int32_t *s) {
  // Unsigned arithmetic: wraps as FFmpeg's int arithmetic does in practice, without undefined behaviour.
  uint32_t *u = (uint32_t *)s;
  switch (order) {
  case 1:
    for (uint32_t i = 1; i < n; i++) u[i] += u[i - 1];
    break;
  case 2:
    for (uint32_t i = 2; i < n; i++) u[i] += 2 * u[i - 1] - u[i - 2];
    break;
  case 3:
    for (uint32_t i = 3; i < n; i++) u[i] += 3 * (u[i - 1] - u[i - 2]) + u[i - 3];
    break;
  case 4:
    for (uint32_t i = 4; i < n; i++) u[i] += 4 * (u[i - 1] + u[i - 3]) - 6 * u[i - 2] - u[i - 4];
    break;
  }
}

/**
 * LPC restoration, s[i] += (Σ coefs[j]·s[i-1-j]) >> shift, with SIMD dot products: the coefficients are
 * reversed and zero-padded to a multiple of 4 so that they line up with s[i-padded .. i). Sums are 32-bit
 * when sample bits + precision + log2(order) ≤ 32 (then exact, FFmpeg's own test), else 64-bit.
 */
static void restore_lpc(const int32_t *coefs, uint32_t order, int32_t shift, uint32_t n, int32_t *s, int wide) {
  int32_t rev[32];
  uint32_t padded = (order + 3) & ~3u;
  for (uint32_t k = 0; k < padded; k++) rev[k] = k < padded - order ? 0 : coefs[padded - 1 - k];
  uint32_t i = order;
  // The first samples have fewer than `padded` before them: plain sums.
  for (; i < n && i < padded; i++) {
    int64_t sum = 0;
    for (uint32_t j = 0; j < order; j++) sum += (int64_t)coefs[j] * s[i - 1 - j];
    s[i] = (int32_t)((uint32_t)s[i] + (uint32_t)(wide ? sum >> shift : (int32_t)sum >> shift));
  }
  if (wide)
    for (; i < n; i++) {
      const int32_t *w = s + i - padded;
      v128_t low = wasm_i64x2_splat(0), high = low;
      for (uint32_t k = 0; k < padded; k += 4) {
        v128_t x = wasm_v128_load(w + k), c = wasm_v128_load(rev + k);
        low = wasm_i64x2_add(low, wasm_i64x2_extmul_low_i32x4(x, c));
        high = wasm_i64x2_add(high, wasm_i64x2_extmul_high_i32x4(x, c));
      }
      v128_t sum = wasm_i64x2_add(low, high);
      int64_t total = wasm_i64x2_extract_lane(sum, 0) + wasm_i64x2_extract_lane(sum, 1);
      s[i] = (int32_t)((uint32_t)s[i] + (uint32_t)(total >> shift));
    }
  else
    for (; i < n; i++) {
      const int32_t *w = s + i - padded;
      v128_t acc = wasm_i32x4_splat(0);
      for (uint32_t k = 0; k < padded; k += 4)
        acc = wasm_i32x4_add(acc, wasm_i32x4_mul(wasm_v128_load(w + k), wasm_v128_load(rev + k)));
      uint32_t total = (uint32_t)wasm_i32x4_extract_lane(acc, 0) + (uint32_t)wasm_i32x4_extract_lane(acc, 1) +
                       (uint32_t)wasm_i32x4_extract_lane(acc, 2) + (uint32_t)wasm_i32x4_extract_lane(acc, 3);
      s[i] = (int32_t)((uint32_t)s[i] + (uint32_t)((int32_t)total >> shift));
    }
}

static uint32_t ilog2(uint32_t v) { return 31 - (uint32_t)__builtin_clz(v); }

static int decode_subframe(reader *r, uint32_t bits, uint32_t n, int32_t *out) {
  if (read_bits(r, 1) != 0) return 0; // padding bit
  uint32_t type = read_bits(r, 6);
  uint32_t wasted = 0;
  if (read_bits(r, 1)) wasted = read_unary(r) + 1;
  if (wasted >= bits) return 0;
  uint32_t width = bits - wasted;
  if (type == 0) {
    int32_t v = read_signed(r, width);
    for (uint32_t i = 0; i < n; i++) out[i] = v;
  } else if (type == 1) {
    for (uint32_t i = 0; i < n; i++) out[i] = read_signed(r, width);
  } else if (type >= 8 && type <= 12) {
    uint32_t order = type - 8;
    for (uint32_t i = 0; i < order; i++) out[i] = read_signed(r, width);
    if (!read_residual(r, order, n, out)) return 0; // which also rejects order > n
    restore_fixed(order, n, out);
  } else if (type >= 32) {
    uint32_t order = type - 31;
    for (uint32_t i = 0; i < order; i++) out[i] = read_signed(r, width);
    uint32_t precision = read_bits(r, 4) + 1;
    if (precision == 16) return 0;
    int32_t shift = read_signed(r, 5);
    if (shift < 0) return 0;
    int32_t coefs[32];
    for (uint32_t i = 0; i < order; i++) coefs[i] = read_signed(r, precision);
    if (!read_residual(r, order, n, out)) return 0;
    restore_lpc(coefs, order, shift, n, out, width + precision + ilog2(order) > 32);
  } else return 0; // reserved
  if (wasted > 0)
    for (uint32_t i = 0; i < n; i++) out[i] = (int32_t)((uint32_t)out[i] << wasted);
  return 1;
}

// Unsigned sums: they wrap on hostile input instead of being undefined behaviour.
static void decorrelate(uint32_t stereo, uint32_t n, int32_t *a, int32_t *b) {
  if (stereo == 1)
    for (uint32_t i = 0; i < n; i++) b[i] = (int32_t)((uint32_t)a[i] - (uint32_t)b[i]);
  else if (stereo == 2)
    for (uint32_t i = 0; i < n; i++) a[i] = (int32_t)((uint32_t)a[i] + (uint32_t)b[i]);
  else if (stereo == 3)
    for (uint32_t i = 0; i < n; i++) {
      uint32_t side = (uint32_t)b[i];
      uint32_t mid = ((uint32_t)a[i] << 1) | (side & 1);
      a[i] = (int32_t)(mid + side) >> 1;
      b[i] = (int32_t)(mid - side) >> 1;
    }
}

static void to_s16(const int32_t *in, int16_t *out, uint32_t n, uint32_t bits) {
  if (bits >= 16) {
    uint32_t shift = bits - 16;
    for (uint32_t i = 0; i < n; i++) out[i] = (int16_t)(in[i] >> shift);
  } else {
    uint32_t shift = 16 - bits;
    for (uint32_t i = 0; i < n; i++) out[i] = (int16_t)((uint32_t)in[i] << shift);
  }
}

/**
 * Decodes the frame at input[at] (input[0..len) valid) into the output planes and
 * frame_info; returns the offset just past it, or NEED_MORE, NOT_A_FRAME or BAD_FRAME.
 */
EXPORT("decode_frame")
int32_t decode_frame(uint32_t at, uint32_t len, uint32_t stream_rate, uint32_t stream_bits) {
  if (at >= len) return NEED_MORE;
  frame_header h;
  int32_t status = parse_header(input + at, len - at, stream_rate, stream_bits, &h);
  if (status != 0) return status;
  if (h.bits == 0 || h.bits > MAX_BITS || h.sample_rate == 0) return BAD_FRAME;
  const uint8_t *start = input + at + h.length;
  reader r = {start, input + len, 0, 0};
  for (uint32_t c = 0; c < h.channels; c++) {
    // The side channel carries one more bit.
    uint32_t side = (h.stereo == 1 && c == 1) || (h.stereo == 2 && c == 0) || (h.stereo == 3 && c == 1);
    if (!decode_subframe(&r, h.bits + side, h.block_size, samples[c])) {
      return consumed_bits(&r, input + at) > (uint64_t)(len - at) * 8 ? NEED_MORE : BAD_FRAME;
    }
  }
  // Byte-align, then the CRC-16.
  uint64_t used = (consumed_bits(&r, start) + 7) / 8 + h.length + 2;
  if (used > len - at) return NEED_MORE;
  // Trust a frame that the next frame header follows; check any other (the last one in the file or the
  // window, or one a damaged header made too long or too short) against its CRC-16.
  const uint8_t *end = input + at + used;
  int followed = at + used + 2 <= len && is_sync(end);
  if (!followed && crc16(input + at, (uint32_t)used - 2) != (end[-2] << 8 | end[-1])) return BAD_FRAME;
  decorrelate(h.stereo, h.block_size, samples[0], samples[1]);
  for (uint32_t c = 0; c < h.channels; c++) to_s16(samples[c], output[c], h.block_size, h.bits);
  frame_info[0] = h.block_size;
  frame_info[1] = h.sample_rate;
  frame_info[2] = h.channels;
  return (int32_t)(at + used);
}

/** Offset of the next possible frame start at or after `from`, or -1 if none before `len` - 1. */
EXPORT("find_sync")
int32_t find_sync(uint32_t from, uint32_t len) {
  for (uint32_t i = from; i + 1 < len; i++)
    if (is_sync(input + i)) return (int32_t)i;
  return -1;
}
