#include "sixg/phy/ldpc/ldpc_decoder.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "ldpc_fixed_min_sum.h"
#include "ldpc_shifted_walk.h"

// The kernels use GCC/Clang vector extensions: one 8-lane float32 type that the compiler maps onto
// whatever the build targets (one AVX2 register with -march=native, two SSE2 registers otherwise),
// with the same IEEE arithmetic on every target. The fixed-point channel load and parity check (the
// default arithmetic's hot steps besides the layer kernel) are dispatched at run time to a baseline
// or an AVX2 copy (ldpc_decoder_kernels.h, src/phy/simd); the float32 reference path is compiled for
// the build's flags only. 32-byte vectors are passed only between inline functions of this file, so
// the AVX calling-convention note does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace sixg::phy {
namespace {

constexpr int kLanes = 8;
constexpr int kMaxDegree = 19;  // largest row degree of BG1 (BG2: 10)
constexpr int kMaxLayers = 46;  // rows of BG1 (BG2: 42)
// Internally LLRs are ln(P(0)/P(1)) (positive means 0): the opposite of the interface's sign, which
// load_channel() flips. Filler bits are known zeros: a large finite value, so no inf - inf can appear.
constexpr float kKnownZero = 1e30f;
constexpr float kMaxChannelLlr = 1e4f;  // channel LLRs are clamped to this magnitude

using fvec = float __attribute__((vector_size(4 * kLanes)));
using ivec = std::int32_t __attribute__((vector_size(4 * kLanes)));
constexpr std::int32_t kSignBit = INT32_MIN;

inline fvec load_vec(const float* p) {
  fvec v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store_vec(float* p, fvec v) { std::memcpy(p, &v, sizeof v); }
inline fvec splat(float x) { return fvec{} + x; }
inline ivec bits(fvec v) { return std::bit_cast<ivec>(v); }
inline fvec from_bits(ivec v) { return std::bit_cast<fvec>(v); }
inline fvec vmin(fvec a, fvec b) { return a < b ? a : b; }
inline fvec vmax(fvec a, fvec b) { return a > b ? a : b; }
inline fvec vabs(fvec v) { return from_bits(bits(v) & INT32_MAX); }
inline fvec with_sign_of(fvec magnitude, ivec sign) { return from_bits(bits(magnitude) | (sign & kSignBit)); }

// φ(x) = ln((1 + e^{-x}) / (1 - e^{-x})) = -ln tanh(x/2) for x >= 0, its own inverse: the sum-product
// check update is φ(Σ_{others} φ(|q|)). In this domain strong inputs have small φ with full relative
// precision, so the update keeps float accuracy where a float tanh product (1 - Π tanh near 1) would
// not. x is clamped to [kPhiMin, 30]: φ(kPhiMin) = 17.33 is the largest message (as a tanh product
// clamped at 1 - 2^-24), and φ(30) ~ 2e-13 is zero for any sum it joins.
constexpr float kPhiMin = 5.96e-8f;

inline fvec phi(fvec x) {
  x = vmin(vmax(x, splat(kPhiMin)), splat(30.0f));
  // e^{-x} = 2^{-n} e^{r}, n = round(x / ln 2), |r| <= ln(2)/2 (Cody-Waite: ln 2 = 0.693359375, exact in
  // 9 bits so n · hi is exact, - 2.12194440e-4); e^{r} - 1 by its Taylor series to r^7 (< 2e-8 relative).
  const ivec n = __builtin_convertvector(x * 1.44269504f + 0.5f, ivec);
  const fvec nf = __builtin_convertvector(n, fvec);
  const fvec r = (nf * 0.693359375f - x) + nf * -2.12194440e-4f;
  fvec p = splat(1.0f / 5040.0f);
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  const fvec em1_r = p * r;                       // e^{r} - 1
  const fvec scale = from_bits((127 - n) << 23);  // 2^{-n}
  const fvec u = scale + scale * em1_r;           // e^{-x}
  const fvec d = (1.0f - scale) - scale * em1_r;  // 1 - e^{-x}, without cancellation for small x
  // ln((1 + u) / d) = 2 atanh(u). Small u (x > 1.77): the atanh series in u directly. Otherwise write
  // z = (1 + u) / d >= 1.41 as m · 2^e, m in [sqrt(1/2), sqrt(2)), ln z = e ln 2 + 2 atanh((m-1)/(m+1)).
  // Both series arguments are below 0.1716, so 6 terms reach float precision.
  const fvec z = (1.0f + u) / d;
  const ivec zb = bits(z);
  fvec m = from_bits((zb & 0x7fffff) | 0x3f800000);
  const ivec halve = m > 1.41421356f;  // -1 where true
  m = halve ? m * 0.5f : m;
  const ivec e = ((zb >> 23) & 0xff) - 127 - halve;
  const ivec small = u < 0.17f;
  const fvec w = small ? u : (m - 1.0f) / (m + 1.0f);
  const fvec ef = small ? splat(0.0f) : __builtin_convertvector(e, fvec);
  const fvec w2 = w * w;
  fvec s = splat(1.0f / 11.0f);
  s = s * w2 + 1.0f / 9.0f;
  s = s * w2 + 1.0f / 7.0f;
  s = s * w2 + 1.0f / 5.0f;
  s = s * w2 + 1.0f / 3.0f;
  s = s * w2 + 1.0f;
  return ef * 0.693147181f + 2.0f * w * s;
}

// Column storage. Lane t of a column (t < z) lives at position t of the column's block of app_; the 8
// positions after z repeat lanes 0..7 (the "mirror"), and 8 floats of padding sit on either side. The
// lanes that checks [k, k + 8) of a block with shift s see start at p = (s + k) mod z and are the plain
// vector at p: those that wrap past z read the mirror. Stores keep the mirror current (store_lanes).
constexpr int kFrontPad = kLanes;
constexpr int kBackPad = 2 * kLanes;      // the mirror and room for a vector store at p + z, p < 8
constexpr std::size_t kAlignFloats = 16;  // buffers start on 64-byte cache lines

inline int wrap(int p, int z) { return p >= z ? p - z : p; }

// Stores lanes [k, k + valid) of a block, p = (s + k) mod z being where lane k lives.
// A whole vector (valid = 8, z >= 8) goes to p; lanes that wrapped past z then also go to the start
// (store at p - z, the other lanes spill into the front padding); if the vector touched lanes 0..7, the
// mirror is refreshed (store at p + z, the other lanes spill into the back padding). For z >= 8 the
// three stores write disjoint positions. A partial vector goes lane by lane, so that its padding
// lanes never overwrite a real lane.
inline void store_lanes(float* col, int z, int p, int valid, fvec v) {
  if (valid == kLanes) {
    store_vec(col + p, v);
    if (p + kLanes > z) store_vec(col + p - z, v);
    if (p < kLanes) store_vec(col + p + z, v);
  } else {
    for (int i = 0; i < valid; ++i) {
      const int pos = wrap(p + i, z);
      col[pos] = v[i];
      if (pos < kLanes) col[pos + z] = v[i];
    }
  }
}

// The blocks of one layer: col[e] is the column of edge e (at its lane 0), shift[e] its shift, msg[e]
// its message row (one float per check of the layer, 64-byte aligned). read_index[(k / 8) · degree + e]
// is where lanes [k, k + 8) of block e start, counted from `app` (precomputed: saves the wrap
// arithmetic in the inner loop of the min-sum pass over checks).
struct LayerPointers {
  float* app;
  const int* read_index;
  std::array<float*, kMaxDegree> col;
  std::array<int, kMaxDegree> shift;
  std::array<float*, kMaxDegree> msg;
  int degree;
  int z;
  int padded_z;
};

struct NormalizedMinSum {
  float normalization;
  fvec correct(fvec m) const { return m * normalization; }
};
struct OffsetMinSum {
  float offset;
  fvec correct(fvec m) const { return vmax(m - offset, splat(0.0f)); }
};

// One layer, min-sum family: per check, the smallest and second smallest |q| (q = app - old message)
// and the sign parity; the message to edge e is min2 if e holds the minimum (|q| == min1; ties make
// min1 == min2 anyway), else min1, corrected, with the parity of the other signs.
// Pass 1 runs over the checks, 16 at a time with the running minima in registers, and leaves per
// check min1 and the corrected min1 and min2, both carrying the sign parity, in `row` (L1).
// Pass 2 runs edge by edge (one column at a time), recomputing q, and writes the messages and the
// a-posteriori values; the stretches of vectors that neither wrap past z nor touch the mirrored lanes
// go through a tight loop with one store per vector.
template <bool kFirstIteration, class Correction>
void min_sum_layer(const LayerPointers& L, const Correction& correction, float* row) {
  const int z = L.z;
  auto finish_checks = [&](int k, fvec min1, fvec min2, ivec sign) {
    float* st = row + 3 * k;
    store_vec(st, min1);
    store_vec(st + kLanes, with_sign_of(correction.correct(min1), sign));
    store_vec(st + 2 * kLanes, with_sign_of(correction.correct(min2), sign));
  };
  const int d = L.degree;
  int k = 0;
  for (; k + 2 * kLanes <= L.padded_z; k += 2 * kLanes) {  // two independent chains per edge
    fvec min1a = splat(FLT_MAX), min2a = min1a, min1b = min1a, min2b = min1a;
    ivec signa{}, signb{};
    const int* index_a = L.read_index + (k / kLanes) * d;
    const int* index_b = index_a + d;
    for (int e = 0; e < d; ++e) {
      fvec qa = load_vec(L.app + index_a[e]);
      fvec qb = load_vec(L.app + index_b[e]);
      if (!kFirstIteration) {
        qa -= load_vec(L.msg[e] + k);
        qb -= load_vec(L.msg[e] + k + kLanes);
      }
      const fvec aa = vabs(qa), ab = vabs(qb);
      min2a = vmin(min2a, vmax(min1a, aa));
      min1a = vmin(min1a, aa);
      min2b = vmin(min2b, vmax(min1b, ab));
      min1b = vmin(min1b, ab);
      signa ^= bits(qa);
      signb ^= bits(qb);
    }
    finish_checks(k, min1a, min2a, signa);
    finish_checks(k + kLanes, min1b, min2b, signb);
  }
  for (; k < L.padded_z; k += kLanes) {
    fvec min1 = splat(FLT_MAX), min2 = min1;
    ivec sign{};
    const int* index = L.read_index + (k / kLanes) * d;
    for (int e = 0; e < d; ++e) {
      fvec q = load_vec(L.app + index[e]);
      if (!kFirstIteration) q -= load_vec(L.msg[e] + k);
      const fvec a = vabs(q);
      min2 = vmin(min2, vmax(min1, a));
      min1 = vmin(min1, a);
      sign ^= bits(q);
    }
    finish_checks(k, min1, min2, sign);
  }

  for (int e = 0; e < L.degree; ++e) {
    float* const col = L.col[e];
    float* const msg = L.msg[e];
    const int s = L.shift[e];
    // Checks [k, k + 8): new message, and q + message for the column at p = (s + k) mod z.
    auto update = [&](int k2, const float* app) {
      const float* st = row + 3 * k2;
      fvec q = load_vec(app);
      if (!kFirstIteration) q -= load_vec(msg + k2);
      const fvec magnitude_and_parity = vabs(q) == load_vec(st) ? load_vec(st + 2 * kLanes) : load_vec(st + kLanes);
      const fvec r = from_bits(bits(magnitude_and_parity) ^ (bits(q) & kSignBit));
      store_vec(msg + k2, r);
      return q + r;
    };
    auto plain = [&](int from, int to, int offset) {  // p = k + offset, lanes in [8, z)
      for (int k2 = from; k2 < to; k2 += kLanes) store_vec(col + k2 + offset, update(k2, col + k2 + offset));
    };
    auto general = [&](int k2) {
      const int p = wrap(s + k2, z);
      store_lanes(col, z, p, std::min(kLanes, z - k2), update(k2, col + p));
    };
    ldpc_walk::shifted_block<kLanes>(z, s, plain, general);
  }
}

// One layer, sum-product: |message to e| = φ(Σ_{j != e} φ(|q_j|)), sign = parity of the other signs.
// The sums over the others are prefix + suffix sums (no subtraction, so an erased input, φ = 17.33,
// cannot swamp the others' small φ).
template <bool kFirstIteration>
void sum_product_layer(const LayerPointers& L) {
  const int z = L.z;
  std::array<fvec, kMaxDegree> q, f, prefix;
  for (int k = 0; k < L.padded_z; k += kLanes) {
    fvec sum = splat(0.0f);
    ivec sign{};
    for (int e = 0; e < L.degree; ++e) {
      q[e] = load_vec(L.col[e] + wrap(L.shift[e] + k, z));
      if (!kFirstIteration) q[e] -= load_vec(L.msg[e] + k);
      f[e] = phi(vabs(q[e]));
      prefix[e] = sum;
      sum += f[e];
      sign ^= bits(q[e]);
    }
    fvec suffix = splat(0.0f);
    for (int e = L.degree - 1; e >= 0; --e) {
      const fvec r = with_sign_of(phi(prefix[e] + suffix), sign ^ bits(q[e]));
      store_vec(L.msg[e] + k, r);
      store_lanes(L.col[e], z, wrap(L.shift[e] + k, z), std::min(kLanes, z - k), q[e] + r);
      suffix += f[e];
    }
  }
}

template <bool kFirst>
void process_layer(const LdpcDecoderOptions& options, const LayerPointers& L, float* row) {
  switch (options.check_update) {
    case LdpcCheckUpdate::normalized_min_sum:
      min_sum_layer<kFirst>(L, NormalizedMinSum{options.normalization}, row);
      break;
    case LdpcCheckUpdate::offset_min_sum: min_sum_layer<kFirst>(L, OffsetMinSum{options.offset}, row); break;
    case LdpcCheckUpdate::sum_product: sum_product_layer<kFirst>(L); break;
  }
}

// The two arithmetics behind one iteration loop (LdpcDecoder::run_iterations): the element type, the
// layer view the kernel takes, the columns' front padding and the layer update itself.
struct FloatArithmetic {
  using Value = float;
  using View = LayerPointers;
  static constexpr int kColumnFrontPad = kLanes;
  static int message_slot(int e, int padded_z) { return e * padded_z; }  // message row of edge e: [padded_z]
  const LdpcDecoderOptions& options;
  void process(const View& L, bool first_iteration, float* row) const {
    if (first_iteration) {
      process_layer<true>(options, L, row);
    } else {
      process_layer<false>(options, L, row);
    }
  }
};
struct FixedArithmetic {
  using Value = std::int16_t;
  using View = ldpc_fixed::LayerView;
  static constexpr int kColumnFrontPad = ldpc_fixed::kLanes;
  static int message_slot(int e, int /*padded_z*/) { return 2 * ldpc_fixed::kLanes * e; }  // see LayerView
  ldpc_fixed::Correction correction;
  void process(const View& L, bool first_iteration, std::int16_t* scratch) const {
    ldpc_fixed::min_sum_layer(L, correction, first_iteration, scratch);
  }
};

// The first 64-byte boundary of a buffer over-allocated by one cache line.
template <class T>
T* aligned(std::vector<T>& v) {
  constexpr std::size_t kLine = 64 / sizeof(T);
  const auto address = reinterpret_cast<std::uintptr_t>(v.data());
  const std::size_t misalignment = (address / sizeof(T)) % kLine;
  return v.data() + (misalignment == 0 ? 0 : kLine - misalignment);
}
template <class T>
const T* aligned(const std::vector<T>& v) {
  return aligned(const_cast<std::vector<T>&>(v));
}

// Fixed-point columns: the float layout with 16 lanes (front pad 16, mirror + room 32, 64-byte lines).
constexpr int kFixedFrontPad = ldpc_fixed::kLanes;
constexpr int kFixedBackPad = 2 * ldpc_fixed::kLanes;
constexpr int kFixedLine = 32;

}  // namespace
}  // namespace sixg::phy

