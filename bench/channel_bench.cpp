// Channel kernels at the seed scenario's size (32 receive antennas, 16 streams, 14 OFDM symbols, 512
// subcarriers): apply_channel with a TDL-shaped h (T = 1 and T = 14 time samples), the frequency-flat
// product apply_flat_channel, and TdlChannel::generate (TDL-C, static and at 30 m/s).
//
// Counters (bench/roofline_counters.h): FLOP/s counts 8 real operations per complex multiply-accumulate
// (4 mul + 4 add, no FMA); bytes/s counts each array the call must touch once (h, x read; y written),
// i.e. the compulsory traffic; bound_share is the measured roofline's time for both over the measured
// time. The bandwidth bound is the L3 one for the static working set (about 5 MiB) and, for the
// per-symbol h (28 MiB, 30.6 MiB with x and y), the DRAM one where that is over half the L3
// (roofline_counters.h: streams_from_dram; the EPYC's 32 MiB) and the L3 one where it is not.
#include <benchmark/benchmark.h>

#include <vector>

#include "sixg/phy/channel/apply_channel.h"
#include "sixg/phy/channel/channel_model.h"
#include "sixg/phy/channel/tdl_channel.h"
#include "sixg/phy/channel/tdl_profile.h"
#include "sixg/phy/random/random_stream.h"
#include "roofline_counters.h"

using namespace sixg::phy;

namespace {

constexpr ChannelDims kSeed{32, 16, 14, 512};

std::vector<cf32> random_vector(std::size_t n, std::uint64_t frame) {
  std::vector<cf32> v(n);
  RandomStream rng(1, 0, frame, RandomPurpose::test);
  rng.fill_complex_normal(v);
  return v;
}


}  // namespace

static void BM_ApplyChannel(benchmark::State& state) {
  const auto d = kSeed;
  const int times = static_cast<int>(state.range(0));
  const std::size_t h_n = static_cast<std::size_t>(d.num_rx_ant) * d.num_tx * times * d.fft_size;
  const std::size_t x_n = static_cast<std::size_t>(d.num_tx) * d.num_ofdm_symbols * d.fft_size;
  const std::size_t y_n = static_cast<std::size_t>(d.num_rx_ant) * d.num_ofdm_symbols * d.fft_size;
  const auto h = random_vector(h_n, 1), x = random_vector(x_n, 2);
  std::vector<cf32> y(y_n);
  for (auto _ : state) {
    apply_channel(h, times, x, y, d);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  // Per-symbol h (T = 14) is 28 MiB per frame: more than a 32 MiB L3 holds next to x and y, so there it
  // streams from DRAM (a larger L3, like the Xeon's 480 MiB, keeps it); the static h (2 MiB) stays in L3.
  const double bytes = static_cast<double>((h_n + x_n + y_n) * sizeof(cf32));
  const bool from_dram = sixg::bench::streams_from_dram(bytes);
  sixg::bench::report_against_roofline(state, static_cast<double>(y_n), "RE/s", bytes,
                                       8.0 * static_cast<double>(y_n) * d.num_tx, "FLOP/s",
                                       from_dram ? sixg::bench::dram_bytes_per_second()
                                                 : sixg::bench::l3_bytes_per_second(),
                                       from_dram ? "DRAM bandwidth" : "L3 bandwidth");
}
BENCHMARK(BM_ApplyChannel)->ArgName("T")->Arg(1)->Arg(14)->Unit(benchmark::kMicrosecond);

// The frequency-flat product of the uncoded seed chain: one 32 x 16 matrix times 16 x 7168 complex.
static void BM_ApplyFlatChannel(benchmark::State& state) {
  const auto d = kSeed;
  const std::size_t h_n = static_cast<std::size_t>(d.num_rx_ant) * d.num_tx;
  const std::size_t x_n = static_cast<std::size_t>(d.num_tx) * d.num_ofdm_symbols * d.fft_size;
  const std::size_t y_n = static_cast<std::size_t>(d.num_rx_ant) * d.num_ofdm_symbols * d.fft_size;
  const auto h = random_vector(h_n, 1), x = random_vector(x_n, 2);
  std::vector<cf32> y(y_n);
  for (auto _ : state) {
    apply_flat_channel(h, x, y, d);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  sixg::bench::report_against_roofline(state, static_cast<double>(y_n), "RE/s",
                                       static_cast<double>((h_n + x_n + y_n) * sizeof(cf32)),
                                       8.0 * static_cast<double>(y_n) * d.num_tx, "FLOP/s",
                                       sixg::bench::l3_bytes_per_second());
}
BENCHMARK(BM_ApplyFlatChannel)->Unit(benchmark::kMicrosecond);

static void BM_TdlGenerate(benchmark::State& state) {
  ChannelConfig c;  // seed scenario: TDL-C, 32 x 16, 512 subcarriers, 14 symbols
  c.speed = static_cast<double>(state.range(0));
  const TdlChannel model(c, tdl_profile(ChannelModelKind::tdl_c));
  const std::size_t pairs = static_cast<std::size_t>(c.num_rx_ant) * c.num_tx;
  std::vector<cf32> h(pairs * model.num_time_samples() * c.fft_size);
  std::uint64_t frame = 0;
  for (auto _ : state) {
    RandomStream rng(1, 0, frame++, RandomPurpose::channel);
    model.generate(rng, h);
    benchmark::DoNotOptimize(h.data());
    benchmark::ClobberMemory();
  }
  // The tap-to-subcarrier product: rank components x 24 taps per pair and subcarrier, plus the real
  // mix of the rank components into each time sample (4 flops per complex value and component).
  const double taps = tdl_profile(ChannelModelKind::tdl_c).num_entries();
  const double rank = model.doppler_rank();
  const double per_pair = 8.0 * rank * taps * c.fft_size + 4.0 * rank * model.num_time_samples() * c.fft_size;
  // h is only written, so the store-only bandwidth bounds its traffic.
  sixg::bench::report_against_roofline(state, static_cast<double>(h.size()), "RE/s",
                                       static_cast<double>(h.size() * sizeof(cf32)),
                                       per_pair * static_cast<double>(pairs), "FLOP/s",
                                       sixg::bench::l3_store_bytes_per_second());
  state.counters["rank"] = rank;
}
BENCHMARK(BM_TdlGenerate)->ArgName("speed")->Arg(0)->Arg(30)->Unit(benchmark::kMicrosecond);

// Roofline reference: the attainable read bandwidth on this machine for a buffer of the given size
// (2 MiB ~ static h, 28 MiB ~ per-symbol h: L2/L3 vs DRAM), summing floats in 8 independent chains.
static void BM_ReadBandwidth(benchmark::State& state) {
  const auto bytes = static_cast<std::size_t>(state.range(0)) << 20;
  std::vector<float> buffer(bytes / sizeof(float), 1.0f);
  for (auto _ : state) {
    float sum[8] = {};
    for (std::size_t i = 0; i < buffer.size(); i += 8) {
      for (std::size_t j = 0; j < 8; ++j) sum[j] += buffer[i + j];
    }
    benchmark::DoNotOptimize(sum);
  }
  state.counters["bytes/s"] = benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ReadBandwidth)->ArgName("MiB")->Arg(2)->Arg(32)->Unit(benchmark::kMicrosecond);
