#include "sixg/phy/channel/tdl_channel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <numbers>
#include <stdexcept>
#include <string>

// The vector helpers of the kernels are internal (static linkage, inlined): the ABI note GCC gives for
// 32-byte vectors passed by value without -mavx does not concern any interface.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace sixg::phy::tdl_kernels {

using v8f = float __attribute__((vector_size(32)));

/// One group of pairs' response over all blocks of the phasor table (TdlChannel::generate's inner loops).
struct GroupResponse {
  const float* phasors;       // [block][column][phasor | j phasor][kBlockFloats]
  std::size_t num_blocks;
  std::size_t block_table;    // floats per block of the table
  std::size_t row_floats;     // 2 * fft_size
  int columns;
  int rank;
  int num_time_samples;
  int los_column;             // -1 without a LoS path
  const cf32* los_rotation;   // [num_time_samples]
  const cf32* los_start;      // [pairs]
  const float* gain_re;       // [pairs][rank][columns]
  const float* gain_im;
  std::size_t gains_per_pair;
  std::size_t pairs;
  const float* basis;         // [num_time_samples][rank]
  float* components;          // scratch: rank x kBlockFloats
  float* out;                 // the group's first pair's h
};

}  // namespace sixg::phy::tdl_kernels

#define SIXG_KERNELS "phy/channel/tdl_channel_kernels.h"
#include "phy/simd/for_each_kernel_target.h"

