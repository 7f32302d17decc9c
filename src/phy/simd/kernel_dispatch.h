// Private to src/phy: how a kernel source calls the copy of its kernels that matches the active
// target (see sixg/phy/simd/kernel_target.h and for_each_kernel_target.h).
#pragma once

#include "sixg/phy/simd/kernel_target.h"

// A separate AVX2 copy is built only where it adds something: x86-64, GCC's target pragmas, and a
// build whose own flags stop short of AVX2.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__AVX2__)
#define SIXG_SIMD_AVX2_COPY 1
#else
#define SIXG_SIMD_AVX2_COPY 0
#endif

namespace sixg::phy::simd {

/// True when the kernels must run the separately compiled AVX2 copy (never in a build without one).
bool avx2_copy_selected();

}  // namespace sixg::phy::simd

// SIXG_SIMD_DISPATCH(ns, name): the active copy of the kernel function ns::portable::name /
// ns::avx2::name (the namespaces for_each_kernel_target.h gives a kernel header inside namespace ns).
// `name` may be a template specialisation (commas allowed).
#if SIXG_SIMD_AVX2_COPY
#define SIXG_SIMD_DISPATCH(ns, ...) \
  (::sixg::phy::simd::avx2_copy_selected() ? ns::avx2::__VA_ARGS__ : ns::portable::__VA_ARGS__)
#else
#define SIXG_SIMD_DISPATCH(ns, ...) (ns::portable::__VA_ARGS__)
#endif
