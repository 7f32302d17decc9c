// The batched detector's kernels (subcarrier_batch_detector.cpp), compiled once per SIMD kernel target
// (src/phy/simd/for_each_kernel_target.h: no include guard, everything in SIXG_SIMD_NS). Every lane's
// operations are the same on each target (separate multiplies and adds, correctly rounded sqrt/divide),
// so both give the same bits.

#include "phy/simd/lane_vectors.h"

namespace sixg::phy::batch_detection::SIXG_SIMD_NS {

namespace lanes = simd::SIXG_SIMD_NS::lanes;
using lanes::v4d;
using lanes::v8f;

namespace {

/// As GramSolver: the tiny relative diagonal load, and LmmseDetector's visibility threshold.
constexpr double kRelativeLoading = 1e-12;
constexpr double kMinGain = 1e-12;
constexpr float kInf = std::numeric_limits<float>::infinity();

/// `valid` interleaved complex values at p -> lanes (the rest zero); full blocks load directly. The
/// same deinterleave runs either way, so a lane's value never depends on the block it sits in.
void load_complex(const cf32* p, int valid, v8f& re, v8f& im) {
  if (valid == kLanes) {
    lanes::deinterleave(reinterpret_cast<const float*>(p), re, im);
    return;
  }
  float buffer[2 * kLanes] = {};
  std::copy_n(reinterpret_cast<const float*>(p), 2 * valid, buffer);
  lanes::deinterleave(buffer, re, im);
}

/// As load_complex, for real values. (An out-parameter, not a return value: GCC may outline the partial
/// path, and a vector returned from an outlined function warns of the AVX ABI change in a non-AVX build.)
void load_real(const float* p, int valid, v8f& v) {
  if (valid == kLanes) {
    v = lanes::load8(p);
    return;
  }
  float buffer[kLanes] = {};
  std::copy_n(p, valid, buffer);
  v = lanes::load8(buffer);
}

void store_complex(cf32* p, int valid, v8f re, v8f im) {
  if (valid == kLanes) {
    lanes::interleave(reinterpret_cast<float*>(p), re, im);
    return;
  }
  float buffer[2 * kLanes];
  lanes::interleave(buffer, re, im);
  std::copy_n(buffer, 2 * valid, reinterpret_cast<float*>(p));
}

void store_real(float* p, int valid, v8f v) {
  if (valid == kLanes) {
    lanes::store8(p, v);
    return;
  }
  float buffer[kLanes];
  lanes::store8(buffer, v);
  std::copy_n(buffer, valid, p);
}

/// The double-precision factors of one half block: [S][S] entries of kHalf lanes, upper triangle used.
struct HalfFactors {
  int n;
  double *ur, *ui;  // U
  double *vr, *vi;  // V = U⁻¹
  [[nodiscard]] std::size_t operator()(int row, int col) const { return at((row * n + col) * kHalf); }
};

/// Row i, columns [k0, k0 + kWidth) of the left-looking Cholesky, before scaling by 1/U_ii:
/// (G + λI)_ik - sum_{j < i} conj(U_ji) U_jk, subtracted in the order j = 0, 1, ... as the right-looking
/// update subtracts them. g_re/g_im: the float Gram of the block, entry (i, k) at (i * sp + k) * kLanes.
template <int kWidth>
void cholesky_row_tile(const HalfFactors& f, const float* g_re, const float* g_im, int sp, int half, int i, int k0,
                       v4d load) {
  v4d re[kWidth], im[kWidth];
  for (int t = 0; t < kWidth; ++t) {
    re[t] = lanes::load_half_as_double(g_re + at((i * sp + k0 + t) * kLanes), half);
    im[t] = lanes::load_half_as_double(g_im + at((i * sp + k0 + t) * kLanes), half);
  }
  if (k0 == i) re[0] = re[0] + load;
  for (int j = 0; j < i; ++j) {
    const v4d cr = lanes::load4(f.ur + f(j, i)), ci = lanes::load4(f.ui + f(j, i));
    for (int t = 0; t < kWidth; ++t) {
      const v4d jr = lanes::load4(f.ur + f(j, k0 + t)), ji = lanes::load4(f.ui + f(j, k0 + t));
      re[t] = re[t] - (cr * jr + ci * ji);
      im[t] = im[t] - (cr * ji - ci * jr);
    }
  }
  for (int t = 0; t < kWidth; ++t) {
    lanes::store4(f.ur + f(i, k0 + t), re[t]);
    lanes::store4(f.ui + f(i, k0 + t), im[t]);
  }
}

/// Row j, columns [k0, k0 + kWidth) (k0 > j) of V = U⁻¹: -(1/U_jj) sum_{i = j+1..k} U_ji V_ik, summed
/// from i = j + 1 up starting from 0, as the row-by-row back substitution sums it.
template <int kWidth>
void inverse_row_tile(const HalfFactors& f, int j, int k0, v4d inverse) {
  v4d re[kWidth] = {}, im[kWidth] = {};
  for (int i = j + 1; i < k0 + kWidth; ++i) {
    const v4d cr = lanes::load4(f.ur + f(j, i)), ci = lanes::load4(f.ui + f(j, i));
    for (int t = 0; t < kWidth; ++t) {
      if (i > k0 + t) continue;  // V_ik = 0 below the diagonal: the term does not exist
      const v4d wr = lanes::load4(f.vr + f(i, k0 + t)), wi = lanes::load4(f.vi + f(i, k0 + t));
      re[t] = re[t] + (cr * wr - ci * wi);
      im[t] = im[t] + (cr * wi + ci * wr);
    }
  }
  for (int t = 0; t < kWidth; ++t) {
    lanes::store4(f.vr + f(j, k0 + t), re[t] * -inverse);
    lanes::store4(f.vi + f(j, k0 + t), im[t] * -inverse);
  }
}

/// The Gram and the matched filter sum over the antennas kAntennaChunk at a time, parking a tile's kTile
/// accumulator pairs (re at re_at + t * kLanes, im likewise) between chunks: store and reload are exact,
/// so the sum's order is that of one pass. resume_tile starts a chunk (from zero for the first one),
/// park_tile ends it.
inline void resume_tile(bool first_chunk, const float* re_at, const float* im_at, v8f (&re)[kTile], v8f (&im)[kTile]) {
  for (int t = 0; t < kTile; ++t) {
    re[t] = first_chunk ? v8f{} : lanes::load8(re_at + t * kLanes);
    im[t] = first_chunk ? v8f{} : lanes::load8(im_at + t * kLanes);
  }
}

inline void park_tile(const v8f (&re)[kTile], const v8f (&im)[kTile], float* re_at, float* im_at) {
  for (int t = 0; t < kTile; ++t) {
    lanes::store8(re_at + t * kLanes, re[t]);
    lanes::store8(im_at + t * kLanes, im[t]);
  }
}

/// Runs tile(width, k0) over [first, n) in tiles of kTile, then one narrower tile for the rest.
template <class Tile>
void for_each_tile(int first, int n, Tile tile) {
  int k0 = first;
  for (; k0 + kTile <= n; k0 += kTile) tile(std::integral_constant<int, kTile>{}, k0);
  switch (n - k0) {
    case 3:
      tile(std::integral_constant<int, 3>{}, k0);
      break;
    case 2:
      tile(std::integral_constant<int, 2>{}, k0);
      break;
    case 1:
      tile(std::integral_constant<int, 1>{}, k0);
      break;
    default:
      break;
  }
}

}  // namespace

/// SubcarrierBatchDetector::detect's work on its state (see subcarrier_batch_detector.h), per block of
/// subcarriers: stage the channel and the received columns, Gram, factor, match, solve, store.
class SubcarrierBatchKernel {
 public:
  explicit SubcarrierBatchKernel(detail::SubcarrierBatchState& state) : s_(state) {}
  void detect(const ChannelGroupView& g);

