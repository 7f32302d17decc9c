#include "sixg/sim/pipeline_tensors.h"

#include <complex>

namespace sixg::sim {
namespace {

template <class T>
TensorSpec spec(std::string name, mem::Shape shape, std::string phase) {
  return {std::move(name), std::move(shape), std::string(mem::dtype_name<T>()), sizeof(T), std::move(phase)};
}

}  // namespace

int channel_time_samples(const Scenario& s) { return s.channel_static_in_slot() ? 1 : s.num_ofdm_symbols; }

std::vector<TensorSpec> pipeline_tensors(const Scenario& s, int batch_size) {
  using cf32 = std::complex<float>;
  const auto B = static_cast<std::size_t>(batch_size);
  const auto U = static_cast<std::size_t>(s.num_ut);
  const auto A = static_cast<std::size_t>(s.num_ut_ant);
  const auto S = U * A;
  const auto R = static_cast<std::size_t>(s.num_bs_ant);
  const auto L = static_cast<std::size_t>(s.num_ofdm_symbols);
  const auto F = static_cast<std::size_t>(s.fft_size);
  const auto T = static_cast<std::size_t>(channel_time_samples(s));
  const auto P = s.pilot_symbols.size();
  const auto k = static_cast<std::size_t>(s.info_bits_per_stream());
  const auto n = static_cast<std::size_t>(s.coded_bits_per_stream());
  const auto nd = static_cast<std::size_t>(s.num_data_res());

  std::vector<TensorSpec> t;
  t.push_back(spec<std::uint8_t>("info_bits", {B, U, A, k}, "source"));
  if (s.code == CodeKind::ldpc) t.push_back(spec<std::uint8_t>("code_bits", {B, U, A, n}, "encoder"));
  t.push_back(spec<cf32>("tx_grid", {B, U, A, L, F}, "resource grid"));
  // A frequency-flat channel is one [R, S] matrix per frame; broadcasting it over [T, F] would only cost
  // memory and bandwidth.
  const std::size_t channel_f = s.channel_frequency_flat() ? 1 : F;
  t.push_back(spec<cf32>("channel", {B, R, U, A, T, channel_f}, "channel"));
  t.push_back(spec<cf32>("rx_grid", {B, R, L, F}, "channel"));
  if (s.csi == CsiKind::ls) {
    // The LS values at the pilots; the detector interpolates them per block ([R, S, P, F] never exists).
    t.push_back(spec<cf32>("pilot_ls", {B, R, P, F}, "estimation"));
    t.push_back(spec<float>("estimation_error_var", {B, S, P, F}, "estimation"));
  }
  t.push_back(spec<cf32>("equalized_symbols", {B, U, A, nd}, "detection"));
  t.push_back(spec<float>("post_detection_noise_var", {B, U, A, nd}, "detection"));
  t.push_back(spec<float>("llr", {B, U, A, n}, "demapper"));
  t.push_back(spec<std::uint8_t>("decoded_bits", {B, U, A, k}, "decoder"));
  return t;
}

}  // namespace sixg::sim
