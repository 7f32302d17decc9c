// The LS estimator's kernel (ls_channel_estimator.cpp), compiled once per SIMD kernel target
// (src/phy/simd/for_each_kernel_target.h: no include guard, everything in SIXG_SIMD_NS). Lane-wise
// multiplies and adds in the scalar definition's order: both targets give the same bits.

namespace sixg::phy::ls_kernels::SIXG_SIMD_NS {

/// LS values of every pilot symbol: ls[a, p, k] = y[a, pilot symbol p, k] / pilot (times its inverse).
template <class Run>
void ls_values(const LsRows<Run>& d) {
  const std::size_t antennas = d.antennas, num_p = d.num_p, symbols = d.symbols, fft = d.fft;
  for (std::size_t a = 0; a < antennas; ++a) {
    for (std::size_t p = 0; p < num_p; ++p) {
      // Every subcarrier of a pilot symbol is some stream's pilot, so one pass gives all LS values.
      const cf32* y_row = d.y + (a * symbols + static_cast<std::size_t>(d.pilot_symbols[p])) * fft;
      const cf32* inverse = d.inverse_pilot + p * fft;
      cf32* ls_row = d.ls + (a * num_p + p) * fft;
      for (std::size_t k = 0; k < fft; ++k) ls_row[k] = y_row[k] * inverse[k];
    }
  }
}

/// The LS values (ls_values), then each stream's estimate on every subcarrier of each (antenna, pilot
/// symbol) row as w0 LS(source0) + w1 LS(source1), run by run.
template <class Run>
void interpolate_ls(const LsRows<Run>& d) {
  // Eight floats = four interleaved complex values.
  constexpr std::size_t kLanes = 8;
  using v8f = float __attribute__((vector_size(4 * kLanes)));
  const std::size_t antennas = d.antennas, streams = d.streams, num_p = d.num_p, fft = d.fft;
  ls_values(d);

  const std::size_t row_floats = 2 * fft;
  // Stream-major, so that one stream's weights (4 fft floats) stay in L1 for all its A x P rows.
  for (std::size_t s = 0; s < streams; ++s) {
    const float* w0 = d.weights + s * 4 * fft;
    const float* w1 = w0 + 2 * fft;
    for (std::size_t a = 0; a < antennas; ++a) {
      for (std::size_t p = 0; p < num_p; ++p) {
        const cf32* ls_row = d.ls + (a * num_p + p) * fft;
        // Rows as interleaved floats (a complex<float> is two contiguous floats, [complex.numbers]).
        auto* out = reinterpret_cast<float*>(d.h_hat + ((a * streams + s) * num_p + p) * fft);
        for (std::size_t r = d.run_begin[s]; r < d.run_begin[s + 1]; ++r) {
          const Run& run = d.runs[r];
          const cf32 h0 = ls_row[static_cast<std::size_t>(run.source[0])];
          const cf32 h1 = ls_row[static_cast<std::size_t>(run.source[1])];
          const auto first = 2 * static_cast<std::size_t>(run.first);
          const auto end = first + 2 * static_cast<std::size_t>(run.count);
          // Whole vectors, the last one possibly running past the run into the next one's floats, which
          // the next run then overwrites (runs are in increasing order): no per-run remainder loop, the
          // dominant cost for runs of a few vectors. Only the row's end is a hard limit.
          const std::size_t vectors = std::min((end - first + kLanes - 1) / kLanes, (row_floats - first) / kLanes);
          const v8f h0v = {h0.real(), h0.imag(), h0.real(), h0.imag(), h0.real(), h0.imag(), h0.real(), h0.imag()};
          const v8f h1v = {h1.real(), h1.imag(), h1.real(), h1.imag(), h1.real(), h1.imag(), h1.real(), h1.imag()};
          for (std::size_t v = 0; v < vectors; ++v) {
            // Unaligned (a run starts at any subcarrier): memcpy of a vector is one unaligned load/store.
            const std::size_t i = first + v * kLanes;
            v8f w0v, w1v;
            std::memcpy(&w0v, w0 + i, sizeof w0v);
            std::memcpy(&w1v, w1 + i, sizeof w1v);
            const v8f sum = w0v * h0v + w1v * h1v;
            std::memcpy(out + i, &sum, sizeof sum);
          }
          // Per component w0*h0 + w1*h1, as real-times-complex and complex addition round it (the vector
          // lanes compute exactly this).
          for (std::size_t i = first + vectors * kLanes; i < end; i += 2) {
            out[i] = w0[i] * h0.real() + w1[i] * h1.real();
            out[i + 1] = w0[i + 1] * h0.imag() + w1[i + 1] * h1.imag();
          }
        }
      }
    }
  }
}

}  // namespace sixg::phy::ls_kernels::SIXG_SIMD_NS
