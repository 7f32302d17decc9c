#include "sixg/phy/estimation/ls_channel_estimator.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace sixg::phy::ls_kernels {

/// The inputs and outputs of the LS values and their frequency interpolation (see estimate()).
template <class Run>
struct LsRows {
  const cf32* y;              // [A, symbols, fft]
  const cf32* inverse_pilot;  // [P, fft]
  const float* weights;       // [S][w0 | w1][2 fft]
  const Run* runs;
  const std::size_t* run_begin;  // [S + 1]
  const int* pilot_symbols;      // [P]
  cf32* ls;                      // [A, P, fft]: the LS values (scratch of estimate())
  cf32* h_hat;                   // [A, S, P, fft] (unused by ls_values)
  std::size_t antennas, streams, num_p, symbols, fft;
};

}  // namespace sixg::phy::ls_kernels

#define SIXG_KERNELS "phy/estimation/ls_channel_estimator_kernels.h"
#include "phy/simd/for_each_kernel_target.h"

namespace sixg::phy {

LsChannelEstimator::LsChannelEstimator(const GridConfig& config, const KroneckerPilots& pilots, int num_rx_ant,
                                       InterpolationKind frequency_interpolation)
    : num_rx_ant_(num_rx_ant),
      num_streams_(config.num_streams),
      num_pilot_symbols_(config.num_pilot_symbols()),
      num_ofdm_symbols_(config.num_ofdm_symbols),
      fft_size_(config.fft_size),
      pilot_symbols_(config.pilot_symbols),
      pilot_energy_(pilots.pilot_energy()),
      ls_(static_cast<std::size_t>(num_rx_ant) * config.pilot_symbols.size() *
          static_cast<std::size_t>(config.fft_size)) {
  validate_grid_config(config);
  if (num_pilot_symbols_ == 0) {
    throw invalid_config("--pilot-symbols", "--pilot-symbols: LS channel estimation needs at least one pilot symbol");
  }
  if (num_rx_ant_ < 1) throw invalid_config("--num-bs-ant", "--num-bs-ant: must be at least 1");
  if (pilots.num_streams() != num_streams_ || pilots.num_pilot_symbols() != num_pilot_symbols_ ||
      pilots.fft_size() != fft_size_) {
    throw std::invalid_argument("LsChannelEstimator: the pilots were built for another grid");
  }

  const auto fft = static_cast<std::size_t>(fft_size_);
  inverse_pilot_.resize(static_cast<std::size_t>(num_pilot_symbols_) * fft);
  for (int p = 0; p < num_pilot_symbols_; ++p) {
    for (int k = 0; k < fft_size_; ++k) {
      const cf32 x = pilots.pilot_at(p, k);
      inverse_pilot_[static_cast<std::size_t>(p) * fft + static_cast<std::size_t>(k)] = std::conj(x) / std::norm(x);
    }
  }

  // Stream s has J pilots, on subcarriers s + j*S (j = 0..J-1). Subcarrier k of stream s is estimated
  // as w0 * LS(source0) + w1 * LS(source1) from two of them; consecutive subcarriers with the same
  // sources form a run.
  const int spacing = num_streams_;
  const int last_j = fft_size_ / num_streams_ - 1;
  weights_.resize(static_cast<std::size_t>(num_streams_) * 4 * fft);
  noise_gain_.resize(static_cast<std::size_t>(num_streams_) * fft);
  weight0_.resize(static_cast<std::size_t>(num_streams_) * fft);
  weight1_.resize(weight0_.size());
  source0_.resize(weight0_.size());
  source1_.resize(weight0_.size());
  run_begin_.push_back(0);
  for (int s = 0; s < num_streams_; ++s) {
    float* w0 = weights_.data() + static_cast<std::size_t>(s) * 4 * fft;
    float* w1 = w0 + 2 * fft;
    for (int k = 0; k < fft_size_; ++k) {
      const int offset = k - s;
      int source[2] = {s, s};
      float weight[2] = {1.0f, 0.0f};
      if (offset >= last_j * spacing) {
        source[0] = source[1] = s + last_j * spacing;  // beyond the last pilot: nearest
      } else if (offset > 0) {
        const int j = offset / spacing;
        const int r = offset % spacing;
        const int lower = s + j * spacing;
        if (frequency_interpolation == InterpolationKind::nearest) {
          // 2r <= spacing keeps the lower pilot on a tie (Sionna's argmin takes the first).
          source[0] = source[1] = 2 * r <= spacing ? lower : lower + spacing;
        } else {
          const float w_upper = static_cast<float>(r) / static_cast<float>(spacing);
          source[0] = lower;
          source[1] = lower + spacing;
          weight[0] = 1.0f - w_upper;
          weight[1] = w_upper;
        }
      }
      const auto kk = static_cast<std::size_t>(k);
      w0[2 * kk] = w0[2 * kk + 1] = weight[0];
      w1[2 * kk] = w1[2 * kk + 1] = weight[1];
      noise_gain_[static_cast<std::size_t>(s) * fft + kk] = weight[0] * weight[0] + weight[1] * weight[1];
      weight0_[static_cast<std::size_t>(s) * fft + kk] = weight[0];
      weight1_[static_cast<std::size_t>(s) * fft + kk] = weight[1];
      source0_[static_cast<std::size_t>(s) * fft + kk] = source[0];
      source1_[static_cast<std::size_t>(s) * fft + kk] = source[1];
      const bool same_sources = runs_.size() > run_begin_.back() && runs_.back().source[0] == source[0] &&
                                runs_.back().source[1] == source[1];
      if (same_sources) {
        ++runs_.back().count;
      } else {
        runs_.push_back(SourceRun{k, 1, {source[0], source[1]}});
      }
    }
    run_begin_.push_back(runs_.size());
  }
}

std::size_t LsChannelEstimator::h_hat_size() const {
  return static_cast<std::size_t>(num_rx_ant_) * err_var_size();
}

std::size_t LsChannelEstimator::ls_size() const {
  return static_cast<std::size_t>(num_rx_ant_) * static_cast<std::size_t>(num_pilot_symbols_) *
         static_cast<std::size_t>(fft_size_);
}

LsInterpolation LsChannelEstimator::frequency_interpolation() const {
  return LsInterpolation{weight0_.data(), weight1_.data(), source0_.data(), source1_.data()};
}

std::size_t LsChannelEstimator::err_var_size() const {
  return static_cast<std::size_t>(num_streams_) * static_cast<std::size_t>(num_pilot_symbols_) *
         static_cast<std::size_t>(fft_size_);
}

ls_kernels::LsRows<LsChannelEstimator::SourceRun> LsChannelEstimator::kernel_rows(const char* caller,
                                                                                   std::span<const cf32> y, cf32* ls,
                                                                                   cf32* h_hat) const {
  const auto fft = static_cast<std::size_t>(fft_size_);
  const auto symbols = static_cast<std::size_t>(num_ofdm_symbols_);
  if (y.size() != static_cast<std::size_t>(num_rx_ant_) * symbols * fft) {
    throw std::invalid_argument(std::string("LsChannelEstimator::") + caller + ": y must be [A, symbols, fft]");
  }
  return {y.data(),
          inverse_pilot_.data(),
          weights_.data(),
          runs_.data(),
          run_begin_.data(),
          pilot_symbols_.data(),
          ls,
          h_hat,
          static_cast<std::size_t>(num_rx_ant_),
          static_cast<std::size_t>(num_streams_),
          static_cast<std::size_t>(num_pilot_symbols_),
          symbols,
          fft};
}

void LsChannelEstimator::estimate(std::span<const cf32> y, float n0, std::span<cf32> h_hat, std::span<float> err_var) {
  if (h_hat.size() != h_hat_size() || err_var.size() != err_var_size()) {
    throw std::invalid_argument("LsChannelEstimator::estimate: h_hat must be [A, S, P, fft], err_var [S, P, fft]");
  }
  SIXG_SIMD_DISPATCH(ls_kernels, interpolate_ls<SourceRun>)(kernel_rows("estimate", y, ls_.data(), h_hat.data()));
  fill_error_variance(n0, err_var);
}

void LsChannelEstimator::estimate_pilots(std::span<const cf32> y, float n0, std::span<cf32> ls,
                                         std::span<float> err_var) {
  if (ls.size() != ls_size() || err_var.size() != err_var_size()) {
    throw std::invalid_argument("LsChannelEstimator::estimate_pilots: ls must be [A, P, fft], err_var [S, P, fft]");
  }
  SIXG_SIMD_DISPATCH(ls_kernels, ls_values<SourceRun>)(kernel_rows("estimate_pilots", y, ls.data(), nullptr));
  fill_error_variance(n0, err_var);
}

void LsChannelEstimator::fill_error_variance(float n0, std::span<float> err_var) const {
  const auto fft = static_cast<std::size_t>(fft_size_);
  const auto num_p = static_cast<std::size_t>(num_pilot_symbols_);
  const float pilot_noise = n0 / pilot_energy_;
  for (std::size_t s = 0; s < static_cast<std::size_t>(num_streams_); ++s) {
    for (std::size_t p = 0; p < num_p; ++p) {
      float* out = err_var.data() + (s * num_p + p) * fft;
      const float* gain = noise_gain_.data() + s * fft;
      for (std::size_t k = 0; k < fft; ++k) out[k] = gain[k] * pilot_noise;
    }
  }
}

void LsChannelEstimator::channel_at(std::span<const cf32> h_hat, std::span<const float> err_var,
                                    const TimeCombination& c, int k, std::span<cf32> h, std::span<float> err) const {
  const auto fft = static_cast<std::size_t>(fft_size_);
  const auto streams = static_cast<std::size_t>(num_streams_);
  const auto num_p = static_cast<std::size_t>(num_pilot_symbols_);
  const auto antennas = static_cast<std::size_t>(num_rx_ant_);
  const auto kk = static_cast<std::size_t>(k);
  const auto p0 = static_cast<std::size_t>(c.pilot[0]);
  const auto p1 = static_cast<std::size_t>(c.pilot[1]);
  if (h.size() != antennas * streams || err.size() != streams || h_hat.size() != h_hat_size() ||
      err_var.size() != err_var_size()) {
    throw std::invalid_argument("LsChannelEstimator::channel_at: h must hold A x S, err S");
  }
  const float w0 = c.weight[0];
  const float w1 = c.num_terms == 2 ? c.weight[1] : 0.0f;
  for (std::size_t s = 0; s < streams; ++s) {
    const float* e = err_var.data() + s * num_p * fft + kk;
    err[s] = w0 * w0 * e[p0 * fft] + w1 * w1 * e[p1 * fft];
    for (std::size_t a = 0; a < antennas; ++a) {
      const cf32* x = h_hat.data() + (a * streams + s) * num_p * fft + kk;
      h[s * antennas + a] = w0 * x[p0 * fft] + w1 * x[p1 * fft];
    }
  }
}

}  // namespace sixg::phy
