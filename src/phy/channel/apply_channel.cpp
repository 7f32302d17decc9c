#include "sixg/phy/channel/apply_channel.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <stdexcept>

// The vector helpers of the kernels are internal (static linkage, inlined): the ABI note GCC gives for 32-byte
// vectors passed by value without -mavx does not concern any interface.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace sixg::phy::apply_kernels {

using v8f = float __attribute__((vector_size(32)));
using v8i = int __attribute__((vector_size(32)));

struct Layout {
  std::size_t rx, tx, symbols, k, times;
  [[nodiscard]] std::size_t h_row(std::size_t r, std::size_t t, std::size_t time) const {
    return ((r * tx + t) * times + time) * k;
  }
  [[nodiscard]] std::size_t x_row(std::size_t t, std::size_t l) const { return (t * symbols + l) * k; }
  [[nodiscard]] std::size_t y_row(std::size_t r, std::size_t l) const { return (r * symbols + l) * k; }
};

}  // namespace sixg::phy::apply_kernels

#define SIXG_KERNELS "phy/channel/apply_channel_kernels.h"
#include "phy/simd/for_each_kernel_target.h"

namespace sixg::phy {

void apply_channel(std::span<const cf32> h, int num_time_samples, std::span<const cf32> x, std::span<cf32> y,
                   const ChannelDims& dims) {
  const auto rx = static_cast<std::size_t>(dims.num_rx_ant), tx = static_cast<std::size_t>(dims.num_tx);
  const auto symbols = static_cast<std::size_t>(dims.num_ofdm_symbols), k = static_cast<std::size_t>(dims.fft_size);
  if (num_time_samples != 1 && num_time_samples != dims.num_ofdm_symbols) {
    throw std::invalid_argument("apply_channel: num_time_samples must be 1 or num_ofdm_symbols");
  }
  const auto times = static_cast<std::size_t>(num_time_samples);
  if (h.size() != rx * tx * times * k || x.size() != tx * symbols * k || y.size() != rx * symbols * k) {
    throw std::invalid_argument("apply_channel: h, x or y does not match the dimensions");
  }
  if (tx == 0) std::fill(y.begin(), y.end(), cf32{});
  if (y.empty() || tx == 0) return;
  const apply_kernels::Layout layout{rx, tx, symbols, k, times};
  if (times == 1) {
    SIXG_SIMD_DISPATCH(apply_kernels, apply_static)(h.data(), x.data(), y.data(), layout);
  } else {
    SIXG_SIMD_DISPATCH(apply_kernels, apply_per_symbol)(h.data(), x.data(), y.data(), layout);
  }
}

void apply_flat_channel(std::span<const cf32> h_rs, std::span<const cf32> x, std::span<cf32> y,
                        const ChannelDims& dims) {
  const auto rx = static_cast<std::size_t>(dims.num_rx_ant), tx = static_cast<std::size_t>(dims.num_tx);
  const auto n = static_cast<std::size_t>(dims.num_ofdm_symbols) * static_cast<std::size_t>(dims.fft_size);
  if (h_rs.size() != rx * tx || x.size() != tx * n || y.size() != rx * n) {
    throw std::invalid_argument("apply_flat_channel: h_rs, x or y does not match the dimensions");
  }
  if (tx == 0) std::fill(y.begin(), y.end(), cf32{});
  if (y.empty() || tx == 0) return;
  SIXG_SIMD_DISPATCH(apply_kernels, apply_flat)(h_rs.data(), x.data(), y.data(), rx, tx, n);
}

}  // namespace sixg::phy
