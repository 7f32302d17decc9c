// Runs the real link pipeline on a number of frames and summarises per-frame error rates, for the
// statistical tests against closed-form theory. Bit errors inside one frame are correlated (one
// channel realisation per frame), so confidence intervals are built from the spread of the per-frame
// BERs (frames are independent), not from a binomial over bits.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory_resource>
#include <vector>

#include "sixg/sim/link_pipeline.h"

namespace sixg::test {

struct FrameStatistics {
  double ber = 0;         // pooled BER over all frames
  double ber_stderr = 0;  // standard error of the mean per-frame BER (frames are i.i.d.)
  std::uint64_t bit_errors = 0, num_bits = 0, block_errors = 0, num_blocks = 0;
};

inline std::vector<sim::ErrorCounts> run_frames(const sim::Scenario& scenario, double ebno_db, std::uint64_t frames,
                                                int batch = 64, int threads = 1, std::uint64_t seed = 1,
                                                int snr_index = 0) {
  sim::LinkPipeline pipeline(scenario, seed, batch, threads, std::pmr::new_delete_resource());
  std::vector<sim::ErrorCounts> out(frames);
  for (std::uint64_t first = 0; first < frames; first += static_cast<std::uint64_t>(batch)) {
    const auto count = std::min<std::uint64_t>(static_cast<std::uint64_t>(batch), frames - first);
    pipeline.process_frames(snr_index, ebno_db, first, std::span<sim::ErrorCounts>(out.data() + first, count));
  }
  return out;
}

inline FrameStatistics summarize(const std::vector<sim::ErrorCounts>& frames) {
  FrameStatistics s;
  double sum = 0, sum2 = 0;
  for (const auto& f : frames) {
    s.bit_errors += f.bit_errors;
    s.num_bits += f.num_bits;
    s.block_errors += f.block_errors;
    s.num_blocks += f.num_blocks;
    const double b = static_cast<double>(f.bit_errors) / static_cast<double>(f.num_bits);
    sum += b;
    sum2 += b * b;
  }
  const double n = static_cast<double>(frames.size());
  s.ber = static_cast<double>(s.bit_errors) / static_cast<double>(s.num_bits);
  const double var = std::max(0.0, sum2 / n - (sum / n) * (sum / n));
  s.ber_stderr = std::sqrt(var / (n - 1));
  return s;
}

/// A scenario for closed-form checks: no pilots, no CP, perfect CSI, uncoded (DESIGN §3: per-stream
/// Es/N0 = S_tx · m · Eb/N0).
inline sim::Scenario theory_scenario() {
  sim::Scenario s;
  s.num_bs_ant = 1;
  s.num_ut = 1;
  s.num_ut_ant = 1;
  s.fft_size = 64;
  s.num_ofdm_symbols = 2;
  s.cp_length = 0;
  s.pilot_symbols = {};
  s.code = sim::CodeKind::none;
  s.csi = sim::CsiKind::perfect;
  s.channel = sim::ChannelKind::awgn;
  s.detector = sim::DetectorKind::zf;
  return s;
}

/// Per-stream Es/N0 (linear) of the closed-form scenarios.
inline double es_n0(const sim::Scenario& s, double ebno_db) {
  return s.num_ut_ant * s.bits_per_symbol() * std::pow(10.0, ebno_db / 10.0);
}

}  // namespace sixg::test
