;; swresample's 16-bit polyphase kernel (FFmpeg's SSE2 `resample_common_int16` / `resample_linear_int16`)
;; in WebAssembly SIMD: i32x4.dot_i16x8_s is pmaddwd, so sums are the same integers in the same lanes.
;; Build: node app/core/fingerprint/kernel/build.ts (writes resample.wasm next to this file).
(module
  (memory (export "memory") 1)

  ;; Resamples one channel. State (pos, phase, frac) lives at `state` as three i32s and is updated.
  ;; Produces outputs while pos + length <= len; returns how many were written to `out`.
  (func (export "resample")
    (param $src i32) (param $len i32) (param $taps i32) (param $stride i32) (param $phases i32)
    (param $length i32) (param $srcIncr i32) (param $div i32) (param $mod i32) (param $linear i32)
    (param $out i32) (param $state i32) (result i32)
    (local $pos i32) (local $phase i32) (local $frac i32) (local $n i32) (local $k i32)
    (local $s i32) (local $t i32) (local $t2 i32) (local $acc v128) (local $acc2 v128)
    (local $val i32) (local $v2 i32) (local $rowBytes i32) (local $strideBytes i32)
    (local.set $pos (i32.load (local.get $state)))
    (local.set $phase (i32.load offset=4 (local.get $state)))
    (local.set $frac (i32.load offset=8 (local.get $state)))
    (local.set $strideBytes (i32.shl (local.get $stride) (i32.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $pos) (local.get $length)) (local.get $len)))
        (local.set $rowBytes (i32.mul (local.get $phase) (local.get $strideBytes)))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $pos) (i32.const 1))))
        (local.set $t (i32.add (local.get $taps) (local.get $rowBytes)))
        (local.set $t2 (i32.add (local.get $t) (local.get $strideBytes)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $acc2 (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (if (local.get $linear)
          (then
            (loop $taps2
              (local.set $acc (i32x4.add (local.get $acc)
                (i32x4.dot_i16x8_s (v128.load (i32.add (local.get $s) (local.get $k)))
                                   (v128.load (i32.add (local.get $t) (local.get $k))))))
              (local.set $acc2 (i32x4.add (local.get $acc2)
                (i32x4.dot_i16x8_s (v128.load (i32.add (local.get $s) (local.get $k)))
                                   (v128.load (i32.add (local.get $t2) (local.get $k))))))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br_if $taps2 (i32.lt_u (local.get $k) (local.get $strideBytes)))))
          (else
            (loop $taps1
              (local.set $acc (i32x4.add (local.get $acc)
                (i32x4.dot_i16x8_s (v128.load (i32.add (local.get $s) (local.get $k)))
                                   (v128.load (i32.add (local.get $t) (local.get $k))))))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br_if $taps1 (i32.lt_u (local.get $k) (local.get $strideBytes))))))
        (local.set $val (i32.add (i32.const 16384)
          (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
                   (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))))
        (if (local.get $linear)
          (then
            (local.set $v2 (i32.add (i32.const 16384)
              (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc2)) (i32x4.extract_lane 1 (local.get $acc2)))
                       (i32.add (i32x4.extract_lane 2 (local.get $acc2)) (i32x4.extract_lane 3 (local.get $acc2))))))
            ;; val += (v2 - val) * frac / srcIncr, in 64 bits, truncating like C
            (local.set $val (i32.add (local.get $val) (i32.wrap_i64 (i64.div_s
              (i64.mul (i64.extend_i32_s (i32.sub (local.get $v2) (local.get $val))) (i64.extend_i32_u (local.get $frac)))
              (i64.extend_i32_u (local.get $srcIncr))))))))
        ;; >> 15 and saturate to 16 bits (packssdw)
        (local.set $val (i32.shr_s (local.get $val) (i32.const 15)))
        (if (i32.gt_s (local.get $val) (i32.const 32767)) (then (local.set $val (i32.const 32767))))
        (if (i32.lt_s (local.get $val) (i32.const -32768)) (then (local.set $val (i32.const -32768))))
        (i32.store16 (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 1))) (local.get $val))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        ;; advance: frac += mod; phase += div (+1 on carry); whole phases move the window
        (local.set $frac (i32.add (local.get $frac) (local.get $mod)))
        (local.set $phase (i32.add (local.get $phase) (local.get $div)))
        (if (i32.ge_u (local.get $frac) (local.get $srcIncr))
          (then
            (local.set $frac (i32.sub (local.get $frac) (local.get $srcIncr)))
            (local.set $phase (i32.add (local.get $phase) (i32.const 1)))))
        (local.set $pos (i32.add (local.get $pos) (i32.div_u (local.get $phase) (local.get $phases))))
        (local.set $phase (i32.rem_u (local.get $phase) (local.get $phases)))
        (br $next)))
    (i32.store (local.get $state) (local.get $pos))
    (i32.store offset=4 (local.get $state) (local.get $phase))
    (i32.store offset=8 (local.get $state) (local.get $frac))
    (local.get $n))
)
