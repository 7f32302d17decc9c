// LDPC decoder throughput, information bits per second on one core: BG1, Zc = 384 (K = 8448), rate 1/2
// (E = 16896 transmitted bits), fixed 10 or 20 iterations (early stop off), each check-node update and
// arithmetic; the same code with early stop at a high SNR (3 dB: 5 iterations per frame).
// Also the whole stream codec (de-rate-matching + decoding) for the default scenario (k = 6144).
//
// Roofline, for the 10-iteration case: BG1 rate 1/2 receives 24 of the 46 rows, 210 edges, x Zc = 384
// checks = 80640 edge updates per iteration, 806400 per frame. Per edge and vector of lanes the min-sum
// kernel issues ~14 vector ALU ops (pass over the checks: subtract, abs, max, 2 min, xor; pass writing
// messages: subtract, abs, compare, blend (2 uops), sign, saturating add, the 1st iteration skipping
// the subtractions) and ~9.5 memory ops (7.5 loads incl. the read index, 2 stores). With 4 vector pipes
// and 2 loads + 1 store per cycle that is ~4 cycles per vector-edge: int16 (16 lanes) 50400
// vector-edges = ~82 us per frame at 2.45 GHz (~100 Mbit/s bound), float32 (8 lanes) ~165 us
// (~51 Mbit/s bound). Equivalently 14 ALU lane-ops per edge per iteration against an int16 peak of
// 4 x 16 x 2.45 G = 157 G lane-ops/s. Measured (2-core EPYC, quiet minimum of single calls): int16
// 175 us (48 Mbit/s, ~47 % of its bound), float32 274 us (31 Mbit/s, ~60 %). The working set (int16:
// 61 KB of a-posteriori values + 161 KB of messages) sits in L2, so memory bandwidth is not the bound.
//
//   ninja -C build/release ldpc_decoder_bench && build/release/bench/ldpc_decoder_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

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
  state.counters["info_bit_rate"] = benchmark::Counter(
      static_cast<double>(kInfo) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["iterations"] =
      static_cast<double>(iterations_run) / static_cast<double>(std::max<benchmark::IterationCount>(state.iterations(), 1));
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
