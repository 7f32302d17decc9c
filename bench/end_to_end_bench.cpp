// End-to-end throughput of the link pipeline (information bits per second of wall time), the figure a
// user sees, versus batch size and thread count:
//   - Coded:   the default scenario (seed dims, LDPC r=1/2 with early stop, TDL-C, LS, LMMSE) at
//              Eb/N0 = -9.8 dB, the point of a 0.2 dB grid nearest BLER 1e-1 (issue 7's operating point;
//              `sixg simulate --ebno=-10:0.2:-9.4 --max-frames 400`: BLER 0.134, 0.116, 0.050, 0.026).
//   - Uncoded: the seed chain of bench/numpy_reference.py (Rayleigh block fading, perfect CSI, no
//              pilots, no CP, one LMMSE filter per frame, max-log QPSK).
// Each iteration pushes one batch of frames through LinkPipeline::process_frames, with new frame
// indices every time (so the work is real, not cached).
//
//   ninja -C build/release end_to_end_bench && build/release/bench/end_to_end_bench
#include <benchmark/benchmark.h>

#include <memory_resource>
#include <vector>

#include "sixg/sim/link_pipeline.h"

namespace {

using namespace sixg::sim;

Scenario uncoded_seed_chain() {
  Scenario s;
  s.code = CodeKind::none;
  s.csi = CsiKind::perfect;
  s.channel = ChannelKind::rayleigh;
  s.pilot_symbols.clear();
  s.cp_length = 0;
  return s;
}

void run(benchmark::State& state, const Scenario& scenario, double ebno_db) {
  const int batch = static_cast<int>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  LinkPipeline pipeline(scenario, 1, batch, threads, std::pmr::new_delete_resource());
  std::vector<ErrorCounts> counts(static_cast<std::size_t>(batch));
  std::uint64_t frame = 0, bits = 0, bit_errors = 0, block_errors = 0, blocks = 0;
  for (auto _ : state) {
    pipeline.process_frames(0, ebno_db, frame, counts);
    frame += static_cast<std::uint64_t>(batch);
    for (const auto& c : counts) {
      bits += c.num_bits;
      bit_errors += c.bit_errors;
      block_errors += c.block_errors;
      blocks += c.num_blocks;
    }
  }
  state.counters["info_bit_rate"] = benchmark::Counter(static_cast<double>(bits), benchmark::Counter::kIsRate);
  state.counters["frames_per_s"] = benchmark::Counter(static_cast<double>(frame), benchmark::Counter::kIsRate);
  state.counters["ber"] = static_cast<double>(bit_errors) / static_cast<double>(bits);
  state.counters["bler"] = static_cast<double>(block_errors) / static_cast<double>(blocks);
}

void BM_CodedDefault(benchmark::State& state) { run(state, Scenario{}, -9.8); }
void BM_UncodedSeedChain(benchmark::State& state) { run(state, uncoded_seed_chain(), -10.0); }

void batch_and_threads(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2}) {
    for (int batch : {1, 2, 4, 8, 16, 32}) {
      if (batch >= threads) b->Args({batch, threads});
    }
  }
  b->ArgNames({"batch", "threads"})->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(1.0);
}

}  // namespace

BENCHMARK(BM_CodedDefault)->Apply(batch_and_threads);
BENCHMARK(BM_UncodedSeedChain)->Apply(batch_and_threads);
