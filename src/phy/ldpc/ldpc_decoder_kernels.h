// The fixed-point channel load and parity check of ldpc_decoder.cpp, compiled once per SIMD kernel
// target (src/phy/simd/for_each_kernel_target.h: no include guard, everything in SIXG_SIMD_NS).
// Integer results and exactly rounded float steps: both targets give the same bits.

namespace sixg::phy::ldpc_decoder_kernels::SIXG_SIMD_NS {
namespace {

constexpr int kFloatLanes = 8;
using fvec = float __attribute__((vector_size(4 * kFloatLanes)));
using ivec = std::int32_t __attribute__((vector_size(4 * kFloatLanes)));
using i16vec8 = std::int16_t __attribute__((vector_size(2 * kFloatLanes)));
using i16vec = std::int16_t __attribute__((vector_size(2 * ldpc_fixed::kLanes)));

inline fvec splat(float x) { return fvec{} + x; }

}  // namespace

/// Fixed point: x -> round(x · kFixedScale) (half away from zero) clamped to ±kFixedMaxChannel,
/// negated, for the z channel LLRs of each of num_cols columns (column c at first_column + c · stride,
/// its first ldpc_fixed::kLanes lanes mirrored after lane z). The scaling is exact and the clamp comes
/// first, so the + 0.5 is exact too.
void quantize_channel(const float* llr, int z, int num_cols, std::int16_t* first_column, std::ptrdiff_t stride) {
  const float limit = ldpc_fixed::kFixedMaxChannel;
  const fvec lo = splat(-limit), hi = splat(limit);
  auto quantize = [&](float x) {
    const float t = std::clamp(x * ldpc_fixed::kFixedScale, -limit, limit);
    return static_cast<std::int16_t>(-static_cast<std::int32_t>(t + (t < 0.0f ? -0.5f : 0.5f)));
  };
  for (int c = 0; c < num_cols; ++c) {
    std::int16_t* col = first_column + static_cast<std::ptrdiff_t>(c) * stride;
    const float* in = llr + static_cast<std::ptrdiff_t>(c) * z;
    int t = 0;
    for (; t + kFloatLanes <= z; t += kFloatLanes) {
      fvec x;
      std::memcpy(&x, in + t, sizeof x);
      x = x * ldpc_fixed::kFixedScale;
      x = x > lo ? x : lo;
      x = x < hi ? x : hi;
      const fvec rounded = x + (x < 0.0f ? splat(-0.5f) : splat(0.5f));
      const i16vec8 q = __builtin_convertvector(0 - __builtin_convertvector(rounded, ivec), i16vec8);
      std::memcpy(col + t, &q, sizeof q);
    }
    for (; t < z; ++t) col[t] = quantize(in[t]);
    for (t = 0; t < std::min(ldpc_fixed::kLanes, z); ++t) col[z + t] = col[t];
  }
}

/// Whether every check of the active layers holds on the signs of the fixed-point a-posteriori values:
/// sign bits XORed over each check's edges, ORed over the whole vectors of a layer (one test per
/// layer); the padding lanes of a partial last vector are masked off.
template <class Layer, class Edge>
bool fixed_parity_holds(const Layer* layers, const int* active_layers, int num_active, const Edge* edges,
                        const std::int16_t* first_column, std::ptrdiff_t stride, int z, int padded_z) {
  constexpr int kL = ldpc_fixed::kLanes;
  i16vec tail_mask{};
  for (int lane = 0; lane < kL; ++lane) tail_mask[lane] = (padded_z - kL + lane) < z ? -1 : 0;
  for (int a = 0; a < num_active; ++a) {
    const Layer& layer = layers[active_layers[a]];
    i16vec any{};
    for (int k = 0; k < padded_z; k += kL) {
      i16vec parity{};
      for (int e = 0; e < layer.degree; ++e) {
        const Edge& edge = edges[layer.first_edge + e];
        i16vec v;  // wrap(): ldpc_decoder.cpp's scalar helper, safe to call from either copy
        std::memcpy(&v, first_column + static_cast<std::ptrdiff_t>(edge.col) * stride + wrap(edge.shift + k, z),
                    sizeof v);
        parity ^= v;
      }
      any |= k + kL < padded_z ? parity : parity & tail_mask;
    }
    for (int lane = 0; lane < kL; ++lane) {
      if (any[lane] < 0) return false;
    }
  }
  return true;
}

}  // namespace sixg::phy::ldpc_decoder_kernels::SIXG_SIMD_NS
