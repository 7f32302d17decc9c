#include "sixg/phy/channel/channel_model.h"

#include <stdexcept>

namespace sixg::phy {

void ChannelModel::generate_matrix(RandomStream& /*rng*/, std::span<cf32> /*h*/) const {
  // A frequency-selective or time-varying response has no single matrix to return.
  throw std::logic_error("ChannelModel::generate_matrix: the model is not frequency-flat");
}

}  // namespace sixg::phy
