#include "sixg/phy/channel/tdl_channel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <numbers>
#include <stdexcept>
#include <string>

// The vector helpers below are internal (static linkage, inlined): the ABI note GCC gives for 32-byte
// vectors passed by value without -mavx does not concern any interface.
#pragma GCC diagnostic ignored "-Wpsabi"

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

// The kernels below work on interleaved floats: a complex gain g = re + j im times phasor_d is
// re * phasor_d + im * (j phasor_d), two real multiply-adds that vectorise without shuffles. The sums
// run in fixed-size local accumulators, which the compiler keeps in vector registers. Every element
// sees the same operations in the same order whatever its position or the block width, so h does not
// depend on its address (batch invariance, DESIGN §3).

using v8f = float __attribute__((vector_size(32)));
constexpr std::size_t kVectorsPerBlock = TdlChannel::kBlockFloats / 8;
constexpr std::size_t kMaxGroup = 8;        // pairs sharing one pass over the phasor table
constexpr std::size_t kGainScratch = 2048;  // floats per gain array
static_assert(kGainScratch >= static_cast<std::size_t>(TdlChannel::kMaxDopplerRank) * TdlChannel::kMaxEntries,
              "a group holds at least one pair's gains");

inline v8f load(const float* p) {
  v8f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store(float* p, v8f v) { std::memcpy(p, &v, sizeof v); }

/// block[i] = sum_d (gain_re[d] + j gain_im[d]) * phasor_d[i] over one block of the table
/// ([column][phasor | j phasor][kBlockFloats]); columns >= 1. The block's sums live in explicit vector
/// registers (a float array here was kept on the stack, a load and store per tap).
void combine_phasors(const float* table, const float* gain_re, const float* gain_im, int columns, float* block) {
  constexpr std::size_t n = TdlChannel::kBlockFloats;
  v8f acc[kVectorsPerBlock];
  {
    const v8f gr = v8f{} + gain_re[0], gi = v8f{} + gain_im[0];
    for (std::size_t v = 0; v < kVectorsPerBlock; ++v) acc[v] = gr * load(table + 8 * v) + gi * load(table + n + 8 * v);
  }
  for (int d = 1; d < columns; ++d) {
    const float* e = table + static_cast<std::size_t>(d) * 2 * n;
    const v8f gr = v8f{} + gain_re[d], gi = v8f{} + gain_im[d];
    for (std::size_t v = 0; v < kVectorsPerBlock; ++v) {
      acc[v] = acc[v] + (gr * load(e + 8 * v) + gi * load(e + n + 8 * v));
    }
  }
  for (std::size_t v = 0; v < kVectorsPerBlock; ++v) store(block + 8 * v, acc[v]);
}

/// row[i] = sum_j weights[j] * components[j][i] (+ los_gain * los_phasor[i] when los_phasor is set),
/// for i < width; rank >= 1. The whole block is computed (components are zero-padded) and only `width`
/// floats are stored, so an element's operations do not depend on where the row ends.
void mix_components(const float* components, const float* weights, int rank, const float* los_phasor, cf32 los_gain,
                    float* row, std::size_t width) {
  constexpr std::size_t n = TdlChannel::kBlockFloats;
  v8f acc[kVectorsPerBlock];
  {
    const v8f b = v8f{} + weights[0];
    for (std::size_t v = 0; v < kVectorsPerBlock; ++v) acc[v] = b * load(components + 8 * v);
  }
  for (int j = 1; j < rank; ++j) {
    const v8f b = v8f{} + weights[j];
    const float* c = components + static_cast<std::size_t>(j) * n;
    for (std::size_t v = 0; v < kVectorsPerBlock; ++v) acc[v] = acc[v] + b * load(c + 8 * v);
  }
  if (los_phasor != nullptr) {
    const v8f gr = v8f{} + los_gain.real(), gi = v8f{} + los_gain.imag();
    for (std::size_t v = 0; v < kVectorsPerBlock; ++v) {
      acc[v] = acc[v] + (gr * load(los_phasor + 8 * v) + gi * load(los_phasor + n + 8 * v));
    }
  }
  if (width == n) {
    for (std::size_t v = 0; v < kVectorsPerBlock; ++v) store(row + 8 * v, acc[v]);
  } else {
    alignas(32) float out[n];
    for (std::size_t v = 0; v < kVectorsPerBlock; ++v) store(out + 8 * v, acc[v]);
    std::memcpy(row, out, width * sizeof(float));
  }
}

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

    for (std::size_t block = 0; block < num_blocks_; ++block) {
      const float* table = phasors_.data() + block * block_table;
      const std::size_t begin = block * kBlockFloats;
      const std::size_t width = std::min(kBlockFloats, row_floats - begin);
      const float* los_phasor = los_ ? table + static_cast<std::size_t>(los_column_) * 2 * kBlockFloats : nullptr;
      for (std::size_t g = 0; g < pairs; ++g) {
        const float* pair_re = gain_re.data() + g * gains_per_pair;
        const float* pair_im = gain_im.data() + g * gains_per_pair;
        for (int j = 0; j < rank; ++j) {
          combine_phasors(table, pair_re + j * columns, pair_im + j * columns, columns,
                          components.data() + j * kBlockFloats);
        }
        float* pair_out = out + (static_cast<std::size_t>(p0) + g) * num_time_samples_ * row_floats;
        for (int l = 0; l < num_time_samples_; ++l) {
          cf32 los_gain{};
          if (los_) {
            const cf32 rot = los_rotation_[l];
            const cf32 start = los_start[g];
            los_gain = {start.real() * rot.real() - start.imag() * rot.imag(),
                        start.real() * rot.imag() + start.imag() * rot.real()};
          }
          const float* weights = basis_.matrix().data() + static_cast<std::size_t>(l) * rank;
          float* row = pair_out + l * row_floats + begin;
          mix_components(components.data(), weights, rank, los_phasor, los_gain, row, width);
        }
      }
    }
  }
}

}  // namespace sixg::phy