#define SIXG_KERNELS "phy/ldpc/ldpc_decoder_kernels.h"
#include "phy/simd/for_each_kernel_target.h"

namespace sixg::phy {

LdpcDecoder::LdpcDecoder(LdpcBaseGraph graph, int lifting_size, LdpcDecoderOptions options)
    : graph_(graph),
      z_(lifting_size),
      fixed_(options.arithmetic == LdpcArithmetic::fixed16 && options.check_update != LdpcCheckUpdate::sum_product),
      lanes_(fixed_ ? ldpc_fixed::kLanes : kLanes),
      options_(options) {
  if (options.iterations < 1) throw std::invalid_argument("LdpcDecoder: iterations must be >= 1");
  if (!(options.normalization > 0.0f && options.normalization <= 1.0f)) {
    throw std::invalid_argument("LdpcDecoder: normalization must be in (0, 1]");
  }
  if (!(options.offset >= 0.0f)) throw std::invalid_argument("LdpcDecoder: offset must be >= 0");
  const auto& table = ldpc_base_graph(graph);
  num_rows_ = table.num_rows();
  if (num_rows_ > kMaxLayers) throw std::logic_error("LdpcDecoder: more than 46 base-graph rows");
  num_cols_ = table.num_cols();
  num_info_cols_ = table.num_info_cols();
  padded_z_ = (z_ + lanes_ - 1) / lanes_ * lanes_;
  // Message elements per edge: fixed point stores them by pairs of 16-lane chunks (ldpc_fixed::LayerView).
  message_row_ = fixed_ ? (z_ + 2 * lanes_ - 1) / (2 * lanes_) * (2 * lanes_) : padded_z_;
  // Rounded up to a whole number of cache lines per column. Padding lanes of the last vector read up
  // to p + lanes - 1 < z + lanes: the mirror.
  const int front_pad = fixed_ ? kFixedFrontPad : kFrontPad;
  if (fixed_) {
    stride_ = (kFixedFrontPad + padded_z_ + kFixedBackPad + kFixedLine - 1) / kFixedLine * kFixedLine;
  } else {
    stride_ = static_cast<int>((kFrontPad + padded_z_ + kBackPad + kAlignFloats - 1) / kAlignFloats * kAlignFloats);
  }

  const auto lifted = table.lift(lifting_size);
  layers_.resize(num_rows_);
  for (int r = 0; r < num_rows_; ++r) layers_[r] = {0, 0, r >= 4 ? num_info_cols_ + r : -1, 0};
  for (int i = 0; i < static_cast<int>(lifted.size()); ++i) {
    const auto& e = lifted[i];
    if (layers_[e.row].degree == 0) layers_[e.row].first_edge = i;
    ++layers_[e.row].degree;
    edges_.push_back({e.col, e.shift});
  }
  for (auto& layer : layers_) {
    if (layer.degree > kMaxDegree) throw std::logic_error("LdpcDecoder: row degree above 19");
    layer.read_index_start = layer.first_edge * (fixed_ ? padded_z_ / lanes_ + 1 : padded_z_ / lanes_);
  }
  // Per layer, chunk and edge: where in app (from the aligned base) lanes [k, k + lanes) of the block start.
  read_index_.resize(edges_.size() * (padded_z_ / lanes_ + 1));
  if (fixed_) {
    // Fixed point: [chunk pair][edge][2]: both chunks' starts side by side (one 64-bit load in the
    // kernel); an odd last chunk is paired with itself.
    const int chunks = padded_z_ / lanes_;
    for (const auto& layer : layers_) {
      int* index = read_index_.data() + layer.read_index_start;
      for (int c = 0; c < chunks; c += 2) {
        for (int e = 0; e < layer.degree; ++e) {
          const Edge& edge = edges_[layer.first_edge + e];
          const int start = edge.col * stride_ + front_pad;
          *index++ = start + wrap(edge.shift + c * lanes_, z_);
          *index++ = start + wrap(edge.shift + std::min(c + 1, chunks - 1) * lanes_, z_);
        }
      }
    }
  }
  for (const auto& layer : layers_) {
    if (fixed_) break;
    int* index = read_index_.data() + layer.read_index_start;
    for (int k = 0; k < padded_z_; k += lanes_) {
      for (int e = 0; e < layer.degree; ++e) {
        const Edge& edge = edges_[layer.first_edge + e];
        *index++ = edge.col * stride_ + front_pad + wrap(edge.shift + k, z_);
      }
    }
  }
  active_layers_.resize(num_rows_);
  // Over-allocated by one cache line so that aligned() can start them on a line boundary.
  if (fixed_) {
    app16_.assign(static_cast<std::size_t>(num_cols_) * stride_ + kFixedLine, 0);
    messages16_.assign(edges_.size() * message_row_ + kFixedLine, 0);
    row_state16_.assign(static_cast<std::size_t>(ldpc_fixed::scratch_size(padded_z_)) + kFixedLine, 0);
  } else {
    app_.assign(static_cast<std::size_t>(num_cols_) * stride_ + kAlignFloats, 0.0f);
    messages_.assign(edges_.size() * padded_z_ + kAlignFloats, 0.0f);
    row_state_.assign(static_cast<std::size_t>(padded_z_) * 3 + kAlignFloats, 0.0f);
  }
}

float* LdpcDecoder::column(int c) { return aligned(app_) + static_cast<std::ptrdiff_t>(c) * stride_ + kFrontPad; }
const float* LdpcDecoder::column(int c) const {
  return aligned(app_) + static_cast<std::ptrdiff_t>(c) * stride_ + kFrontPad;
}
std::int16_t* LdpcDecoder::column16(int c) {
  return aligned(app16_) + static_cast<std::ptrdiff_t>(c) * stride_ + kFixedFrontPad;
}
const std::int16_t* LdpcDecoder::column16(int c) const {
  return aligned(app16_) + static_cast<std::ptrdiff_t>(c) * stride_ + kFixedFrontPad;
}

void LdpcDecoder::load_channel(std::span<const float> llr, int info_bits) {
  const int z = z_;
  const fvec lo = splat(-kMaxChannelLlr), hi = splat(kMaxChannelLlr);
  for (int c = 0; c < num_cols_; ++c) {
    float* col = column(c);
    const float* in = llr.data() + static_cast<std::ptrdiff_t>(c) * z;
    // 0 - x, not -x: an unreceived bit must be +0, as the sign bit is read as a hard decision of 1.
    int t = 0;
    for (; t + kLanes <= z; t += kLanes) store_vec(col + t, 0.0f - vmin(vmax(load_vec(in + t), lo), hi));
    for (; t < z; ++t) col[t] = 0.0f - std::clamp(in[t], -kMaxChannelLlr, kMaxChannelLlr);
    for (t = 0; t < std::min(kLanes, z); ++t) col[z + t] = col[t];
  }
  for (int pos = info_bits; pos < num_info_cols_ * z; ++pos) {
    float* col = column(pos / z);
    const int t = pos % z;
    col[t] = kKnownZero;
    if (t < kLanes) col[t + z] = kKnownZero;
  }
}

// Fixed point: x -> round(x · 16) (half away from zero) clamped to ±kFixedMaxChannel, negated. The
// scaling by 16 is exact and the clamp comes first, so the + 0.5 is exact too.
void LdpcDecoder::load_channel_fixed(std::span<const float> llr, int info_bits) {
  const int z = z_;
  SIXG_SIMD_DISPATCH(ldpc_decoder_kernels, quantize_channel)(llr.data(), z, num_cols_, column16(0), stride_);
  for (int pos = info_bits; pos < num_info_cols_ * z; ++pos) {
    std::int16_t* col = column16(pos / z);
    const int t = pos % z;
    col[t] = ldpc_fixed::kFixedKnownZero;
    if (t < ldpc_fixed::kLanes) col[t + z] = ldpc_fixed::kFixedKnownZero;
  }
}

void LdpcDecoder::find_active_layers(std::span<const float> llr) {
  const int z = z_;
  // A layer whose degree-1 parity has LLR 0 in every lane sends only zero messages: skip it.
  num_active_ = 0;
  for (int r = 0; r < num_rows_; ++r) {
    const int pc = layers_[r].parity_col;
    bool received = pc < 0;
    // x != 0.0f is (bits of x) << 1 != 0 (±0 are the only zeros; NaN counts as received): an integer OR
    // over chunks of 64, which the compiler vectorises, with an early exit between chunks.
    for (int t0 = 0; !received && t0 < z; t0 += 64) {
      const float* in = llr.data() + static_cast<std::ptrdiff_t>(pc) * z + t0;
      const int count = std::min(64, z - t0);
      std::uint32_t any = 0;
      for (int t = 0; t < count; ++t) any |= std::bit_cast<std::uint32_t>(in[t]) << 1;
      received = any != 0;
    }
    if (received) active_layers_[num_active_++] = r;
  }
}

namespace {

// info[i] = 1 where a-posteriori value i is negative, column by column (a loop the compiler vectorises).
template <class ColumnOf>
void hard_decisions(std::span<std::uint8_t> info, int z, ColumnOf&& column_of) {
  const int n = static_cast<int>(info.size());
  for (int c = 0; c * z < n; ++c) {
    const auto* col = column_of(c);
    std::uint8_t* out = info.data() + static_cast<std::ptrdiff_t>(c) * z;
    const int count = std::min(z, n - c * z);
    for (int t = 0; t < count; ++t) out[t] = col[t] < 0 ? 1 : 0;
  }
}

}  // namespace

int LdpcDecoder::decode(std::span<const float> llr, std::span<std::uint8_t> info) {
  if (llr.size() != static_cast<std::size_t>(codeword_length())) {
    throw std::invalid_argument("LdpcDecoder: expected " + std::to_string(codeword_length()) + " LLRs, got " +
                                std::to_string(llr.size()));
  }
  if (info.empty() || info.size() > static_cast<std::size_t>(code_block_size())) {
    throw std::invalid_argument("LdpcDecoder: need 1..K information bits");
  }
  if (fixed_) {
    load_channel_fixed(llr, static_cast<int>(info.size()));
  } else {
    load_channel(llr, static_cast<int>(info.size()));
  }
  find_active_layers(llr);
  int iterations_run = options_.iterations;
  if (fixed_) {
    ldpc_fixed::Correction correction{};
    correction.offset_min_sum = options_.check_update == LdpcCheckUpdate::offset_min_sum;
    // Offsets above 511 LLR units zero every message either way (messages are clamped far below); the
    // cap keeps the offset within int16.
    correction.offset =
        static_cast<std::int32_t>(std::lround(std::min(options_.offset, 511.0f) * ldpc_fixed::kFixedScale));
    correction.factor_q15 = static_cast<std::int32_t>(std::lround(options_.normalization * 32768.0f));
    run_iterations(FixedArithmetic{correction}, aligned(app16_), aligned(messages16_), aligned(row_state16_),
                   iterations_run);
    hard_decisions(info, z_, [this](int c) { return column16(c); });
  } else {
    run_iterations(FloatArithmetic{options_}, aligned(app_), aligned(messages_), aligned(row_state_), iterations_run);
    hard_decisions(info, z_, [this](int c) { return column(c); });
  }
  return iterations_run;
}

// The layer views (column, shift and message row of every edge) do not change during a decode: they
// are filled once per decode, on the stack, for the active layers only.
template <class Arithmetic, class T>
void LdpcDecoder::run_iterations(const Arithmetic& arithmetic, T* columns, T* messages, T* scratch,
                                 int& iterations_run) {
  std::array<typename Arithmetic::View, kMaxLayers> views;
  for (int a = 0; a < num_active_; ++a) {
    const Layer& layer = layers_[active_layers_[a]];
    typename Arithmetic::View& L = views[a];
    L.app = columns;
    L.read_index = read_index_.data() + layer.read_index_start;
    L.degree = layer.degree;
    L.z = z_;
    L.padded_z = padded_z_;
    for (int e = 0; e < layer.degree; ++e) {
      const Edge& edge = edges_[layer.first_edge + e];
      L.col[e] = columns + static_cast<std::ptrdiff_t>(edge.col) * stride_ + Arithmetic::kColumnFrontPad;
      L.shift[e] = edge.shift;
      L.msg[e] = messages + static_cast<std::ptrdiff_t>(layer.first_edge) * message_row_ +
                 Arithmetic::message_slot(e, padded_z_);
    }
  }
  for (int it = 0; it < options_.iterations; ++it) {
    for (int a = 0; a < num_active_; ++a) arithmetic.process(views[a], it == 0, scratch);
    if (options_.early_stop && parity_checks_hold()) {
      iterations_run = it + 1;
      return;
    }
  }
}

bool LdpcDecoder::parity_checks_hold() const {
  if (fixed_) {
    return SIXG_SIMD_DISPATCH(ldpc_decoder_kernels, fixed_parity_holds<Layer, Edge>)(
        layers_.data(), active_layers_.data(), num_active_, edges_.data(), column16(0), stride_, z_, padded_z_);
  }
  for (int a = 0; a < num_active_; ++a) {
    const Layer& layer = layers_[active_layers_[a]];
    for (int k = 0; k < padded_z_; k += kLanes) {
      ivec parity{};
      for (int e = 0; e < layer.degree; ++e) {
        const Edge& edge = edges_[layer.first_edge + e];
        parity ^= bits(load_vec(column(edge.col) + wrap(edge.shift + k, z_)));
      }
      for (int lane = 0; lane < kLanes && k + lane < z_; ++lane) {
        if (parity[lane] < 0) return false;
      }
    }
  }
  return true;
}

void LdpcDecoder::a_posteriori_llrs(std::span<float> out) const {
  if (out.size() != static_cast<std::size_t>(codeword_length())) {
    throw std::invalid_argument("LdpcDecoder::a_posteriori_llrs: wrong size");
  }
  for (int c = 0; c < num_cols_; ++c) {
    for (int t = 0; t < z_; ++t) {
      out[static_cast<std::size_t>(c) * z_ + t] =
          fixed_ ? -(static_cast<float>(column16(c)[t]) / ldpc_fixed::kFixedScale) : -column(c)[t];
    }
  }
}

}  // namespace sixg::phy
