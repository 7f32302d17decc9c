// The roofline's measuring loops, shared by bench/roofline_bench.cpp (the full table, docs/roofline.md)
// and bench/machine_roofline.cpp (the four limits every kernel bench quotes its share of, measured on the
// machine that runs the bench).
//
// Bandwidth: the STREAM kernels on float arrays, and a store-only fill for write-dominated kernels,
//   fill   a[i] = q                  4 B/element  (1 store)
//   copy   a[i] = b[i]               8 B/element  (1 load + 1 store)
//   scale  a[i] = q * b[i]           8 B/element
//   add    a[i] = b[i] + c[i]       12 B/element  (2 loads + 1 store)
//   triad  a[i] = b[i] + q * c[i]   12 B/element
// Bytes are counted as STREAM does: what the kernel loads and stores, not the write-allocate read of
// the destination line.
//
// FLOPs: independent dependency chains acc = acc * m + c on 8-lane float (4-lane double) vectors,
// enough chains to cover the mul and add latencies on all pipes; optionally as one FMA per step.
// One step is 2 flops per lane. The build has -ffp-contract=off, so "no FMA" really is mul then add.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <new>

#ifdef __FMA__
#include <immintrin.h>
#endif

namespace sixg::bench::roofline {

// Unnamed: each including file gets its own copies, compiled with its own flags (roofline_bench.cpp has
// -mfma, machine_roofline.cpp does not, and multiply_add's body depends on __FMA__), so the linker can
// never pick one file's copy for the other.
namespace {

/// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID): the time slices in which the thread was
/// descheduled (other jobs on a shared machine) do not count against the core.
inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

enum class StreamKernel { fill, copy, scale, add, triad };

constexpr double bytes_per_element(StreamKernel k) {
  if (k == StreamKernel::fill) return 4.0;
  return k == StreamKernel::copy || k == StreamKernel::scale ? 8.0 : 12.0;
}

struct AlignedFree {
  void operator()(float* p) const { ::operator delete[](p, std::align_val_t{64}); }
};
using FloatArray = std::unique_ptr<float[], AlignedFree>;

inline FloatArray make_array(std::size_t n, float value) {
  FloatArray a(static_cast<float*>(::operator new[](n * sizeof(float), std::align_val_t{64})));
  for (std::size_t i = 0; i < n; ++i) a[i] = value;  // first touch: pages are mapped before timing
  return a;
}

template <StreamKernel K>
void stream_pass(float* a, const float* b, const float* c, std::size_t n) {
  constexpr float q = 0.999f;
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (K == StreamKernel::fill) a[i] = q;
    if constexpr (K == StreamKernel::copy) a[i] = b[i];
    if constexpr (K == StreamKernel::scale) a[i] = q * b[i];
    if constexpr (K == StreamKernel::add) a[i] = b[i] + c[i];
    if constexpr (K == StreamKernel::triad) a[i] = b[i] + q * c[i];
  }
}

using v8f = float __attribute__((vector_size(32)));
using v4d = double __attribute__((vector_size(32)));

// Vectors travel by reference: passing or returning a 32-byte vector by value is an ABI change GCC warns
// about (-Wpsabi) in a plain x86-64 build.
template <typename V>
void multiply_add(V& acc, const V& m, const V& c, bool fused) {
#ifdef __FMA__
  if (fused) {
    if constexpr (sizeof(acc[0]) == 4) {
      acc = reinterpret_cast<V>(
          _mm256_fmadd_ps(reinterpret_cast<__m256>(acc), reinterpret_cast<__m256>(m), reinterpret_cast<__m256>(c)));
    } else {
      acc = reinterpret_cast<V>(
          _mm256_fmadd_pd(reinterpret_cast<__m256d>(acc), reinterpret_cast<__m256d>(m), reinterpret_cast<__m256d>(c)));
    }
    return;
  }
#endif
  (void)fused;
  acc = acc * m + c;
}

/// kChains independent chains of `steps` multiply-adds each; their sum goes to `sum` so nothing is dead.
template <typename V, int kChains, bool kFused>
void flop_chains(std::int64_t steps, const V& m, const V& c, V& sum) {
  V acc[kChains];
#pragma GCC unroll 16
  for (int i = 0; i < kChains; ++i) acc[i] = c * static_cast<decltype(c[0] + 0)>(i + 1);
  for (std::int64_t s = 0; s < steps; ++s) {
#pragma GCC unroll 16
    for (int i = 0; i < kChains; ++i) multiply_add(acc[i], m, c, kFused);
  }
  sum = acc[0];
  for (int i = 1; i < kChains; ++i) sum += acc[i];
}

}  // namespace

}  // namespace sixg::bench::roofline
