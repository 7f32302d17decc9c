// detect() of one 32 x 16 channel with L received vectors (the seed scenario's per-RE-group call).
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <vector>

#include "sixg/phy/detection/detector.h"
#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

static void BM_Detect(benchmark::State& state) {
  const auto kind = static_cast<DetectorKind>(state.range(0));
  const int antennas = 32, streams = 16, columns = static_cast<int>(state.range(1));
  RandomStream rng(1, 0, 0, RandomPurpose::test);
  Eigen::MatrixXcf h(antennas, streams), y(antennas, columns), x(streams, columns);
  rng.fill_complex_normal({h.data(), static_cast<std::size_t>(h.size())});
  rng.fill_complex_normal({y.data(), static_cast<std::size_t>(y.size())});
  std::vector<float> err(streams, 1e-3f), post(streams);
  const auto detector = make_detector(kind, antennas, streams);
  for (auto _ : state) {
    detector->detect(h, 0.1f, err, y, column_major_view(x.data(), streams, columns), post);
    benchmark::DoNotOptimize(x.data());
  }
}
BENCHMARK(BM_Detect)->ArgNames({"kind", "L"})->ArgsProduct({{0, 1, 2}, {1, 7}})->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
