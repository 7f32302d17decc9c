// Per-frame detection cost of the default scenario (32 rx antennas, 16 streams, 512 subcarriers, 14
// OFDM symbols) on the same inputs, old per-subcarrier path (gather H / y, Detector::detect, scatter, as
// LinkPipeline::detect_frame does today) versus the batched kernels:
//   Ls*:       LS estimate [A, S, P=2, F], nearest interpolation: 2 groups x 6 data columns, LMMSE.
//   Tdl*:      perfect CSI, true channel [A, S, T=1, F]: 1 group of 14 columns, LMMSE.
//   Block*:    one channel for the whole frame (Rayleigh block fading, perfect CSI), 14 x 512 columns:
//              old = Detector per subcarrier; new = LinearFilter design + 16x32 by 32x7168 apply.
// Counters: flops = useful floating-point operations per second (complex multiply-add = 8; the same
// count for old and new), roofline = share of the measured no-FMA FLOP peak (roofline_counters.h:
// peak_flops_per_second() for float, half of it for double) for the work's float/double split: the time the
// useful flops need at peak over the measured time. The bound is FLOP: the inputs (a few MiB per frame)
// stream from L3 in well under that time. (The old path does all of it in double, so its share is
// understated by up to 2x on the float part.)
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <vector>

#include "sixg/phy/detection/detector.h"
#include "sixg/phy/detection/linear_filter.h"
#include "sixg/phy/detection/subcarrier_batch_detector.h"
#include "sixg/phy/estimation/ls_channel_estimator.h"
#include "sixg/phy/grid/kronecker_pilots.h"
#include "sixg/phy/random/random_stream.h"
#include "roofline_counters.h"

using namespace sixg::phy;