 private:
  void stage_channel(const ChannelGroupView& g, int stage0, int blocks);
  void stage_direct_channel(const ChannelGroupView& g, int stage0, int blocks);
  void stage_ls_channel(const ChannelGroupView& g, int stage0, int blocks);
  void stage_effective_noise(const ChannelGroupView& g, int stage0, int blocks);
  void stage_received(const ChannelGroupView& g, int stage0, int blocks);
  [[nodiscard]] const float* block_channel_re() const {
    return s_.h_re_.data() + block_ * s_.num_rx_ant_ * s_.padded_streams_ * kLanes;
  }
  [[nodiscard]] const float* block_channel_im() const {
    return s_.h_im_.data() + block_ * s_.num_rx_ant_ * s_.padded_streams_ * kLanes;
  }
  [[nodiscard]] const float* block_n0_eff() const { return s_.n0_eff_.data() + block_ * kLanes; }
  void compute_gram();
  void factor_half(int half);
  void mrc_half(int half);
  void match_columns(const ChannelGroupView& g, int first_column, int count, int k0, int valid);
  void solve_half(int half, int columns);
  template <int kColumns>
  void solve_tile(int half, int first_column);
  void scale_half(int half, int columns);
  void store_columns(const ChannelGroupView& g, int first_column, int columns, int k0, int valid);

