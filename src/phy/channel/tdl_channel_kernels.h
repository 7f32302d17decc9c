// The vector kernels of tdl_channel.cpp, compiled once per SIMD kernel target
// (src/phy/simd/for_each_kernel_target.h: no include guard, everything in SIXG_SIMD_NS). Separate
// multiplies and adds in a fixed order: every target gives the same bits.

namespace sixg::phy::tdl_kernels::SIXG_SIMD_NS {
namespace {

// The kernels below work on interleaved floats: a complex gain g = re + j im times phasor_d is
// re * phasor_d + im * (j phasor_d), two real multiply-adds that vectorise without shuffles. The sums
// run in fixed-size local accumulators, which the compiler keeps in vector registers. Every element
// sees the same operations in the same order whatever its position or the block width, so h does not
// depend on its address (batch invariance, DESIGN §3).

constexpr std::size_t kVectorsPerBlock = TdlChannel::kBlockFloats / 8;

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

/// TdlChannel::generate for one group of pairs whose gains are drawn: every block of the table, each
/// pair's Doppler components, then its rows.
void respond_group(const GroupResponse& r) {
  for (std::size_t block = 0; block < r.num_blocks; ++block) {
    const float* table = r.phasors + block * r.block_table;
    const std::size_t begin = block * TdlChannel::kBlockFloats;
    const std::size_t width = std::min(TdlChannel::kBlockFloats, r.row_floats - begin);
    const float* los_phasor =
        r.los_column >= 0 ? table + static_cast<std::size_t>(r.los_column) * 2 * TdlChannel::kBlockFloats : nullptr;
    for (std::size_t g = 0; g < r.pairs; ++g) {
      const float* pair_re = r.gain_re + g * r.gains_per_pair;
      const float* pair_im = r.gain_im + g * r.gains_per_pair;
      for (int j = 0; j < r.rank; ++j) {
        combine_phasors(table, pair_re + j * r.columns, pair_im + j * r.columns, r.columns,
                        r.components + j * TdlChannel::kBlockFloats);
      }
      float* pair_out = r.out + g * r.num_time_samples * r.row_floats;
      for (int l = 0; l < r.num_time_samples; ++l) {
        cf32 los_gain{};
        if (r.los_column >= 0) {
          const cf32 rot = r.los_rotation[l];
          const cf32 start = r.los_start[g];
          los_gain = {start.real() * rot.real() - start.imag() * rot.imag(),
                      start.real() * rot.imag() + start.imag() * rot.real()};
        }
        const float* weights = r.basis + static_cast<std::size_t>(l) * r.rank;
        float* row = pair_out + l * r.row_floats + begin;
        mix_components(r.components, weights, r.rank, los_phasor, los_gain, row, width);
      }
    }
  }
}

}  // namespace
}  // namespace sixg::phy::tdl_kernels::SIXG_SIMD_NS
