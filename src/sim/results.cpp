#include "sixg/sim/results.h"

namespace sixg::sim {

std::string_view status_name(PointStatus s) {
  switch (s) {
    case PointStatus::running: return "running";
    case PointStatus::reached_max_frames: return "reached max frames";
    case PointStatus::reached_target_block_errors: return "reached target block errors";
    case PointStatus::reached_target_bit_errors: return "reached target bit errors";
    case PointStatus::no_errors_early_stop: return "no errors - early stop";
    case PointStatus::target_bler_reached: return "target bler reached";
    case PointStatus::skipped: return "skipped";
    case PointStatus::interrupted: return "interrupted";
  }
  return "?";
}

double SweepResult::throughput_bits_per_s() const {
  double bits = 0, seconds = 0;
  for (const auto& p : points) {
    bits += static_cast<double>(p.info_bits_simulated);
    seconds += p.runtime_s;
  }
  return seconds > 0 ? bits / seconds : 0.0;
}

}  // namespace sixg::sim
