// LsChannelEstimator: least-squares channel estimates at the Kronecker pilots, interpolated across
// subcarriers, kept at the pilot OFDM symbols (DESIGN §3 "LS estimation").
//
// Shapes (row-major, one frame; A = receive antennas, S = S_tot streams, P = pilot symbols):
//   in   y        [A, num_ofdm_symbols, fft_size]  complex64   received grid
//        n0       noise variance per RE and receive antenna
//   out  h_hat    [A, S, P, fft_size]              complex64   estimate of stream s's channel at pilot
//                                                              symbol p, every subcarrier
//        err_var  [S, P, fft_size]                 float32     variance of the noise part of h_hat (the
//                                                              same for every receive antenna)
// At the stream's own pilot subcarriers h_hat = y / p, an unbiased estimate with error variance
// N0/|p|^2 = N0/S_tot (exact). Elsewhere it is interpolated (nearest: that pilot's value and variance;
// linear: w1 h1 + w2 h2 with variance (w1^2 + w2^2) N0/|p|^2). err_var does not include the
// interpolation bias on frequency-selective channels, which the receiver cannot know (docs/receiver.md).
// The channel of a data RE comes from channel_at() with a TimeInterpolation combination.
//
// The pipeline uses estimate_pilots() instead: only the LS values [A, P, fft_size] (y / p on the pilot
// symbols, 1/S of h_hat) and err_var; the batched detector expands them with frequency_interpolation()'s
// tables while staging each block, with the same operations, so the result is h_hat's to the bit.
//
// One object per thread: estimate() reuses a scratch grid of A x P x fft_size values and does not allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sixg/phy/estimation/interpolation_kind.h"
#include "sixg/phy/estimation/ls_interpolation.h"
#include "sixg/phy/estimation/time_interpolation.h"
#include "sixg/phy/grid/grid_config.h"
#include "sixg/phy/grid/kronecker_pilots.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

namespace ls_kernels {
template <class Run>
struct LsRows;  // the kernels' view of an estimator and its buffers (ls_channel_estimator.cpp)
}  // namespace ls_kernels

class LsChannelEstimator {
 public:
  /// Throws invalid_config when the grid has no pilot symbols or num_rx_ant < 1.
  LsChannelEstimator(const GridConfig& config, const KroneckerPilots& pilots, int num_rx_ant,
                     InterpolationKind frequency_interpolation);

  /// y [A, symbols, fft] -> h_hat [A, S, P, fft], err_var [S, P, fft] (see the file comment).
  void estimate(std::span<const cf32> y, float n0, std::span<cf32> h_hat, std::span<float> err_var);

  /// y [A, symbols, fft] -> ls [A, P, fft] (y / p on every pilot RE: what estimate() interpolates) and
  /// err_var [S, P, fft] (as estimate()).
  void estimate_pilots(std::span<const cf32> y, float n0, std::span<cf32> ls, std::span<float> err_var);

  /// The frequency interpolation as per-(stream, subcarrier) tables (valid while this object lives):
  /// h_hat[a, s, p, k] = its expansion of ls[a, p, :] (see LsInterpolation).
  [[nodiscard]] LsInterpolation frequency_interpolation() const;

  /// Channel of the data REs at subcarrier k whose data symbol has combination `c`:
  /// h (column-major A x S: element (a, s) at h[a + s * A]) = sum_i c.weight[i] * h_hat[a, s, c.pilot[i], k];
  /// err (S) = sum_i c.weight[i]^2 * err_var[s, c.pilot[i], k] (noise at distinct pilot symbols is
  /// independent).
  void channel_at(std::span<const cf32> h_hat, std::span<const float> err_var, const TimeCombination& c, int k,
                  std::span<cf32> h, std::span<float> err) const;

  [[nodiscard]] int num_rx_ant() const { return num_rx_ant_; }
  [[nodiscard]] int num_streams() const { return num_streams_; }
  [[nodiscard]] int num_pilot_symbols() const { return num_pilot_symbols_; }
  [[nodiscard]] int fft_size() const { return fft_size_; }
  [[nodiscard]] std::size_t h_hat_size() const;    // A * S * P * fft
  [[nodiscard]] std::size_t err_var_size() const;  // S * P * fft
  [[nodiscard]] std::size_t ls_size() const;       // A * P * fft

 private:
  /// Subcarriers first .. first + count - 1 of one stream take their estimates from the same two
  /// pilot subcarriers: h_hat[k] = w0[k] * LS(source[0]) + w1[k] * LS(source[1]). The sources are
  /// piecewise constant in k (they change only at a pilot or half-way between pilots), so a run is a
  /// loop over k with two broadcast values and per-k weights, which vectorises; a per-k source table
  /// would be a gather.
  struct SourceRun {
    int first;
    int count;
    int source[2];
  };

  /// The kernels' view of y and the tables, writing LS values to `ls` (and the estimate to `h_hat`, if any).
  /// Throws std::invalid_argument naming `caller` unless y is [A, symbols, fft].
  [[nodiscard]] ls_kernels::LsRows<SourceRun> kernel_rows(const char* caller, std::span<const cf32> y, cf32* ls,
                                                          cf32* h_hat) const;
  void fill_error_variance(float n0, std::span<float> err_var) const;

  int num_rx_ant_;
  int num_streams_;
  int num_pilot_symbols_;
  int num_ofdm_symbols_;
  int fft_size_;
  std::vector<int> pilot_symbols_;
  std::vector<cf32> inverse_pilot_;     // [P, fft]: 1/p = conj(p)/|p|^2 at every subcarrier's owner
  std::vector<SourceRun> runs_;         // the runs of stream 0, then stream 1, ...; they tile [0, fft)
  std::vector<std::size_t> run_begin_;  // [S + 1]: stream s owns runs_[run_begin_[s] .. run_begin_[s+1])
  std::vector<float> weights_;          // [S, 2 (w0, w1), fft, 2]: each weight twice, so that it lines
                                        // up with the (re, im) floats of an interleaved complex row
  std::vector<float> noise_gain_;       // [S, fft]: w0^2 + w1^2 (err_var = noise_gain * N0/|p|^2)
  std::vector<float> weight0_, weight1_;             // [S, fft]: w0, w1 once per subcarrier
  std::vector<std::int32_t> source0_, source1_;      // [S, fft]: the run's sources per subcarrier
  float pilot_energy_;
  std::vector<cf32> ls_;  // scratch [A, P, fft]: y / p on every pilot RE
};

}  // namespace sixg::phy
