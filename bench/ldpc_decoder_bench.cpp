// LDPC decoder throughput, information bits per second on one core: BG1, Zc = 384 (K = 8448), rate 1/2
// (E = 16896 transmitted bits), fixed 10 or 20 iterations (early stop off), each check-node update and
// arithmetic; the same code with early stop at a high SNR (3 dB: 5 iterations per frame).
// Also the whole stream codec (de-rate-matching + decoding) for the default scenario (k = 6144).
//
// Roofline (bench/roofline_counters.h, the measured roofline; no other peak is assumed): min-sum is
// compares, mins and integer adds on 256-bit vectors, so the bound is SIMD ALU op issue: Zen 3 issues
// 4 vector ALU ops per cycle, and the measured float peak (peak_flops_per_second(): mul + add chains on 4 pipes,
// 8 lanes per op: 31.6 flop/cycle at 2.45 GHz there) is that issue rate times 8, so each vector op counts 8.
// That equivalence is Zen 3's port layout; on Intel cores the float and integer SIMD ports differ (3 vector
// ALU ports, float add/mul on 2-3 of them), so there the share is an approximation of the issue bound. Count per
// vector-edge (one edge, 16 int16 or 8 float32 checks) and iteration:
//   fixed16: 12 (pass over the edges: saturating subtract, abs, max, 2 min, xor; update: abs, compare,
//            blend, or, sign, saturating add) plus 12 per 16 checks and layer (minima correction);
//   float32: 13 (subtract, abs, max, 2 min, xor; subtract, abs, compare, blend, and, xor, add) plus
//            6 per 8 checks and layer.
// BG1 Zc = 384 rate 1/2 processes 24 of the 46 rows: 210 edges x 384 checks per iteration. The working
// set (int16: 61 KB a-posteriori values + 161 KB messages) stays in L2, so the only traffic from L3 is
// the frame's LLRs in and bits out (l3_bytes_per_second()): far from binding. bound_share = the SIMD-issue
// time of the counted ops over the measured time. Sum-product (exp/log in float) reports no share.
//
//   ninja -C build/release ldpc_decoder_bench && build/release/bench/ldpc_decoder_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "roofline_counters.h"
#include "sixg/phy/ldpc/ldpc_decoder.h"
#include "sixg/phy/ldpc/ldpc_encoder.h"
#include "sixg/phy/ldpc/ldpc_rate_matcher.h"
#include "sixg/phy/ldpc/ldpc_stream_codec.h"
#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

// Noisy LLRs (BPSK, AWGN at Eb/N0 = 1.5 dB, ln P1/P0) for `coded` bits; the values do not change the
// work done when early stop is off, but keep the arithmetic realistic.
std::vector<float> noisy_llrs(const std::vector<std::uint8_t>& coded, double rate, double ebno_db = 1.5) {
  const double sigma2 = 1.0 / (2.0 * rate * std::pow(10.0, ebno_db / 10.0));
  std::vector<float> noise(coded.size());
  RandomStream(5, 0, 0, RandomPurpose::noise).fill_normal(noise, static_cast<float>(std::sqrt(sigma2)));
  std::vector<float> llr(coded.size());
  for (std::size_t i = 0; i < coded.size(); ++i) {
    llr[i] = static_cast<float>(-2.0 * ((coded[i] ? -1.0 : 1.0) + noise[i]) / sigma2);
  }
  return llr;
}

