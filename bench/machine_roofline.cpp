#include "machine_roofline.h"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "roofline_probes.h"

namespace sixg::bench {

namespace {

using namespace roofline;

constexpr int kRepetitions = 5;  // each rate is the median of these, as docs/roofline.md's table is

template <typename Run>
double median_rate(double work, Run run) {
  std::vector<double> rates;
  for (int r = 0; r < kRepetitions; ++r) {
    const double start = thread_cpu_seconds();
    run();
    rates.push_back(work / std::max(thread_cpu_seconds() - start, 1e-9));
  }
  std::nth_element(rates.begin(), rates.begin() + kRepetitions / 2, rates.end());
  return rates[kRepetitions / 2];
}

/// Bytes per second of stream kernel K over a working set of `working_set` bytes (three arrays' worth).
template <StreamKernel K>
double stream_rate(std::size_t working_set) {
  const std::size_t n = working_set / 3 / sizeof(float) / 64 * 64;
  FloatArray a = make_array(n, 1.0f), b = make_array(n, 2.0f), c = make_array(n, 3.0f);
  const std::size_t passes = std::max<std::size_t>(1, (std::size_t{64} << 20) / working_set);  // >= 64 MiB each
  stream_pass<K>(a.get(), b.get(), c.get(), n);                                                // warm the level
  return median_rate(bytes_per_element(K) * static_cast<double>(n * passes), [&] {
    for (std::size_t p = 0; p < passes; ++p) {
      float* pa = a.get();
      benchmark::DoNotOptimize(pa);
      stream_pass<K>(pa, b.get(), c.get(), n);
      benchmark::ClobberMemory();  // each pass's stores must happen: no merging of repeated passes
    }
  });
}

constexpr std::int64_t kSteps = 1 << 20;
constexpr int kChains = 12;

/// One run of the float chains. Cloned for AVX2 and the baseline, picked by the CPU (and flattened, so
/// the chains are compiled into each clone): a portable build's kernels run AVX2 through the runtime
/// dispatch, so its roofline must be AVX2's too, not the SSE2 code of the build's own flags.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
[[gnu::target_clones("avx2", "default"), gnu::flatten, gnu::noinline]]
#endif
void run_float_chains(const float* m_in, const float* c_in, float* out) {
  v8f m{}, c{}, sum{};
  for (int l = 0; l < 8; ++l) {
    m[l] = m_in[l];
    c[l] = c_in[l];
  }
  flop_chains<v8f, kChains, false>(kSteps, m, c, sum);
  for (int l = 0; l < 8; ++l) out[l] = sum[l];
}

double peak_flops() {
  // x -> 0.5x + 0.25 contracts to 0.5: no overflow, no denormals, however many steps.
  float m[8], c[8], out[8];
  std::fill_n(m, 8, 0.5f);
  std::fill_n(c, 8, 0.25f);
  benchmark::DoNotOptimize(m);  // the compiler must not know m and c, or it could fold the chains
  benchmark::DoNotOptimize(c);
  return median_rate(2.0 * 8 * kChains * static_cast<double>(kSteps), [&] {
    run_float_chains(m, c, out);
    benchmark::DoNotOptimize(out);
  });
}

MachineRoofline measure() {
  MachineRoofline r{};
  r.peak_flops_per_second = peak_flops();
  r.l3_bytes_per_second = stream_rate<StreamKernel::scale>(std::size_t{8} << 20);
  r.l3_store_bytes_per_second = stream_rate<StreamKernel::fill>(std::size_t{8} << 20);
  r.dram_bytes_per_second = stream_rate<StreamKernel::scale>(std::size_t{512} << 20);
  const long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
  r.l3_size_bytes = l3 > 0 ? static_cast<double>(l3) : 32.0 * 1024 * 1024;
  std::fprintf(stderr,
               "Roofline of this machine (measured now, one core, medians of %d): float mul+add %.1f GFLOP/s, "
               "L3 scale %.1f GB/s, L3 fill %.1f GB/s, DRAM scale %.1f GB/s; L3 %.0f MiB\n",
               kRepetitions, r.peak_flops_per_second * 1e-9, r.l3_bytes_per_second * 1e-9,
               r.l3_store_bytes_per_second * 1e-9, r.dram_bytes_per_second * 1e-9, r.l3_size_bytes / (1024.0 * 1024.0));
  return r;
}

}  // namespace

const MachineRoofline& machine_roofline() {
  static const MachineRoofline measured = measure();
  return measured;
}

}  // namespace sixg::bench
