// Throughput of the Philox4x32-10 random streams: one frame's AWGN (32 x 14 x 512 complex normals),
// information bits (one bit per byte) and Philox blocks (scalar reference and 16-lane kernel).
//
// Roofline. Outputs are at most a few hundred KiB and the work per output byte is large, so the
// bound is arithmetic, not memory (458752 normals x 4 B per frame at 2 ns each is < 2 GB/s). Flops
// per normal, counted in the compiled 16-lane kernel (objdump of normals_group, 64 normals per call):
//   Box-Muller + polynomials: 116 vmulps + 68 vaddps + 16 vsubps + 4 vdivps + 4 vsqrtps = 208
//     8-lane float ops = 1664 flops / 64 normals = 26 flops/normal;
//   Philox: 20 32x32->64 multiplies per block = 5 per normal (the xor/shuffle work is not counted);
//   total kFlopsPerNormal = 31. bound_share = (flops / measured no-FMA peak) / time, the peak from
//   bench/roofline_counters.h (measured: 77-87 GFLOP/s on the EPYC and the Xeon, a bound of ~0.4 ns/normal).
// Note the kernel is really bound by the vector issue width (~14 vector ops per normal of which
// half are integer Philox work, at ~3.7 ops/cycle measured), which the flop count does not show.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "sixg/phy/channel/awgn_noise.h"
#include "sixg/phy/random/philox.h"
#include "sixg/phy/random/random_stream.h"
#include "sixg/phy/types.h"
#include "roofline_counters.h"

namespace {

using sixg::phy::cf32;
using sixg::phy::RandomPurpose;
using sixg::phy::RandomStream;

constexpr std::size_t kFrameNoise = 32 * 14 * 512;  // complex normals per frame (229376)
constexpr double kFlopsPerNormal = 31.0;

void BM_FillComplexNormalFrame(benchmark::State& state) {
  std::vector<cf32> out(kFrameNoise);
  std::uint64_t frame = 0;
  for (auto _ : state) {
    RandomStream rng(1, 0, frame++, RandomPurpose::noise);
    rng.fill_complex_normal(out, 0.5f);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  // Per iteration: 2 x kFrameNoise normals, 8 B stored per complex value (1.75 MiB, so L3; at the L3
  // store rate that is far below the FLOP time, so the FLOP bound applies).
  const double per_frame = 2.0 * static_cast<double>(kFrameNoise);
  sixg::bench::report_against_roofline(state, per_frame, "normals/s", 8.0 * static_cast<double>(kFrameNoise),
                                       per_frame * kFlopsPerNormal, "flop/s", sixg::bench::l3_store_bytes_per_second());
  state.counters["ns_per_normal"] = benchmark::Counter(per_frame * static_cast<double>(state.iterations()) * 1e-9,
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_FillComplexNormalFrame)->Unit(benchmark::kMicrosecond);

// What the pipeline runs: the frame's noise added to the received grid, via a 4 KiB L1 scratch.
void BM_AddAwgnFrame(benchmark::State& state) {
  std::vector<cf32> y(kFrameNoise, cf32(1.0f, -1.0f));
  std::uint64_t frame = 0;
  for (auto _ : state) {
    RandomStream rng(1, 0, frame++, RandomPurpose::noise);
    sixg::phy::add_awgn(rng, y, 0.5f);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const double normals = 2.0 * static_cast<double>(kFrameNoise) * static_cast<double>(state.iterations());
  state.counters["ns_per_normal"] =
      benchmark::Counter(normals * 1e-9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_AddAwgnFrame)->Unit(benchmark::kMicrosecond);

void BM_FillBits(benchmark::State& state) {
  std::vector<std::uint8_t> bits(static_cast<std::size_t>(state.range(0)));
  std::uint64_t frame = 0;
  for (auto _ : state) {
    RandomStream(1, 0, frame++, RandomPurpose::info_bits).fill_bits(bits);
    benchmark::DoNotOptimize(bits.data());
    benchmark::ClobberMemory();
  }
  const double n = static_cast<double>(bits.size()) * static_cast<double>(state.iterations());
  state.counters["bits/s"] = benchmark::Counter(n, benchmark::Counter::kIsRate);
  state.counters["ns_per_bit"] =
      benchmark::Counter(n * 1e-9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_FillBits)->Arg(1 << 17)->Unit(benchmark::kMicrosecond);

// Uniforms are one word each and cost almost nothing beyond Philox: this is the 8-lane Philox rate
// (blocks/s = uniforms/s / 4).
void BM_FillUniformVectorPhilox(benchmark::State& state) {
  std::vector<float> out(1 << 16);
  std::uint64_t frame = 0;
  for (auto _ : state) {
    RandomStream(1, 0, frame++, RandomPurpose::test).fill_uniform(out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  const double blocks = static_cast<double>(out.size()) / 4.0 * static_cast<double>(state.iterations());
  state.counters["blocks/s"] = benchmark::Counter(blocks, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FillUniformVectorPhilox)->Unit(benchmark::kMicrosecond);

// Scalar Philox block throughput (the reference function every vector kernel must reproduce).
void BM_PhiloxScalarBlocks(benchmark::State& state) {
  sixg::phy::PhiloxCounter c{0, 1, 2, 3};
  std::uint32_t sink = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1024; ++i) {
      c[0] = static_cast<std::uint32_t>(i);
      sink ^= sixg::phy::philox4x32_10(c, {5, 6})[0];
    }
    benchmark::DoNotOptimize(sink);
  }
  state.counters["blocks/s"] =
      benchmark::Counter(1024.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PhiloxScalarBlocks);

}  // namespace