// Decodes one BG1 Zc = 384 rate-1/2 code block at `ebno_db` over and over; counts information bits
// per second and iterations per frame.
void decode_bg1_z384(benchmark::State& state, const LdpcDecoderOptions& options, double ebno_db) {
  constexpr int kZ = 384, kInfo = 8448, kCoded = 16896;

  const LdpcEncoder encoder(LdpcBaseGraph::bg1, kZ);
  const LdpcRateMatcher rate_matcher(LdpcBaseGraph::bg1, kZ, kInfo, kCoded, 1);
  std::vector<std::uint8_t> info(kInfo), codeword(static_cast<std::size_t>(encoder.codeword_length())), sent(kCoded);
  RandomStream(5, 0, 0, RandomPurpose::info_bits).fill_bits(info);
  encoder.encode(info, codeword);
  rate_matcher.rate_match(codeword, sent);
  std::vector<float> codeword_llr(codeword.size());
  rate_matcher.rate_recover(noisy_llrs(sent, 0.5, ebno_db), codeword_llr);

  LdpcDecoder decoder(LdpcBaseGraph::bg1, kZ, options);
  std::vector<std::uint8_t> decoded(kInfo);
  long iterations_run = 0;
  for (auto _ : state) {
    iterations_run += decoder.decode(codeword_llr, decoded);
    benchmark::DoNotOptimize(decoded.data());
    benchmark::ClobberMemory();
  }
  if (options.early_stop && decoded != info) state.SkipWithError("frame not decoded");
  const double iterations_per_frame = static_cast<double>(iterations_run) /
                                      static_cast<double>(std::max<benchmark::IterationCount>(state.iterations(), 1));
  state.counters["iterations"] = iterations_per_frame;
  if (options.check_update == LdpcCheckUpdate::sum_product) {
    state.counters["info_bit_rate"] = benchmark::Counter(
        static_cast<double>(kInfo) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    return;
  }
  // Rows 0..23 are received at rate 1/2 (their parity columns 26..45 are sent); count their edges.
  int edges = 0;
  for (const auto& entry : ldpc_base_graph(LdpcBaseGraph::bg1).lift(kZ)) edges += entry.row < 24 ? 1 : 0;
  const bool fixed = options.arithmetic == LdpcArithmetic::fixed16;
  const double lanes = fixed ? 16.0 : 8.0;
  const double ops_per_vector_edge = fixed ? 12.0 : 13.0;
  const double ops_per_vector_check = fixed ? 12.0 : 6.0;  // per vector of checks and layer
  const double vector_ops =
      iterations_per_frame * (edges * kZ / lanes * ops_per_vector_edge + 24.0 * kZ / lanes * ops_per_vector_check);
  const double bytes = static_cast<double>(codeword_llr.size()) * sizeof(float) + kInfo;  // LLRs in, bits out
  constexpr double kLanesPerCountedOp = 8.0;  // the float peak counts 8 float lanes per vector op
  sixg::bench::report_against_roofline(state, kInfo, "info_bit_rate", bytes, vector_ops * kLanesPerCountedOp,
                                       "vector_op_lanes", sixg::bench::l3_bytes_per_second());
  state.SetLabel("bound: SIMD ALU op issue (float peak / 8 vector ops/s)");
}

// Arguments: check update (0 normalised min-sum, 1 offset min-sum, 2 sum-product), iterations (early
// stop off), arithmetic (0 fixed16, 1 float32).
void BM_LdpcDecodeBg1Z384(benchmark::State& state) {
  LdpcDecoderOptions options;
  options.check_update = static_cast<LdpcCheckUpdate>(state.range(0));
  options.iterations = static_cast<int>(state.range(1));
  options.arithmetic = static_cast<LdpcArithmetic>(state.range(2));
  options.early_stop = false;
  decode_bg1_z384(state, options, 1.5);
}

// Default options (normalised min-sum, up to 20 iterations, early stop) at Eb/N0 = 3 dB; argument:
// arithmetic (0 fixed16, 1 float32).
void BM_LdpcDecodeBg1Z384EarlyStop(benchmark::State& state) {
  LdpcDecoderOptions options;
  options.arithmetic = static_cast<LdpcArithmetic>(state.range(0));
  decode_bg1_z384(state, options, 3.0);
}

void BM_LdpcStreamCodecDecodeDefault(benchmark::State& state) {
  LdpcDecoderOptions options;
  options.iterations = static_cast<int>(state.range(0));
  options.early_stop = false;
  LdpcStreamCodec codec(6144, 12288, 2, options);
  std::vector<std::uint8_t> info(6144), coded(12288);
  RandomStream(6, 0, 0, RandomPurpose::info_bits).fill_bits(info);
  codec.encode(info, coded);
  const auto llr = noisy_llrs(coded, 0.5);
  std::vector<std::uint8_t> decoded(6144);
  for (auto _ : state) {
    codec.decode(llr, decoded);
    benchmark::DoNotOptimize(decoded.data());
    benchmark::ClobberMemory();
  }
  state.counters["info_bit_rate"] =
      benchmark::Counter(6144.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_LdpcStreamCodecEncodeDefault(benchmark::State& state) {
  LdpcStreamCodec codec(6144, 12288, 2);
  std::vector<std::uint8_t> info(6144), coded(12288);
  RandomStream(6, 0, 0, RandomPurpose::info_bits).fill_bits(info);
  for (auto _ : state) {
    codec.encode(info, coded);
    benchmark::DoNotOptimize(coded.data());
    benchmark::ClobberMemory();
  }
  state.counters["info_bit_rate"] =
      benchmark::Counter(6144.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_LdpcDecodeBg1Z384)
    ->ArgNames({"update", "iterations", "float"})
    ->Args({0, 10, 0})
    ->Args({0, 10, 1})
    ->Args({0, 20, 0})
    ->Args({1, 10, 0})
    ->Args({1, 10, 1})
    ->Args({2, 10, 1})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LdpcDecodeBg1Z384EarlyStop)->ArgName("float")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LdpcStreamCodecDecodeDefault)->ArgName("iterations")->Arg(20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LdpcStreamCodecEncodeDefault)->Unit(benchmark::kMicrosecond);
