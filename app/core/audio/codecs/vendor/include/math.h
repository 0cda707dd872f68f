/* The math stb_vorbis uses while reading a stream's setup header (window shapes, codebook values):
   floor is a WebAssembly instruction; the rest are imported from JavaScript's Math (the linker allows
   exactly these undefined: imports.txt). */
#pragma once
#define floor __builtin_floor
double exp(double x);
double log(double x);
double pow(double x, double y);
double cos(double x);
double sin(double x);
double ldexp(double x, int e);
