// LsChannelEstimator on the seed grid: 32 receive antennas, 16 streams, 14 OFDM symbols, pilots on
// symbols 2 and 11, FFT 512; estimate() with nearest and linear frequency interpolation, and
// channel_at() for every subcarrier of one data symbol (how the link pipeline calls it).
//
// Roofline (docs/roofline.md, one core): bound time = max(bytes / B, flops / P), B the L3 bandwidth
// (store-only fill for estimate(), whose traffic is almost all stores; STREAM scale for channel_at()).
//   estimate():   bytes = pilot rows of y read (A·P·fft·8) + h_hat written (A·S·P·fft·8)
//                         + err_var written (S·P·fft·4) + its tables read once (P·fft·8 + S·fft·20)
//                 flops = A·P·fft·6 (y·(1/p), complex) + A·S·P·fft·6 (w0·h0 + w1·h1, complex by real)
//                         + S·P·fft (err_var)
//                 h_hat is 4 MiB: the working set is beyond L2 and inside L3.
//   channel_at(): bytes = 2 pilot values read and 1 written per (antenna, stream), complex, plus the
//                 same for the S error variances (float); flops = A·S·6 + S·5.
//                 A call touches 2·A·S cache lines of the 4 MiB h_hat, and consecutive subcarriers
//                 reuse them, so the useful bytes (not the lines) are what is counted.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include "roofline_counters.h"
#include "sixg/phy/estimation/ls_channel_estimator.h"
#include "sixg/phy/estimation/time_interpolation.h"
#include "sixg/phy/grid/grid_config.h"
#include "sixg/phy/grid/kronecker_pilots.h"
#include "sixg/phy/random/random_stream.h"

namespace {

using namespace sixg::phy;

constexpr int kAntennas = 32;

using sixg::bench::l3_bytes_per_second;
using sixg::bench::l3_store_bytes_per_second;

void report(benchmark::State& state, double items, const char* item_name, double bytes, double flops,
            double bytes_per_second) {
  sixg::bench::report_against_roofline(state, items, item_name, bytes, flops, "flop/s", bytes_per_second);
}

struct SeedFrame {
  GridConfig grid;  // defaults are the seed grid
  KroneckerPilots pilots{grid, 1};
  std::vector<cf32> y;

  SeedFrame() : y(static_cast<std::size_t>(kAntennas * grid.num_ofdm_symbols * grid.fft_size)) {
    RandomStream(4, 0, 0, RandomPurpose::test).fill_complex_normal(y);
  }
};

InterpolationKind kind_of(std::int64_t arg) {
  return arg == 0 ? InterpolationKind::nearest : InterpolationKind::linear;
}

/// range(0): 0 = nearest, 1 = linear frequency interpolation.
void BM_Estimate(benchmark::State& state) {
  const SeedFrame frame;
  LsChannelEstimator estimator(frame.grid, frame.pilots, kAntennas, kind_of(state.range(0)));
  std::vector<cf32> h_hat(estimator.h_hat_size());
  std::vector<float> err_var(estimator.err_var_size());
  for (auto _ : state) {
    estimator.estimate(frame.y, 0.1f, h_hat, err_var);
    benchmark::DoNotOptimize(h_hat.data());
    benchmark::DoNotOptimize(err_var.data());
    benchmark::ClobberMemory();
  }
  const double a = kAntennas, s = frame.grid.num_streams, p = frame.grid.num_pilot_symbols(), fft = frame.grid.fft_size;
  const double bytes = a * p * fft * 8 + a * s * p * fft * 8 + s * p * fft * 4 + p * fft * 8 + s * fft * 20;
  const double flops = a * p * fft * 6 + a * s * p * fft * 6 + s * p * fft;
  // 94 % of the bytes are h_hat stores: the store-only bandwidth applies.
  report(state, a * s * p * fft, "estimates/s", bytes, flops, l3_store_bytes_per_second());
}
BENCHMARK(BM_Estimate)->ArgName("linear")->DenseRange(0, 1)->Unit(benchmark::kMicrosecond);

/// What the pipeline runs since 2026-12-05: the LS values [A, P, F] and err_var only (the detector expands
/// them while staging, detection_batch_bench BM_LsDefault_Expanded). Independent of the interpolation.
void BM_EstimatePilots(benchmark::State& state) {
  const SeedFrame frame;
  LsChannelEstimator estimator(frame.grid, frame.pilots, kAntennas, InterpolationKind::nearest);
  std::vector<cf32> ls(estimator.ls_size());
  std::vector<float> err_var(estimator.err_var_size());
  for (auto _ : state) {
    estimator.estimate_pilots(frame.y, 0.1f, ls, err_var);
    benchmark::DoNotOptimize(ls.data());
    benchmark::DoNotOptimize(err_var.data());
    benchmark::ClobberMemory();
  }
  const double a = kAntennas, s = frame.grid.num_streams, p = frame.grid.num_pilot_symbols(), fft = frame.grid.fft_size;
  // Reads the pilot rows of y and the inverse pilots, writes the LS values and err_var.
  const double bytes = a * p * fft * 8 * 2 + p * fft * 8 + s * p * fft * 4 + s * fft * 4;
  const double flops = a * p * fft * 6 + s * p * fft;
  report(state, a * p * fft, "ls_values/s", bytes, flops, l3_bytes_per_second());
}
BENCHMARK(BM_EstimatePilots)->Unit(benchmark::kMicrosecond);

/// range(0): 0 = nearest, 1 = linear time interpolation; channel_at for all subcarriers of the data
/// symbol 5 (between the pilots on symbols 2 and 11, so linear has two terms).
void BM_ChannelAt(benchmark::State& state) {
  const SeedFrame frame;
  const auto kind = kind_of(state.range(0));
  LsChannelEstimator estimator(frame.grid, frame.pilots, kAntennas, kind);
  std::vector<cf32> h_hat(estimator.h_hat_size());
  std::vector<float> err_var(estimator.err_var_size());
  estimator.estimate(frame.y, 0.1f, h_hat, err_var);
  const TimeInterpolation time(frame.grid, kind);
  const TimeCombination combination = time.combination(4);  // data symbol 4 = OFDM symbol 5
  const int streams = frame.grid.num_streams, fft = frame.grid.fft_size;
  std::vector<cf32> h(static_cast<std::size_t>(kAntennas * streams));
  std::vector<float> err(static_cast<std::size_t>(streams));
  for (auto _ : state) {
    for (int k = 0; k < fft; ++k) {
      estimator.channel_at(h_hat, err_var, combination, k, h, err);
      benchmark::DoNotOptimize(h.data());
      benchmark::DoNotOptimize(err.data());
      benchmark::ClobberMemory();
    }
  }
  // channel_at always reads two pilot symbols (the second with weight 0 for one-term combinations).
  const double as = static_cast<double>(kAntennas * streams), s = streams;
  const double bytes_per_call = as * 3 * 8 + s * 3 * 4;
  const double flops_per_call = as * 6 + s * 5;
  report(state, fft, "calls/s", fft * bytes_per_call, fft * flops_per_call, l3_bytes_per_second());
}
BENCHMARK(BM_ChannelAt)->ArgName("linear")->DenseRange(0, 1)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
