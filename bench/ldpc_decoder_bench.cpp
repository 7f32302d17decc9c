// LDPC decoder throughput, information bits per second on one core: BG1, Zc = 384 (K = 8448), rate 1/2
// (E = 16896 transmitted bits), fixed 10 or 20 iterations (early stop off), each check-node update.
// Also the whole stream codec (de-rate-matching + decoding) for the default scenario (k = 6144).
//
//   ninja -C build/release ldpc_decoder_bench && build/release/bench/ldpc_decoder_bench
#include <benchmark/benchmark.h>

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
std::vector<float> noisy_llrs(const std::vector<std::uint8_t>& coded, double rate) {
  const double sigma2 = 1.0 / (2.0 * rate * std::pow(10.0, 0.15));
  std::vector<float> noise(coded.size());
  RandomStream(5, 0, 0, RandomPurpose::noise).fill_normal(noise, static_cast<float>(std::sqrt(sigma2)));
  std::vector<float> llr(coded.size());
  for (std::size_t i = 0; i < coded.size(); ++i) {
    llr[i] = static_cast<float>(-2.0 * ((coded[i] ? -1.0 : 1.0) + noise[i]) / sigma2);
  }
  return llr;
}

void BM_LdpcDecodeBg1Z384(benchmark::State& state) {
  constexpr int kZ = 384, kInfo = 8448, kCoded = 16896;
  LdpcDecoderOptions options;
  options.check_update = static_cast<LdpcCheckUpdate>(state.range(0));
  options.iterations = static_cast<int>(state.range(1));
  options.early_stop = false;

  const LdpcEncoder encoder(LdpcBaseGraph::bg1, kZ);
  const LdpcRateMatcher rate_matcher(LdpcBaseGraph::bg1, kZ, kInfo, kCoded, 1);
  std::vector<std::uint8_t> info(kInfo), codeword(static_cast<std::size_t>(encoder.codeword_length())), sent(kCoded);
  RandomStream(5, 0, 0, RandomPurpose::info_bits).fill_bits(info);
  encoder.encode(info, codeword);
  rate_matcher.rate_match(codeword, sent);
  std::vector<float> codeword_llr(codeword.size());
  rate_matcher.rate_recover(noisy_llrs(sent, 0.5), codeword_llr);

  LdpcDecoder decoder(LdpcBaseGraph::bg1, kZ, options);
  std::vector<std::uint8_t> decoded(kInfo);
  for (auto _ : state) {
    decoder.decode(codeword_llr, decoded);
    benchmark::DoNotOptimize(decoded.data());
    benchmark::ClobberMemory();
  }
  state.counters["info_bit_rate"] = benchmark::Counter(
      static_cast<double>(kInfo) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
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

// Arguments: {check update (0 normalised min-sum, 1 offset min-sum, 2 sum-product), iterations}.
BENCHMARK(BM_LdpcDecodeBg1Z384)
    ->ArgNames({"update", "iterations"})
    ->Args({0, 10})
    ->Args({0, 20})
    ->Args({1, 10})
    ->Args({2, 10})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LdpcStreamCodecDecodeDefault)->ArgName("iterations")->Arg(20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LdpcStreamCodecEncodeDefault)->Unit(benchmark::kMicrosecond);
