// apply_channel: passes one frame's transmit grid through its frequency response, RE by RE.
//
//   y[r][l][k] = sum_t h[r][t][l'][k] * x[t][l][k],  l' = 0 when num_time_samples == 1, else l
//
// h [num_rx_ant, num_tx, num_time_samples, fft_size], x [num_tx, num_ofdm_symbols, fft_size],
// y [num_rx_ant, num_ofdm_symbols, fft_size]; all complex64, row-major, one frame. y is overwritten.
//
// apply_flat_channel is the same map for a frequency-flat channel (ChannelModel::frequency_flat()):
// h_rs [num_rx_ant, num_tx] is one matrix for every RE, so Y [R, L*F] = H [R, S] X [S, L*F], a small-by-long
// matrix product. Both kernels give each output element the same operations in the same order
// (p_t = (hr xr - hi xi) + j (hr xi + hi xr), summed t = 0, 1, ... left to right, no FMA), so the result
// does not depend on buffer addresses, on the batch a frame belongs to, or on the kernel:
// apply_flat_channel(h_rs, ...) equals apply_channel on h broadcast over subcarriers bit for bit.
#pragma once

#include <span>

#include "sixg/phy/channel/channel_model.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

struct ChannelDims {
  int num_rx_ant;
  int num_tx;
  int num_ofdm_symbols;
  int fft_size;
};

[[nodiscard]] inline ChannelDims channel_dims(const ChannelConfig& c) {
  return {c.num_rx_ant, c.num_tx, c.num_ofdm_symbols, c.fft_size};
}

/// Throws std::invalid_argument when a span's size does not match the shapes above, or when
/// num_time_samples is neither 1 nor num_ofdm_symbols. Allocates nothing; h, x and y must not overlap.
void apply_channel(std::span<const cf32> h, int num_time_samples, std::span<const cf32> x, std::span<cf32> y,
                   const ChannelDims& dims);

/// Throws std::invalid_argument when h_rs is not num_rx_ant * num_tx values or x, y do not match the
/// shapes above. Allocates nothing; h_rs, x and y must not overlap.
void apply_flat_channel(std::span<const cf32> h_rs, std::span<const cf32> x, std::span<cf32> y,
                        const ChannelDims& dims);

}  // namespace sixg::phy