namespace sixg::phy {

namespace {

constexpr double kSpeedOfLight = 299792458.0;  // m/s
constexpr double kTwoPi = 2.0 * std::numbers::pi;

int time_samples_per_slot(const ChannelConfig& c) { return c.speed > 0.0 ? c.num_ofdm_symbols : 1; }

/// Start of OFDM symbol l (each symbol lasts fft_size + cp_length samples at fft_size * spacing Hz).
double symbol_time(const ChannelConfig& c, int l) {
  return l * static_cast<double>(c.fft_size + c.cp_length) / (c.fft_size * c.subcarrier_spacing);
}

double doppler_frequency(const ChannelConfig& c) { return c.speed * c.carrier_frequency / kSpeedOfLight; }

// Validates first, so a bad value is reported by option name and never reaches the eigen-solver.
DopplerBasis make_doppler_basis(const ChannelConfig& c) {
  validate_channel_config(c);
  std::vector<double> times(static_cast<std::size_t>(time_samples_per_slot(c)));
  for (std::size_t l = 0; l < times.size(); ++l) times[l] = symbol_time(c, static_cast<int>(l));
  return DopplerBasis(times, doppler_frequency(c));
}

constexpr std::size_t kMaxGroup = 8;        // pairs sharing one pass over the phasor table
constexpr std::size_t kGainScratch = 2048;  // floats per gain array
static_assert(kGainScratch >= static_cast<std::size_t>(TdlChannel::kMaxDopplerRank) * TdlChannel::kMaxEntries,
              "a group holds at least one pair's gains");
}  // namespace

TdlChannel::TdlChannel(const ChannelConfig& config, const TdlProfile& profile)
    : num_pairs_(config.num_rx_ant * config.num_tx),
      fft_size_(config.fft_size),
      num_time_samples_(time_samples_per_slot(config)),
      num_columns_(0),
      basis_(make_doppler_basis(config)) {
  if (profile.num_entries() < 1 || profile.num_entries() > kMaxEntries ||
      static_cast<int>(profile.normalized_delays.size()) != profile.num_entries() ||
      (profile.los && profile.num_entries() < 2)) {
    throw invalid_config("--channel", "--channel: a TDL profile needs 1 to " + std::to_string(kMaxEntries) +
                                          " taps with one delay each (a LoS profile at least 2)");
  }
  if (basis_.rank() > kMaxDopplerRank) {
    throw invalid_config("--speed", "--speed: the Doppler spread changes the channel too fast for a slot of " +
                                        std::to_string(num_time_samples_) + " OFDM symbols");
  }

  // Taps at the same delay (the two parts of a LoS tap 1, coinciding table delays, or every tap when
  // the delay spread is 0) share one phasor row.
  std::vector<double> column_delays;
  auto column_of = [&](double delay) {
    for (std::size_t d = 0; d < column_delays.size(); ++d) {
      if (column_delays[d] == delay) return static_cast<int>(d);
    }
    column_delays.push_back(delay);
    return static_cast<int>(column_delays.size() - 1);
  };
  const auto powers = profile.normalized_powers();
  for (int i = 0; i < profile.num_entries(); ++i) {
    const int column = column_of(profile.normalized_delays[i] * config.delay_spread);
    const auto amplitude = static_cast<float>(std::sqrt(powers[i]));
    if (profile.los && i == 0) {
      los_ = true;
      los_column_ = column;
      los_amplitude_ = amplitude;
    } else {
      rayleigh_.push_back({column, amplitude});
    }
  }
  num_columns_ = static_cast<int>(column_delays.size());

  // Layout [block][column][phasor | j phasor][kBlockFloats], zero-padded past the last subcarrier, so
  // one block's table is contiguous and every block has the full width.
  num_blocks_ = (2 * static_cast<std::size_t>(fft_size_) + kBlockFloats - 1) / kBlockFloats;
  phasors_.assign(num_blocks_ * column_delays.size() * 2 * kBlockFloats, 0.0f);
  for (std::size_t d = 0; d < column_delays.size(); ++d) {
    for (int k = 0; k < fft_size_; ++k) {
      const double frequency = (k - fft_size_ / 2) * config.subcarrier_spacing;
      const double phase = -kTwoPi * frequency * column_delays[d];
      const auto re = static_cast<float>(std::cos(phase)), im = static_cast<float>(std::sin(phase));
      const std::size_t block = 2 * static_cast<std::size_t>(k) / kBlockFloats;
      const std::size_t offset = 2 * static_cast<std::size_t>(k) % kBlockFloats;
      float* e = phasors_.data() + (block * column_delays.size() + d) * 2 * kBlockFloats + offset;
      e[0] = re;
      e[1] = im;
      e[kBlockFloats] = -im;  // j (re + j im) = -im + j re
      e[kBlockFloats + 1] = re;
    }
  }

  // The specular path arrives at pi/4 from the direction of travel (Sionna's default LoS angle).
  const double los_doppler = doppler_frequency(config) * std::cos(std::numbers::pi / 4.0);
  los_rotation_.resize(static_cast<std::size_t>(num_time_samples_));
  for (int l = 0; l < num_time_samples_; ++l) {
    const double phase = kTwoPi * los_doppler * symbol_time(config, l);
    los_rotation_[l] = {static_cast<float>(std::cos(phase)), static_cast<float>(std::sin(phase))};
  }
}

std::size_t TdlChannel::table_bytes() const {
  return (phasors_.size() + basis_.matrix().size()) * sizeof(float) + los_rotation_.size() * sizeof(cf32);
}

void TdlChannel::generate(RandomStream& rng, std::span<cf32> h) const {
  const std::size_t row_floats = 2 * static_cast<std::size_t>(fft_size_);
  if (h.size() != static_cast<std::size_t>(num_pairs_) * num_time_samples_ * fft_size_) {
    throw std::invalid_argument("TdlChannel::generate: h has the wrong size");
  }
  const int rank = basis_.rank();
  const int columns = num_columns_;
  const auto num_rayleigh = rayleigh_.size();
  const std::size_t block_table = static_cast<std::size_t>(columns) * 2 * kBlockFloats;
  const std::size_t gains_per_pair = static_cast<std::size_t>(rank) * static_cast<std::size_t>(columns);
  // Pairs are handled in groups that share each block of the phasor table: the whole table (about
  // 200 KiB for TDL-C at 512 subcarriers) does not stay in L1, one block of it (columns x 2 x
  // kBlockFloats floats, 12 KiB) does, so it is read from L2 once per group instead of once per pair. Each pair's draws are still made in pair order and each
  // element's operations are unchanged.
  const std::size_t group = std::min<std::size_t>(kMaxGroup, kGainScratch / gains_per_pair);
  // Fixed-size scratch per call (about 32 KiB of stack): one pair's draws, the group's gains and LoS
  // starts, and one block of a pair's Doppler components.
  std::array<cf32, static_cast<std::size_t>(kMaxEntries) * kMaxDopplerRank> draws;
  std::array<float, kGainScratch> gain_re, gain_im;
  std::array<cf32, kMaxGroup> los_start;
  std::array<float, static_cast<std::size_t>(kMaxDopplerRank) * kBlockFloats> components;
  // complex<float> is two contiguous floats ([complex.numbers]), so h is also 2 * size floats.
  float* out = reinterpret_cast<float*>(h.data());

  for (int p0 = 0; p0 < num_pairs_; p0 += static_cast<int>(group)) {
    const std::size_t pairs = std::min(group, static_cast<std::size_t>(num_pairs_ - p0));
    for (std::size_t g = 0; g < pairs; ++g) {
      los_start[g] = {};
      if (los_) {
        const float phi = static_cast<float>(kTwoPi) * rng.next_uniform();
        los_start[g] = {los_amplitude_ * std::cos(phi), los_amplitude_ * std::sin(phi)};
      }
      const std::span<cf32> w(draws.data(), num_rayleigh * static_cast<std::size_t>(rank));
      rng.fill_complex_normal(w);

      // Doppler component j of the pair's response is sum_d gain[j][d] * phasor_d, where gain[j][d] sums
      // amplitude_i * w[i][j] over the Rayleigh entries i at delay d.
      float* pair_re = gain_re.data() + g * gains_per_pair;
      float* pair_im = gain_im.data() + g * gains_per_pair;
      std::fill_n(pair_re, gains_per_pair, 0.0f);
      std::fill_n(pair_im, gains_per_pair, 0.0f);
      for (std::size_t i = 0; i < num_rayleigh; ++i) {
        for (int j = 0; j < rank; ++j) {
          const cf32 a = rayleigh_[i].amplitude * w[i * rank + j];
          pair_re[j * columns + rayleigh_[i].column] += a.real();
          pair_im[j * columns + rayleigh_[i].column] += a.imag();
        }
      }
    }

    tdl_kernels::GroupResponse response{phasors_.data(), num_blocks_, block_table, row_floats, columns, rank,
                                        num_time_samples_, los_ ? los_column_ : -1, los_rotation_.data(),
                                        los_start.data(), gain_re.data(), gain_im.data(), gains_per_pair, pairs,
                                        basis_.matrix().data(), components.data(),
                                        out + static_cast<std::size_t>(p0) * num_time_samples_ * row_floats};
    SIXG_SIMD_DISPATCH(tdl_kernels, respond_group)(response);
  }
}

}  // namespace sixg::phy
