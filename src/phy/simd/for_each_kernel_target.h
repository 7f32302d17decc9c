// Compiles one kernel header once per kernel target (no include guard: meant to be included once per
// kernel source, after every header the kernels need).
//
//   #define SIXG_KERNELS "phy/ldpc/ldpc_fixed_min_sum_kernels.h"
//   #include "phy/simd/for_each_kernel_target.h"
//
// The kernel header is included twice: in namespace-name `portable` with the build's own flags, then
// (where SIXG_SIMD_AVX2_COPY) as `avx2` under `#pragma GCC target("avx2")`. Inside, SIXG_SIMD_NS
// names the namespace the header must put everything in, and SIXG_SIMD_AVX2 says whether AVX2
// intrinsics may be used (the pragma does not define __AVX2__ for C++, so kernels test this instead).
//
// Why this is safe with the One Definition Rule: every function the header defines lives in its own
// SIXG_SIMD_NS namespace, and the header includes no other header for the first time (std and project
// headers come first, in the including source, with the default target), so no inline function of a
// shared header is ever compiled for AVX2 and then picked by the linker for a baseline caller. Inline
// helpers from shared headers that the kernels call are inlined into them and compiled with the
// kernel's target — but only optimisation guarantees that, so a kernel passes or returns 32-byte
// vectors only to functions of its own copy, to intrinsics/builtins (e.g. __builtin_bit_cast, never
// std::bit_cast) or to [[gnu::always_inline]] helpers: a shared function compiled for the default target
// and called from AVX2 code (as happens at -O0) would receive the vector under another calling
// convention (tests/phy/simd_kernel_copies_test looks for such calls). Neither target enables FMA:
// both copies round every product and sum separately.
#include "phy/simd/kernel_dispatch.h"

#ifndef SIXG_KERNELS
#error "define SIXG_KERNELS (the kernel header to compile per target) before including this file"
#endif

#define SIXG_SIMD_NS portable
#if defined(__AVX2__)
#define SIXG_SIMD_AVX2 1
#else
#define SIXG_SIMD_AVX2 0
#endif
#include SIXG_KERNELS
#undef SIXG_SIMD_NS
#undef SIXG_SIMD_AVX2
#undef SIXG_SIMD_LANE_VECTORS_IN_REGION

#if SIXG_SIMD_AVX2_COPY
#pragma GCC push_options
#pragma GCC target("avx2")
#define SIXG_SIMD_NS avx2
#define SIXG_SIMD_AVX2 1
#include SIXG_KERNELS
#undef SIXG_SIMD_NS
#undef SIXG_SIMD_AVX2
#undef SIXG_SIMD_LANE_VECTORS_IN_REGION
#pragma GCC pop_options
#endif

#undef SIXG_KERNELS