namespace {

constexpr int kAnt = 32, kStreams = 16, kFft = 512, kSymbols = 14, kPilots = 2;
constexpr float kN0 = 0.05f;

/// Useful flops of one subcarrier and group with C columns: float Gram + matched filter, double
/// Cholesky + inverse factor + its row norms + two triangular products per column.
struct Flops {
  double single = 0, dual = 0;
};
Flops group_flops(int columns) {
  const double a = kAnt, s = kStreams;
  Flops f;
  f.single = 8 * a * s * (s + 1) / 2 + 8 * a * s * columns;
  double cholesky = 0;
  for (int j = 0; j < kStreams; ++j) {
    for (int i = j + 1; i < kStreams; ++i) cholesky += 8.0 * (kStreams - i);
  }
  f.dual = 2 * cholesky + 4 * s * (s + 1) / 2 + columns * 2 * 8 * s * (s + 1) / 2;
  return f;
}

void set_counters(benchmark::State& state, double single, double dual) {
  state.counters["flops"] = benchmark::Counter(single + dual, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel("bound: FLOP");
  const double float_peak = sixg::bench::peak_flops_per_second(), double_peak = float_peak / 2;  // flop/s, no FMA
  state.counters["roofline"] =
      benchmark::Counter(single / float_peak + dual / double_peak, benchmark::Counter::kIsIterationInvariantRate);
}

struct Frame {
  std::vector<cf32> h;     // [A, S, P, F] (LS) or [A, S, 1, F] (true channel)
  std::vector<float> err;  // [S, P, F]
  std::vector<cf32> y;     // [A, L, F]
  std::vector<cf32> x;     // [S, N_data]
  std::vector<float> nv;   // [S, N_data]
  Frame(int pilots, int columns)
      : h(static_cast<std::size_t>(kAnt * kStreams * pilots * kFft)),
        err(static_cast<std::size_t>(kStreams * pilots * kFft), 0.01f),
        y(static_cast<std::size_t>(kAnt * kSymbols * kFft)),
        x(static_cast<std::size_t>(kStreams * columns * kFft)),
        nv(x.size()) {
    RandomStream rng(1, 0, 0, RandomPurpose::test);
    rng.fill_complex_normal(h);
    rng.fill_complex_normal(y);
  }
};

struct Group {
  int pilot;
  std::vector<std::ptrdiff_t> y_offset, x_offset;
};

/// Data symbols of a 14-symbol slot with pilots on 2 and 11, in groups sharing one H.
std::vector<Group> ls_groups() {
  const int first[6] = {0, 1, 3, 4, 5, 6}, second[6] = {7, 8, 9, 10, 12, 13};
  std::vector<Group> g(2);
  for (int c = 0; c < 6; ++c) {
    g[0].y_offset.push_back(first[c] * kFft);
    g[1].y_offset.push_back(second[c] * kFft);
    g[0].x_offset.push_back(c * kFft);
    g[1].x_offset.push_back((6 + c) * kFft);
  }
  g[0].pilot = 0;
  g[1].pilot = 1;
  return g;
}

std::vector<Group> tdl_groups() {
  std::vector<Group> g(1);
  g[0].pilot = 0;
  for (int c = 0; c < kSymbols; ++c) {
    g[0].y_offset.push_back(c * kFft);
    g[0].x_offset.push_back(c * kFft);
  }
  return g;
}

/// LinkPipeline::detect_frame's loop: per subcarrier and group, gather H (channel_at's arithmetic for
/// LS), gather y, detect, scatter the noise variance.
void old_path(Detector& detector, Frame& f, const std::vector<Group>& groups, int pilots, bool ls, std::vector<cf32>& h,
              std::vector<float>& err, std::vector<cf32>& y) {
  const int columns_total = static_cast<int>(f.x.size() / (kStreams * kFft));
  const std::size_t nd = static_cast<std::size_t>(columns_total) * kFft;
  std::vector<float> post(kStreams);
  for (int k = 0; k < kFft; ++k) {
    for (const Group& g : groups) {
      const std::size_t p = static_cast<std::size_t>(g.pilot);
      for (int s = 0; s < kStreams; ++s) {
        err[static_cast<std::size_t>(s)] =
            ls ? 1.0f * 1.0f * f.err[(s * pilots + p) * kFft + static_cast<std::size_t>(k)] + 0.0f : 0.0f;
        for (int a = 0; a < kAnt; ++a) {
          h[static_cast<std::size_t>(s * kAnt + a)] =
              1.0f *
              f.h[((static_cast<std::size_t>(a) * kStreams + s) * pilots + p) * kFft + static_cast<std::size_t>(k)];
        }
      }
      const int count = static_cast<int>(g.y_offset.size());
      for (int c = 0; c < count; ++c) {
        for (int a = 0; a < kAnt; ++a) {
          y[static_cast<std::size_t>(c * kAnt + a)] =
              f.y[static_cast<std::size_t>(a * kSymbols * kFft + g.y_offset[static_cast<std::size_t>(c)] + k)];
        }
      }
      CMatrixView x = matrix_view(f.x.data() + g.x_offset[0] + k, kStreams, count, static_cast<Eigen::Index>(nd), kFft);
      detector.detect(column_major_view(h.data(), kAnt, kStreams), kN0, err, column_major_view(y.data(), kAnt, count),
                      x, post);
      for (int s = 0; s < kStreams; ++s) {
        for (int c = 0; c < count; ++c) {
          f.nv[s * nd + static_cast<std::size_t>(g.x_offset[static_cast<std::size_t>(c)] + k)] =
              post[static_cast<std::size_t>(s)];
        }
      }
    }
  }
}

/// The pilots' LS values [A, P, F] and the interpolation that expands them (the pipeline's LS path).
struct LsValues {
  const cf32* ls;
  LsInterpolation interpolation;
};

/// One detect() per group, from f.h [A, S, P, F], or with `expanded` from its LS values instead.
void new_path(SubcarrierBatchDetector& detector, Frame& f, const std::vector<Group>& groups, int pilots, bool ls,
              const LsValues* expanded = nullptr) {
  const auto nd = static_cast<std::ptrdiff_t>(f.x.size() / kStreams);
  for (const Group& g : groups) {
    ChannelGroupView v;
    if (expanded != nullptr) {
      v.ls = expanded->ls;
      v.interpolation = expanded->interpolation;
      v.ant_stride = static_cast<std::ptrdiff_t>(pilots) * kFft;
    } else {
      v.h = f.h.data();
      v.ant_stride = static_cast<std::ptrdiff_t>(kStreams) * pilots * kFft;
      v.stream_stride = static_cast<std::ptrdiff_t>(pilots) * kFft;
    }
    v.term_offset[0] = static_cast<std::ptrdiff_t>(g.pilot) * kFft;
    v.err = ls ? f.err.data() : nullptr;
    v.err_stream_stride = static_cast<std::ptrdiff_t>(pilots) * kFft;
    v.err_term_offset[0] = v.term_offset[0];
    v.n0 = kN0;
    v.y = f.y.data();
    v.y_ant_stride = static_cast<std::ptrdiff_t>(kSymbols) * kFft;
    v.y_column_offset = g.y_offset;
    v.x_hat = f.x.data();
    v.nv = f.nv.data();
    v.x_stream_stride = nd;
    v.x_column_offset = g.x_offset;
    detector.detect(v);
  }
}

void run_old(benchmark::State& state, const std::vector<Group>& groups, int pilots, bool ls, int columns_total) {
  Frame f(pilots, columns_total);
  const auto detector = make_detector(DetectorKind::lmmse, kAnt, kStreams);
  std::vector<cf32> h(kAnt * kStreams), y(static_cast<std::size_t>(kAnt * kSymbols));
  std::vector<float> err(kStreams);
  for (auto _ : state) {
    old_path(*detector, f, groups, pilots, ls, h, err, y);
    benchmark::DoNotOptimize(f.x.data());
  }
}

void run_new(benchmark::State& state, const std::vector<Group>& groups, int pilots, bool ls, int columns_total) {
  Frame f(pilots, columns_total);
  SubcarrierBatchDetector detector(DetectorKind::lmmse, kAnt, kStreams, kFft);
  for (auto _ : state) {
    new_path(detector, f, groups, pilots, ls);
    benchmark::DoNotOptimize(f.x.data());
  }
}

void count_groups(benchmark::State& state, const std::vector<Group>& groups) {
  double single = 0, dual = 0;
  for (const Group& g : groups) {
    const Flops f = group_flops(static_cast<int>(g.y_offset.size()));
    single += f.single * kFft;
    dual += f.dual * kFft;
  }
  set_counters(state, single, dual);
}

void BM_LsDefault_Old(benchmark::State& state) {
  run_old(state, ls_groups(), kPilots, true, 12);
  count_groups(state, ls_groups());
}
void BM_LsDefault_Batch(benchmark::State& state) {
  run_new(state, ls_groups(), kPilots, true, 12);
  count_groups(state, ls_groups());
}

/// What the pipeline runs since 2026-12-05: the same groups, with the channel expanded from the pilots'
/// LS values [A, P, F] while staging (nearest-neighbour tables of the seed grid) instead of read from an
/// [A, S, P, F] estimate. Same flop count: the expansion's multiplies are not counted.
void BM_LsDefault_Expanded(benchmark::State& state) {
  Frame f(kPilots, 12);
  const GridConfig grid;  // the seed grid: 16 streams, FFT 512, pilots on symbols 2 and 11
  const KroneckerPilots pilots(grid, 1);
  const LsChannelEstimator estimator(grid, pilots, kAnt, InterpolationKind::nearest);
  std::vector<cf32> ls(estimator.ls_size());
  RandomStream(3, 0, 0, RandomPurpose::test).fill_complex_normal(ls);
  SubcarrierBatchDetector detector(DetectorKind::lmmse, kAnt, kStreams, kFft);
  const auto groups = ls_groups();
  const LsValues expanded{ls.data(), estimator.frequency_interpolation()};
  for (auto _ : state) {
    new_path(detector, f, groups, kPilots, true, &expanded);
    benchmark::DoNotOptimize(f.x.data());
  }
  count_groups(state, groups);
}
void BM_TdlPerfect_Old(benchmark::State& state) {
  run_old(state, tdl_groups(), 1, false, kSymbols);
  count_groups(state, tdl_groups());
}
void BM_TdlPerfect_Batch(benchmark::State& state) {
  run_new(state, tdl_groups(), 1, false, kSymbols);
  count_groups(state, tdl_groups());
}

/// Block fading: every subcarrier has the same channel. Old: Detector per subcarrier on 14 columns.
void BM_BlockFading_Old(benchmark::State& state) {
  Frame f(1, kSymbols);
  RandomStream rng(2, 0, 0, RandomPurpose::test);
  Eigen::MatrixXcf h(kAnt, kStreams);
  rng.fill_complex_normal({h.data(), static_cast<std::size_t>(h.size())});
  const auto detector = make_detector(DetectorKind::lmmse, kAnt, kStreams);
  std::vector<float> post(kStreams);
  const auto n = static_cast<Eigen::Index>(kSymbols) * kFft;
  for (auto _ : state) {
    for (int k = 0; k < kFft; ++k) {
      detector->detect(h, kN0, {}, matrix_view(static_cast<const cf32*>(f.y.data()) + k, kAnt, kSymbols, n, kFft),
                       matrix_view(f.x.data() + k, kStreams, kSymbols, n, kFft), post);
    }
    benchmark::DoNotOptimize(f.x.data());
  }
  const Flops g = group_flops(kSymbols);
  set_counters(state, g.single * kFft, g.dual * kFft);
}

/// New: W once per frame, then X [16 x 7168] = W [16 x 32] Y [32 x 7168]. Counted: the GEMM only.
void BM_BlockFading_LinearFilter(benchmark::State& state) {
  Frame f(1, kSymbols);
  RandomStream rng(2, 0, 0, RandomPurpose::test);
  Eigen::MatrixXcf h(kAnt, kStreams);
  rng.fill_complex_normal({h.data(), static_cast<std::size_t>(h.size())});
  LinearFilter filter(DetectorKind::lmmse, kAnt, kStreams);
  const auto n = static_cast<std::ptrdiff_t>(kSymbols) * kFft;
  for (auto _ : state) {
    filter.design(h, kN0, {});
    filter.apply(f.y.data(), n, n, f.x.data(), n);
    benchmark::DoNotOptimize(f.x.data());
  }
  set_counters(state, 8.0 * kStreams * kAnt * static_cast<double>(n), 0.0);
}

}  // namespace

BENCHMARK(BM_LsDefault_Old)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LsDefault_Batch)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LsDefault_Expanded)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TdlPerfect_Old)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TdlPerfect_Batch)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BlockFading_Old)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BlockFading_LinearFilter)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
