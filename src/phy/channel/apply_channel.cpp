#include "sixg/phy/channel/apply_channel.h"

#include <stdexcept>

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
  // Interleaved floats ([complex.numbers]): the complex product written out in real arithmetic
  // vectorises, and every RE gets the same operations in the same order (t = 0, 1, ...).
  const float* hf = reinterpret_cast<const float*>(h.data());
  const float* xf = reinterpret_cast<const float*>(x.data());
  float* yf = reinterpret_cast<float*>(y.data());
  const std::size_t n = 2 * k;
  for (std::size_t r = 0; r < rx; ++r) {
    for (std::size_t l = 0; l < symbols; ++l) {
      const std::size_t time = times == 1 ? 0 : l;
      float* out = yf + (r * symbols + l) * n;
      for (std::size_t t = 0; t < tx; ++t) {
        const float* hr = hf + ((r * tx + t) * times + time) * n;
        const float* xr = xf + (t * symbols + l) * n;
        if (t == 0) {
          for (std::size_t i = 0; i < n; i += 2) {
            out[i] = hr[i] * xr[i] - hr[i + 1] * xr[i + 1];
            out[i + 1] = hr[i] * xr[i + 1] + hr[i + 1] * xr[i];
          }
        } else {
          for (std::size_t i = 0; i < n; i += 2) {
            out[i] += hr[i] * xr[i] - hr[i + 1] * xr[i + 1];
            out[i + 1] += hr[i] * xr[i + 1] + hr[i + 1] * xr[i];
          }
        }
      }
    }
  }
}

}  // namespace sixg::phy
