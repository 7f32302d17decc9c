// The live results table on stderr (DESIGN §4), column-aligned like Sionna's sim_ber and AFF3CT:
// a row per Eb/N0 point, rewritten in place while the point runs when stderr is a terminal.
#pragma once

#include <cstdio>

#include "sixg/sim/results.h"

namespace sixg::cli {

class ProgressTable {
 public:
  explicit ProgressTable(std::FILE* out, bool enabled);
  void header();
  /// Running totals of a point (after each batch).
  void progress(const sixg::sim::PointResult& point);
  /// Final row of a point.
  void done(const sixg::sim::PointResult& point);

 private:
  void row(const sixg::sim::PointResult& point, bool final_row);

  std::FILE* out_;
  bool enabled_;
  bool live_;  // stderr is a terminal: rewrite the row in place
  double last_print_s_ = -1.0;
};

}  // namespace sixg::cli
