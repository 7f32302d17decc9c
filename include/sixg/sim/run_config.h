// Run options of `sixg simulate` (DESIGN §3 runner semantics, §4 options).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace sixg::sim {

struct RunConfig {
  std::vector<double> ebno_db;                 // sweep points, dB
  int batch_size = 8;                          // frames per batch (the planner may choose it: issue 6)
  std::uint64_t max_frames = 100;              // per Eb/N0 point
  std::optional<std::uint64_t> target_block_errors;
  std::optional<std::uint64_t> target_bit_errors;
  std::optional<double> target_bler;           // ends the sweep after the first point below it
  bool early_stop = false;                     // a point with zero errors ends the sweep
  std::uint64_t seed = 42;
  int threads = 1;
};

}  // namespace sixg::sim
