// Error counts and per-point results of a Monte-Carlo sweep (DESIGN §4 JSON "points").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sixg::sim {

/// Errors of one frame (or a sum of frames). 64-bit counters: a long run overflows nothing.
struct ErrorCounts {
  std::uint64_t bit_errors = 0;
  std::uint64_t num_bits = 0;
  std::uint64_t block_errors = 0;
  std::uint64_t num_blocks = 0;

  ErrorCounts& operator+=(const ErrorCounts& o) {
    bit_errors += o.bit_errors;
    num_bits += o.num_bits;
    block_errors += o.block_errors;
    num_blocks += o.num_blocks;
    return *this;
  }
  friend bool operator==(const ErrorCounts&, const ErrorCounts&) = default;
};

/// Why a point stopped (DESIGN §4 status strings).
enum class PointStatus {
  running,
  reached_max_frames,
  reached_target_block_errors,
  reached_target_bit_errors,
  no_errors_early_stop,
  target_bler_reached,
  skipped,
  interrupted,
};

std::string_view status_name(PointStatus s);

struct PointResult {
  double ebno_db = 0.0;
  ErrorCounts counts;
  std::uint64_t num_frames = 0;
  double runtime_s = 0.0;
  std::uint64_t info_bits_simulated = 0;  // information bits processed (throughput numerator)
  PointStatus status = PointStatus::skipped;

  [[nodiscard]] double ber() const {
    return counts.num_bits ? static_cast<double>(counts.bit_errors) / static_cast<double>(counts.num_bits) : 0.0;
  }
  [[nodiscard]] double bler() const {
    return counts.num_blocks ? static_cast<double>(counts.block_errors) / static_cast<double>(counts.num_blocks) : 0.0;
  }
  [[nodiscard]] double throughput_bits_per_s() const {
    return runtime_s > 0 ? static_cast<double>(info_bits_simulated) / runtime_s : 0.0;
  }
};

struct SweepResult {
  std::vector<PointResult> points;
  bool interrupted = false;
  [[nodiscard]] double throughput_bits_per_s() const;
};

}  // namespace sixg::sim
