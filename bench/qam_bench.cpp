// Mapper::map and Demapper::demap (max-log and APP) on one frame of the seed scenario:
// 16 streams x 12 data symbols x 512 subcarriers = 98304 symbols, QPSK to 256-QAM.
//
// Roofline (docs/roofline.md, one core). A kernel is bounded by max(compute time, memory time):
//   memory time  = bytes / B_L3, with bytes the kernel's compulsory traffic (inputs read once, outputs
//                  written once). Every working set here is 1-4 MiB: beyond L2 (512 KiB), inside L3.
//   compute time = ops / P, with P the measured no-FMA float peak (the build uses no FMA) and ops the
//                  SIMD lane-operations the algorithm needs per symbol (counted below from
//                  src/phy/qam/demapper.cpp; integer and compare/select lane-ops count like flops).
// `bound_share` = bound time / measured time: 1 means the kernel runs at the machine's limit.
//
// Ops per real observation (Re or Im of one symbol), K = bits per axis, L = 2^K levels:
//   max-log: L·(2 + K)      distance a·(a - 2x) and K class minima per level
//            + 2K            (min0 - min1)·(1/N0) per bit
//            + 3             2x, max(N0, tiny), 1/N0
//   APP adds 2L             distances again
//            + 30·L·K        per level and bit: sub, mul, exp (27 lane-ops: clamp 2, range reduction 8,
//                            degree-7 polynomial 14, 2^n 2, scale 1), accumulate
//            + 26·K          per bit: ratio (1 div), log (22), sub, mul, add
// A symbol is two observations. The mapper is table look-ups (no arithmetic): memory-bound by design.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "roofline_counters.h"
#include "sixg/phy/qam/demapper.h"
#include "sixg/phy/qam/mapper.h"
#include "sixg/phy/random/random_stream.h"
#include "sixg/phy/types.h"

namespace {

using namespace sixg::phy;

constexpr std::size_t kFrameSymbols = 16 * 12 * 512;

Modulation modulation_of(std::int64_t bits_per_axis) {
  switch (bits_per_axis) {
    case 1:
      return Modulation::qpsk;
    case 2:
      return Modulation::qam16;
    case 3:
      return Modulation::qam64;
    default:
      return Modulation::qam256;
  }
}

double maxlog_ops_per_observation(double k) {
  const double levels = std::exp2(k);
  return levels * (2.0 + k) + 2.0 * k + 3.0;
}

double app_ops_per_observation(double k) {
  const double levels = std::exp2(k);
  return maxlog_ops_per_observation(k) + 2.0 * levels + 30.0 * levels * k + 26.0 * k;
}

/// Sets the rate counters and the share of the roofline bound for `symbols` symbols per iteration.
void report(benchmark::State& state, double symbols, double bytes, double ops) {
  sixg::bench::report_against_roofline(state, symbols, "symbols/s", bytes, ops, "ops/s",
                                       sixg::bench::l3_bytes_per_second());
}

/// range(0): bits per axis (1 = QPSK .. 4 = 256-QAM).
void BM_Map(benchmark::State& state) {
  const Mapper mapper(modulation_of(state.range(0)));
  const auto m = static_cast<std::size_t>(mapper.bits_per_symbol());
  std::vector<std::uint8_t> bits(kFrameSymbols * m);
  RandomStream(1, 0, 0, RandomPurpose::test).fill_bits(bits);
  std::vector<cf32> symbols(kFrameSymbols);
  for (auto _ : state) {
    mapper.map(bits, symbols);
    benchmark::DoNotOptimize(symbols.data());
    benchmark::ClobberMemory();
  }
  const double n = static_cast<double>(kFrameSymbols);
  report(state, n, n * (static_cast<double>(m) + sizeof(cf32)), 0.0);
}
BENCHMARK(BM_Map)->ArgName("bits_per_axis")->DenseRange(1, 4)->Unit(benchmark::kMicrosecond);

/// range(0): bits per axis, range(1): DemapMethod (0 = max-log, 1 = APP).
void BM_Demap(benchmark::State& state) {
  const auto method = state.range(1) == 0 ? DemapMethod::max_log : DemapMethod::app;
  const auto demapper = make_demapper(modulation_of(state.range(0)), method);
  const auto m = static_cast<std::size_t>(demapper->bits_per_symbol());
  // Noisy symbols at a moderate SNR (N0 = 0.05) so that every level is visited.
  std::vector<std::uint8_t> bits(kFrameSymbols * m);
  RandomStream(2, 0, 0, RandomPurpose::test).fill_bits(bits);
  std::vector<cf32> symbols(kFrameSymbols), noise(kFrameSymbols);
  Mapper(demapper->modulation()).map(bits, symbols);
  RandomStream(3, 0, 0, RandomPurpose::test).fill_complex_normal(noise, 0.05f);
  for (std::size_t i = 0; i < kFrameSymbols; ++i) symbols[i] += noise[i];
  const std::vector<float> noise_var(kFrameSymbols, 0.05f);
  std::vector<float> llr(kFrameSymbols * m);
  for (auto _ : state) {
    demapper->demap(symbols, noise_var, llr);
    benchmark::DoNotOptimize(llr.data());
    benchmark::ClobberMemory();
  }
  const double n = static_cast<double>(kFrameSymbols);
  const double k = static_cast<double>(state.range(0));
  const double ops_per_observation =
      method == DemapMethod::max_log ? maxlog_ops_per_observation(k) : app_ops_per_observation(k);
  report(state, n, n * (sizeof(cf32) + sizeof(float) + sizeof(float) * static_cast<double>(m)),
         n * 2.0 * ops_per_observation);
}
BENCHMARK(BM_Demap)
    ->ArgNames({"bits_per_axis", "app"})
    ->ArgsProduct({{1, 2, 3, 4}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
