// The tensor inventory of the link pipeline: every batch tensor it allocates, with name, shape, dtype
// and the pipeline stage that produces it. The pipeline allocates exactly these (by name), and the
// estimator (`sixg estimate`) sums them, so the estimate is the pipeline's real allocation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sixg/mem/tensor.h"
#include "sixg/sim/scenario.h"

namespace sixg::sim {

struct TensorSpec {
  std::string name;
  mem::Shape shape;
  std::string dtype;          // complex64 | float32 | int16 | int8 | uint8
  std::size_t element_bytes;
  std::string phase;          // pipeline stage that holds it
  [[nodiscard]] std::uint64_t bytes() const { return mem::num_elements(shape) * element_bytes; }
};

/// Number of time samples the channel tensor holds per slot: 1 when static over the slot.
int channel_time_samples(const Scenario& scenario);

/// Every batch tensor of the pipeline for `batch_size` frames (DESIGN §1 shapes, batch-first).
std::vector<TensorSpec> pipeline_tensors(const Scenario& scenario, int batch_size);

}  // namespace sixg::sim