  detail::SubcarrierBatchState& s_;
  int block_ = 0;  // block of the current stage being detected
};

void SubcarrierBatchKernel::detect(const ChannelGroupView& g) {
  const int columns = static_cast<int>(g.y_column_offset.size());
  for (int stage0 = 0; stage0 < s_.fft_size_; stage0 += kBlocksPerStage * kLanes) {
    const int blocks = std::min(kBlocksPerStage, (s_.fft_size_ - stage0 + kLanes - 1) / kLanes);
    stage_channel(g, stage0, blocks);
    if (columns <= kStagedColumns) stage_received(g, stage0, blocks);
    for (int b = 0; b < blocks; ++b) {
      block_ = b;
      const int k0 = stage0 + b * kLanes;
      const int valid = std::min(kLanes, s_.fft_size_ - k0);
      compute_gram();
      for (int half = 0; half < 2; ++half) {
        if (s_.kind_ == DetectorKind::mrc) {
          mrc_half(half);
        } else {
          factor_half(half);
        }
      }
      for (int c0 = 0; c0 < columns; c0 += kColumnsPerPass) {
        const int n = std::min(kColumnsPerPass, columns - c0);
        match_columns(g, c0, n, k0, valid);
        for (int half = 0; half < 2; ++half) {
          if (s_.kind_ == DetectorKind::mrc) {
            scale_half(half, n);
          } else {
            solve_half(half, n);
          }
        }
        store_columns(g, c0, n, k0, valid);
      }
    }
  }
}

void SubcarrierBatchKernel::stage_channel(const ChannelGroupView& g, int stage0, int blocks) {
  if (g.h == nullptr) {
    stage_ls_channel(g, stage0, blocks);
  } else {
    stage_direct_channel(g, stage0, blocks);
  }
  stage_effective_noise(g, stage0, blocks);
}

/// Lanes [0, valid) of one LS row at the given per-lane subcarrier indices, the rest zero (as
/// load_complex pads). Loads only: the values are exactly the row's.
inline void gather_complex(const cf32* row, const std::int32_t* index, int valid, v8f& re, v8f& im) {
#if SIXG_SIMD_AVX2
  if (valid == kLanes) {
    __m256i at;
    std::memcpy(&at, index, sizeof at);
    at = _mm256_slli_epi32(at, 1);  // float offset of the real part
    const auto* floats = reinterpret_cast<const float*>(row);
    re = __builtin_bit_cast(v8f, _mm256_i32gather_ps(floats, at, 4));
    im = __builtin_bit_cast(v8f, _mm256_i32gather_ps(floats + 1, at, 4));
    return;
  }
#endif
  re = v8f{};
  im = v8f{};
  for (int l = 0; l < valid; ++l) {
    const cf32 v = row[index[l]];
    re[l] = v.real();
    im[l] = v.imag();
  }
}

void SubcarrierBatchKernel::stage_ls_channel(const ChannelGroupView& g, int stage0, int blocks) {
  const int antennas = s_.num_rx_ant_, streams = s_.num_streams_, sp = s_.padded_streams_;
  const std::size_t block_size = at(antennas * sp * kLanes);
  const std::ptrdiff_t fft = s_.fft_size_;
  // H = w0 hhat0 + w1 hhat1, where hhat = w0' LS(source0) + w1' LS(source1) per component is
  // LsChannelEstimator::estimate()'s h_hat, rounded in its order; then as stage_direct_channel rounds it.
  // The LS rows (A x P rows of 4 KiB at the default size, 256 KiB) stay in L2 — a stage reads a window
  // of a few lines per row — unlike the [A, S, P, F] estimate this replaces (4 MiB, written once and read
  // back once per group).
  const float w0 = g.weight[0], w1 = g.weight[1];
  for (int s = 0; s < streams; ++s) {
    const std::ptrdiff_t table = s * fft + stage0;
    for (int b = 0; b < blocks; ++b) {
      const int valid = std::min(kLanes, s_.fft_size_ - stage0 - b * kLanes);
      const std::ptrdiff_t k = table + b * kLanes;
      v8f f0, f1;  // the frequency weights of the lanes
      load_real(g.interpolation.weight0 + k, valid, f0);
      load_real(g.interpolation.weight1 + k, valid, f1);
      const std::int32_t* source0 = g.interpolation.source0 + k;
      const std::int32_t* source1 = g.interpolation.source1 + k;
      // Nearest-neighbour interpolation (and the edges of linear) take both terms from one pilot: one
      // gather serves both, the arithmetic stays w0' v + w1' v.
      const bool one_source = std::equal(source0, source0 + valid, source1);
      for (int a = 0; a < antennas; ++a) {
        v8f re{}, im{};
        for (int t = 0; t < g.num_terms; ++t) {
          const cf32* row = g.ls + a * g.ant_stride + g.term_offset[t];
          v8f r0, i0, r1, i1;
          gather_complex(row, source0, valid, r0, i0);
          if (one_source) {
            r1 = r0;
            i1 = i0;
          } else {
            gather_complex(row, source1, valid, r1, i1);
          }
          const v8f hr = f0 * r0 + f1 * r1, hi = f0 * i0 + f1 * i1;
          if (t == 0) {
            re = w0 * hr;
            im = w0 * hi;
          } else {
            re = re + w1 * hr;
            im = im + w1 * hi;
          }
        }
        lanes::store8(&s_.h_re_[b * block_size + at((a * sp + s) * kLanes)], re);
        lanes::store8(&s_.h_im_[b * block_size + at((a * sp + s) * kLanes)], im);
      }
    }
  }
}

void SubcarrierBatchKernel::stage_direct_channel(const ChannelGroupView& g, int stage0, int blocks) {
  const int antennas = s_.num_rx_ant_, streams = s_.num_streams_, sp = s_.padded_streams_;
  const std::size_t block_size = at(antennas * sp * kLanes);
  // H = w0 h0 + w1 h1, rounded as LsChannelEstimator::channel_at rounds it. Rows (a, s) of the
  // pipeline's tensors lie a multiple of 4 KiB apart, so the A x S lines of one block all compete for
  // one L1/L2 set; reading each row's run of `blocks` lines at once (a short sequential stream) and
  // staging them here keeps the conflict misses to one pass over the data.
  const float w0 = g.weight[0], w1 = g.weight[1];
  for (int a = 0; a < antennas; ++a) {
    for (int s = 0; s < streams; ++s) {
      const cf32* base = g.h + a * g.ant_stride + s * g.stream_stride + stage0;
      // Fetch the run of the row kRowsAhead rows later now: too far apart for the hardware prefetcher,
      // close enough that the set-conflicting lines are not evicted before use. (A prefetch never
      // faults, so rows past the end are harmless.)
      const int ahead = a * streams + s + kRowsAhead;
      const cf32* next = g.h + (ahead / streams) * g.ant_stride + (ahead % streams) * g.stream_stride + stage0;
      for (int b = 0; b < blocks; ++b) {
        for (int t = 0; t < g.num_terms; ++t) __builtin_prefetch(next + g.term_offset[t] + b * kLanes);
      }
      // And the row kRowsFarAhead later: an L3 miss takes longer than kRowsAhead rows of staging, and
      // the L1 set that row evicts it from first still leaves it in L2 for the near prefetch.
      const int far = a * streams + s + kRowsFarAhead;
      const cf32* far_row = g.h + (far / streams) * g.ant_stride + (far % streams) * g.stream_stride + stage0;
      for (int b = 0; b < blocks; ++b) {
        for (int t = 0; t < g.num_terms; ++t) __builtin_prefetch(far_row + g.term_offset[t] + b * kLanes);
      }
      for (int b = 0; b < blocks; ++b) {
        const int valid = std::min(kLanes, s_.fft_size_ - stage0 - b * kLanes);
        v8f re, im;
        load_complex(base + g.term_offset[0] + b * kLanes, valid, re, im);
        re = w0 * re;
        im = w0 * im;
        if (g.num_terms == 2) {
          v8f re1, im1;
          load_complex(base + g.term_offset[1] + b * kLanes, valid, re1, im1);
          re = re + w1 * re1;
          im = im + w1 * im1;
        }
        lanes::store8(&s_.h_re_[b * block_size + at((a * sp + s) * kLanes)], re);
        lanes::store8(&s_.h_im_[b * block_size + at((a * sp + s) * kLanes)], im);
      }
    }
  }
}

void SubcarrierBatchKernel::stage_effective_noise(const ChannelGroupView& g, int stage0, int blocks) {
  const float w0 = g.weight[0], w1 = g.weight[1];
  const int streams = s_.num_streams_;
  // N0_eff = N0 + sum_s err_var_s, summed in stream order as effective_noise() does.
  for (int b = 0; b < blocks; ++b) {
    const int k0 = stage0 + b * kLanes;
    const int valid = std::min(kLanes, s_.fft_size_ - k0);
    v8f n0_eff = lanes::splat8(g.n0);
    if (g.err != nullptr) {
      const float e0 = w0 * w0, e1 = w1 * w1;
      for (int s = 0; s < streams; ++s) {
        const float* base = g.err + s * g.err_stream_stride + k0;
        v8f e0_term, e1_term;
        load_real(base + g.err_term_offset[0], valid, e0_term);
        v8f e = e0 * e0_term;
        if (g.num_terms == 2) {
          load_real(base + g.err_term_offset[1], valid, e1_term);
          e = e + e1 * e1_term;
        }
        n0_eff = n0_eff + e;
      }
    }
    lanes::store8(&s_.n0_eff_[at(b * kLanes)], n0_eff);
  }
}

void SubcarrierBatchKernel::compute_gram() {
  const int antennas = s_.num_rx_ant_, streams = s_.num_streams_, sp = s_.padded_streams_;
  const float* hr = block_channel_re();
  const float* hi = block_channel_im();
  // G_jk = sum_a conj(h_aj) h_ak for a tile of 4 k at a time, from the tile holding the diagonal; the 8
  // accumulators stay in registers across kAntennaChunk antennas, then park in G while the other tiles
  // use the same chunk of H (which fits L1, unlike the whole block), and resume with the next chunk.
  for (int a0 = 0; a0 < antennas; a0 += kAntennaChunk) {
    const int a1 = std::min(antennas, a0 + kAntennaChunk);
    for (int j = 0; j < streams; ++j) {
      for (int k0 = j - j % kTile; k0 < sp; k0 += kTile) {
        float* g_re = &s_.gram_re_[at((j * sp + k0) * kLanes)];
        float* g_im = &s_.gram_im_[at((j * sp + k0) * kLanes)];
        v8f re[kTile], im[kTile];
        resume_tile(a0 == 0, g_re, g_im, re, im);
        for (int a = a0; a < a1; ++a) {
          const float* row_r = hr + a * sp * kLanes;
          const float* row_i = hi + a * sp * kLanes;
          const v8f cr = lanes::load8(row_r + j * kLanes), ci = lanes::load8(row_i + j * kLanes);
          for (int t = 0; t < kTile; ++t) {
            const v8f kr = lanes::load8(row_r + (k0 + t) * kLanes), ki = lanes::load8(row_i + (k0 + t) * kLanes);
            re[t] += cr * kr + ci * ki;
            im[t] += cr * ki - ci * kr;
          }
        }
        park_tile(re, im, g_re, g_im);
      }
    }
  }
}

void SubcarrierBatchKernel::factor_half(int half) {
  const int n = s_.num_streams_, sp = s_.padded_streams_;
  double* ur = s_.u_re_.data();
  double* ui = s_.u_im_.data();
  double* vr = s_.v_re_.data() + half * n * n * kHalf;
  double* vi = s_.v_im_.data() + half * n * n * kHalf;
  auto u = [n](int row, int col) { return (row * n + col) * kHalf; };
  const HalfFactors f{n, ur, ui, vr, vi};
  // λ = max(loading, kRelativeLoading * trace(G)/S, DBL_MIN), as GramSolver::factor.
  v4d trace{};
  for (int k = 0; k < n; ++k) trace += lanes::load_half_as_double(&s_.gram_re_[at((k * sp + k) * kLanes)], half);
  const v4d loading = s_.kind_ == DetectorKind::lmmse ? lanes::load_half_as_double(block_n0_eff(), half) : v4d{};
  const v4d load =
      lanes::max4(lanes::max4(loading, kRelativeLoading * trace / static_cast<double>(n)), lanes::splat4(DBL_MIN));

  // Cholesky G + λI = UᴴU (GramSolver::factor) in its left-looking form: row i of U is (G + λI)_ik minus
  // conj(U_ji) U_jk for j = 0, 1, ..., i - 1, the same subtractions in the same order as the right-looking
  // update, but accumulated in registers, so each element is loaded and stored once. A lane whose pivot is
  // not positive and finite has failed (non-finite input) and is masked out at the end; the others are
  // unaffected.
  v4d ok = lanes::splat4(1.0);
  for (int i = 0; i < n; ++i) {
    for_each_tile(i, n, [&](auto width, int k0) {
      cholesky_row_tile<decltype(width)::value>(f, s_.gram_re_.data(), s_.gram_im_.data(), sp, half, i, k0, load);
    });
    const v4d pivot = lanes::load4(ur + u(i, i));
    ok = pivot > 0.0 && pivot <= DBL_MAX ? ok : v4d{};
    const v4d diagonal = lanes::sqrt4(pivot);
    const v4d inverse = 1.0 / diagonal;
    for (int k = i + 1; k < n; ++k) {
      lanes::store4(ur + u(i, k), lanes::load4(ur + u(i, k)) * inverse);
      lanes::store4(ui + u(i, k), lanes::load4(ui + u(i, k)) * inverse);
    }
    lanes::store4(ur + u(i, i), diagonal);
    lanes::store4(ui + u(i, i), v4d{});
  }

  // V = U⁻¹ by back substitution from the bottom row: V_jj = 1/U_jj, V_jk = -(1/U_jj) sum_{i>j} U_ji V_ik
  // (summed from i = j + 1 up, starting from 0, as the row-by-row update did).
  for (int j = n - 1; j >= 0; --j) {
    const v4d inverse = 1.0 / lanes::load4(ur + u(j, j));
    for_each_tile(j + 1, n, [&](auto width, int k0) { inverse_row_tile<decltype(width)::value>(f, j, k0, inverse); });
    lanes::store4(vr + u(j, j), inverse);
    lanes::store4(vi + u(j, j), v4d{});
  }

  // [(G + λI)⁻¹]_kk = ‖row k of V‖², then the detector's scale and post-detection noise variance.
  const v4d n0_eff = lanes::load_half_as_double(block_n0_eff(), half);
  double* scale = s_.scale_.data() + half * n * kHalf;
  for (int k = 0; k < n; ++k) {
    v4d inverse_diagonal{};
    for (int m = k; m < n; ++m) {
      const v4d a = lanes::load4(vr + u(k, m)), b = lanes::load4(vi + u(k, m));
      inverse_diagonal += a * a + b * b;
    }
    v4d s, nv;
    if (s_.kind_ == DetectorKind::lmmse) {
      // d_k = 1 - λ [(G + λI)⁻¹]_kk, x̂ = (W y)/d_k, 1/SINR = (1 - d_k)/d_k (LmmseDetector).
      const v4d mse = load * inverse_diagonal;
      const v4d gain = 1.0 - mse;
      const auto visible = gain > kMinGain && ok != 0.0;
      s = visible ? 1.0 / gain : v4d{};
      nv = visible ? mse / gain : lanes::splat4(static_cast<double>(kInf));
    } else {
      // ZF: 1/SNR = N0_eff [(G + λI)⁻¹]_kk; a silent stream (‖h_k‖ = 0) gets +inf (ZfDetector).
      const v4d gain = lanes::load_half_as_double(&s_.gram_re_[at((k * sp + k) * kLanes)], half);
      s = ok != 0.0 ? lanes::splat4(1.0) : v4d{};
      nv = gain > 0.0 && ok != 0.0 ? n0_eff * inverse_diagonal : lanes::splat4(static_cast<double>(kInf));
    }
    lanes::store4(scale + k * kHalf, s);
    lanes::store_half_as_float(&s_.nv_[at(k * kLanes)], half, nv);
  }
}

void SubcarrierBatchKernel::mrc_half(int half) {
  const int n = s_.num_streams_, sp = s_.padded_streams_;
  const v4d n0_eff = lanes::load_half_as_double(block_n0_eff(), half);
  double* scale = s_.scale_.data() + half * n * kHalf;
  auto gram_abs2 = [&](int row, int col) {  // |G_row,col|² from the stored upper triangle (row <= col)
    const v4d re = lanes::load_half_as_double(&s_.gram_re_[at((row * sp + col) * kLanes)], half);
    const v4d im = lanes::load_half_as_double(&s_.gram_im_[at((row * sp + col) * kLanes)], half);
    return re * re + im * im;
  };
  // SINR_k = ‖h_k‖⁴ / (sum_{j≠k} |h_kᴴ h_j|² + N0_eff ‖h_k‖²) (MrcDetector).
  for (int k = 0; k < n; ++k) {
    const v4d gain = lanes::load_half_as_double(&s_.gram_re_[at((k * sp + k) * kLanes)], half);
    v4d interference{};
    for (int j = 0; j < k; ++j) interference += gram_abs2(j, k);
    for (int j = k + 1; j < n; ++j) interference += gram_abs2(k, j);
    const auto visible = gain > 0.0;
    lanes::store4(scale + k * kHalf, visible ? 1.0 / gain : v4d{});
    const v4d nv = visible ? (interference + n0_eff * gain) / (gain * gain) : lanes::splat4(static_cast<double>(kInf));
    lanes::store_half_as_float(&s_.nv_[at(k * kLanes)], half, nv);
  }
}

void SubcarrierBatchKernel::stage_received(const ChannelGroupView& g, int stage0, int blocks) {
  const int antennas = s_.num_rx_ant_, columns = static_cast<int>(g.y_column_offset.size());
  // The received rows (a, symbol) lie multiples of 4 KiB apart, as the channel rows: one block of every
  // row falls in the same L1 set (and, memory being physically contiguous, in a few L2 sets), so loading
  // the rows block by block keeps only a handful of lines in flight. A stage's run of `blocks` lines per
  // row spans that many sets: staged row by row, kRowsAhead rows prefetched, as stage_channel() does.
  for (int c = 0; c < columns; ++c) {
    for (int a = 0; a < antennas; ++a) {
      const cf32* base = g.y + a * g.y_ant_stride + g.y_column_offset[at(c)] + stage0;
      const cf32* next = base + kRowsAhead * g.y_ant_stride;
      for (int b = 0; b < blocks; ++b) __builtin_prefetch(next + b * kLanes);
      for (int b = 0; b < blocks; ++b) __builtin_prefetch(base + kRowsFarAhead * g.y_ant_stride + b * kLanes);
      for (int b = 0; b < blocks; ++b) {
        const int valid = std::min(kLanes, s_.fft_size_ - stage0 - b * kLanes);
        v8f re, im;
        load_complex(base + b * kLanes, valid, re, im);
        const std::size_t index = at(((b * kStagedColumns + c) * antennas + a) * kLanes);
        lanes::store8(&s_.staged_y_re_[index], re);
        lanes::store8(&s_.staged_y_im_[index], im);
      }
    }
  }
}

void SubcarrierBatchKernel::match_columns(const ChannelGroupView& g, int first_column, int count, int k0, int valid) {
  const int antennas = s_.num_rx_ant_, sp = s_.padded_streams_;
  const std::size_t column_size = at(antennas * kLanes);
  // The columns' received vectors: staged with the stage, or (more columns than the staging holds)
  // loaded here block by block.
  const bool staged = static_cast<int>(g.y_column_offset.size()) <= kStagedColumns;
  const float* y_re_base =
      staged ? &s_.staged_y_re_[at(block_ * kStagedColumns + first_column) * column_size] : s_.y_re_.data();
  const float* y_im_base =
      staged ? &s_.staged_y_im_[at(block_ * kStagedColumns + first_column) * column_size] : s_.y_im_.data();
  for (int c = 0; c < count && !staged; ++c) {
    const std::ptrdiff_t offset = g.y_column_offset[at(first_column + c)] + k0;
    float* y_re = &s_.y_re_[c * column_size];
    float* y_im = &s_.y_im_[c * column_size];
    for (int a = 0; a < antennas; ++a) {
      v8f re, im;
      __builtin_prefetch(g.y + (a + kRowsAhead) * g.y_ant_stride + offset);
      load_complex(g.y + a * g.y_ant_stride + offset, valid, re, im);
      lanes::store8(y_re + a * kLanes, re);
      lanes::store8(y_im + a * kLanes, im);
    }
  }
  // z_s = sum_a conj(h_as) y_a. The block's channel (A x padded S x 8 lanes, re and im: 32 KiB at the
  // default size) does not fit L1 beside the rest, so the antennas are taken kAntennaChunk at a time for
  // every column, the partial sums parked in z: the chunk of H stays in L1 while all columns use it.
  for (int a0 = 0; a0 < antennas; a0 += kAntennaChunk) {
    const int a1 = std::min(antennas, a0 + kAntennaChunk);
    for (int c = 0; c < count; ++c) {
      for (int s0 = 0; s0 < sp; s0 += kTile) {
        float* z_re = &s_.z_re_[at((c * sp + s0) * kLanes)];
        float* z_im = &s_.z_im_[at((c * sp + s0) * kLanes)];
        v8f re[kTile], im[kTile];
        resume_tile(a0 == 0, z_re, z_im, re, im);
        const float* y_re = y_re_base + c * column_size;
        const float* y_im = y_im_base + c * column_size;
        for (int a = a0; a < a1; ++a) {
          const v8f yr = lanes::load8(y_re + a * kLanes), yi = lanes::load8(y_im + a * kLanes);
          const float* row_r = block_channel_re() + (a * sp + s0) * kLanes;
          const float* row_i = block_channel_im() + (a * sp + s0) * kLanes;
          for (int t = 0; t < kTile; ++t) {
            const v8f hr = lanes::load8(row_r + t * kLanes), hi = lanes::load8(row_i + t * kLanes);
            re[t] += yr * hr + yi * hi;
            im[t] += yi * hr - yr * hi;
          }
        }
        park_tile(re, im, z_re, z_im);
      }
    }
  }
}

void SubcarrierBatchKernel::solve_half(int half, int columns) {
  const int n = s_.num_streams_, sp = s_.padded_streams_;
  for (int c = 0; c < columns; ++c) {
    for (int s = 0; s < n; ++s) {
      lanes::store4(&s_.zd_re_[at((c * n + s) * kHalf)],
                    lanes::load_half_as_double(&s_.z_re_[at((c * sp + s) * kLanes)], half));
      lanes::store4(&s_.zd_im_[at((c * n + s) * kHalf)],
                    lanes::load_half_as_double(&s_.z_im_[at((c * sp + s) * kLanes)], half));
    }
  }
  int c0 = 0;
  for (; c0 + 4 <= columns; c0 += 4) solve_tile<4>(half, c0);
  for (; c0 + 2 <= columns; c0 += 2) solve_tile<2>(half, c0);
  for (; c0 < columns; ++c0) solve_tile<1>(half, c0);
}

template <int kColumns>
void SubcarrierBatchKernel::solve_tile(int half, int first_column) {
  const int n = s_.num_streams_;
  const double* vr = s_.v_re_.data() + half * n * n * kHalf;
  const double* vi = s_.v_im_.data() + half * n * n * kHalf;
  const double* scale = s_.scale_.data() + half * n * kHalf;
  auto u = [n](int row, int col) { return (row * n + col) * kHalf; };
  auto vec = [n, first_column](int c, int s) { return at(((first_column + c) * n + s) * kHalf); };
  // w = Vᴴ z: w_i = sum_{j <= i} conj(V_ji) z_j, the columns' accumulators in registers.
  for (int i = 0; i < n; ++i) {
    v4d re[kColumns] = {}, im[kColumns] = {};
    for (int j = 0; j <= i; ++j) {
      const v4d ar = lanes::load4(vr + u(j, i)), ai = lanes::load4(vi + u(j, i));
      for (int c = 0; c < kColumns; ++c) {
        const v4d zr = lanes::load4(&s_.zd_re_[vec(c, j)]), zi = lanes::load4(&s_.zd_im_[vec(c, j)]);
        re[c] += ar * zr + ai * zi;
        im[c] += ar * zi - ai * zr;
      }
    }
    for (int c = 0; c < kColumns; ++c) {
      lanes::store4(&s_.w_re_[vec(c, i)], re[c]);
      lanes::store4(&s_.w_im_[vec(c, i)], im[c]);
    }
  }
  // x = V w: x_j = sum_{i >= j} V_ji w_i, then x̂ = scale * x (0 for an invisible stream or failed lane).
  for (int j = 0; j < n; ++j) {
    v4d re[kColumns] = {}, im[kColumns] = {};
    for (int i = j; i < n; ++i) {
      const v4d ar = lanes::load4(vr + u(j, i)), ai = lanes::load4(vi + u(j, i));
      for (int c = 0; c < kColumns; ++c) {
        const v4d wr = lanes::load4(&s_.w_re_[vec(c, i)]), wi = lanes::load4(&s_.w_im_[vec(c, i)]);
        re[c] += ar * wr - ai * wi;
        im[c] += ar * wi + ai * wr;
      }
    }
    const v4d s = lanes::load4(scale + j * kHalf);
    for (int c = 0; c < kColumns; ++c) {
      const int slot = first_column + c;
      lanes::store_half_as_float(&s_.x_re_[at((slot * n + j) * kLanes)], half, s != 0.0 ? re[c] * s : v4d{});
      lanes::store_half_as_float(&s_.x_im_[at((slot * n + j) * kLanes)], half, s != 0.0 ? im[c] * s : v4d{});
    }
  }
}

void SubcarrierBatchKernel::scale_half(int half, int columns) {
  const int n = s_.num_streams_, sp = s_.padded_streams_;
  const double* scale = s_.scale_.data() + half * n * kHalf;
  for (int c = 0; c < columns; ++c) {
    for (int s = 0; s < n; ++s) {
      const v4d k = lanes::load4(scale + s * kHalf);
      const v4d zr = lanes::load_half_as_double(&s_.z_re_[at((c * sp + s) * kLanes)], half);
      const v4d zi = lanes::load_half_as_double(&s_.z_im_[at((c * sp + s) * kLanes)], half);
      lanes::store_half_as_float(&s_.x_re_[at((c * n + s) * kLanes)], half, k != 0.0 ? zr * k : v4d{});
      lanes::store_half_as_float(&s_.x_im_[at((c * n + s) * kLanes)], half, k != 0.0 ? zi * k : v4d{});
    }
  }
}

void SubcarrierBatchKernel::store_columns(const ChannelGroupView& g, int first_column, int columns, int k0, int valid) {
  const int n = s_.num_streams_;
  for (int c = 0; c < columns; ++c) {
    const std::ptrdiff_t offset = g.x_column_offset[at(first_column + c)] + k0;
    for (int s = 0; s < n; ++s) {
      const std::ptrdiff_t index = s * g.x_stream_stride + offset;
      store_complex(g.x_hat + index, valid, lanes::load8(&s_.x_re_[at((c * n + s) * kLanes)]),
                    lanes::load8(&s_.x_im_[at((c * n + s) * kLanes)]));
      store_real(g.nv + index, valid, lanes::load8(&s_.nv_[at(s * kLanes)]));
    }
  }
}

}  // namespace sixg::phy::batch_detection::SIXG_SIMD_NS
