#include "sixg/phy/detection/subcarrier_batch_detector.h"

#include <algorithm>
#include <cfloat>
#include <limits>
#include <stdexcept>
#include <string>

#include "lane_vectors.h"

namespace sixg::phy {

namespace {

using lanes::v4d;
using lanes::v8f;
constexpr int kLanes = SubcarrierBatchDetector::kLanes;
constexpr int kHalf = 4;       // double lanes: a block of kLanes subcarriers is solved as two halves
constexpr int kTile = 4;       // Gram / matched-filter tile along the streams (8 accumulators in registers)
constexpr int kRowsAhead = 4;  // channel rows prefetched ahead while staging

/// As GramSolver: the tiny relative diagonal load, and LmmseDetector's visibility threshold.
constexpr double kRelativeLoading = 1e-12;
constexpr double kMinGain = 1e-12;
constexpr float kInf = std::numeric_limits<float>::infinity();

std::size_t at(int index) { return static_cast<std::size_t>(index); }

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

v8f load_real(const float* p, int valid) {
  if (valid == kLanes) return lanes::load8(p);
  float buffer[kLanes] = {};
  std::copy_n(p, valid, buffer);
  return lanes::load8(buffer);
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

int round_up(int n, int multiple) { return (n + multiple - 1) / multiple * multiple; }

}  // namespace

SubcarrierBatchDetector::SubcarrierBatchDetector(DetectorKind kind, int num_rx_ant, int num_streams, int fft_size)
    : kind_(kind),
      num_rx_ant_(num_rx_ant),
      num_streams_(num_streams),
      fft_size_(fft_size),
      padded_streams_(round_up(std::max(num_streams, 1), kTile)) {
  // Same configuration rules as the per-subcarrier detectors.
  (void)make_detector(kind, num_rx_ant, num_streams);
  if (fft_size < 1) throw invalid_config("--fft-size", "--fft-size: the batch detector needs at least one subcarrier");
  const int a = num_rx_ant, s = num_streams, sp = padded_streams_;
  h_re_.assign(at(kBlocksPerStage * a * sp * kLanes), 0.0f);
  h_im_.assign(h_re_.size(), 0.0f);
  gram_re_.assign(at(s * sp * kLanes), 0.0f);
  gram_im_.assign(gram_re_.size(), 0.0f);
  n0_eff_.assign(at(kBlocksPerStage * kLanes), 0.0f);
  y_re_.assign(at(a * kLanes), 0.0f);
  y_im_.assign(y_re_.size(), 0.0f);
  z_re_.assign(at(kColumnsPerPass * sp * kLanes), 0.0f);
  z_im_.assign(z_re_.size(), 0.0f);
  x_re_.assign(at(kColumnsPerPass * s * kLanes), 0.0f);
  x_im_.assign(x_re_.size(), 0.0f);
  nv_.assign(at(s * kLanes), 0.0f);
  u_re_.assign(at(s * s * kHalf), 0.0);
  u_im_.assign(u_re_.size(), 0.0);
  v_re_.assign(at(2 * s * s * kHalf), 0.0);
  v_im_.assign(v_re_.size(), 0.0);
  scale_.assign(at(2 * s * kHalf), 0.0);
  zd_re_.assign(at(kColumnsPerPass * s * kHalf), 0.0);
  zd_im_.assign(zd_re_.size(), 0.0);
  w_re_.assign(zd_re_.size(), 0.0);
  w_im_.assign(zd_re_.size(), 0.0);
}

void SubcarrierBatchDetector::detect(const ChannelGroupView& g) {
  if (g.h == nullptr || g.y == nullptr || g.x_hat == nullptr || g.nv == nullptr ||
      g.y_column_offset.size() != g.x_column_offset.size() || g.num_terms < 1 || g.num_terms > 2) {
    throw std::invalid_argument(
        "SubcarrierBatchDetector::detect: needs h, y, x_hat, nv, 1 or 2 channel terms and as many output "
        "columns as received columns");
  }
  const int columns = static_cast<int>(g.y_column_offset.size());
  for (int stage0 = 0; stage0 < fft_size_; stage0 += kBlocksPerStage * kLanes) {
    const int blocks = std::min(kBlocksPerStage, (fft_size_ - stage0 + kLanes - 1) / kLanes);
    stage_channel(g, stage0, blocks);
    for (int b = 0; b < blocks; ++b) {
      block_ = b;
      const int k0 = stage0 + b * kLanes;
      const int valid = std::min(kLanes, fft_size_ - k0);
      compute_gram();
      for (int half = 0; half < 2; ++half) {
        if (kind_ == DetectorKind::mrc) {
          mrc_half(half);
        } else {
          factor_half(half);
        }
      }
      for (int c0 = 0; c0 < columns; c0 += kColumnsPerPass) {
        const int n = std::min(kColumnsPerPass, columns - c0);
        for (int c = 0; c < n; ++c) match_column(g, c0 + c, c, k0, valid);
        for (int half = 0; half < 2; ++half) {
          if (kind_ == DetectorKind::mrc) {
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

void SubcarrierBatchDetector::stage_channel(const ChannelGroupView& g, int stage0, int blocks) {
  const int antennas = num_rx_ant_, streams = num_streams_, sp = padded_streams_;
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
      for (int b = 0; b < blocks; ++b) {
        const int valid = std::min(kLanes, fft_size_ - stage0 - b * kLanes);
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
        lanes::store8(&h_re_[b * block_size + at((a * sp + s) * kLanes)], re);
        lanes::store8(&h_im_[b * block_size + at((a * sp + s) * kLanes)], im);
      }
    }
  }
  // N0_eff = N0 + sum_s err_var_s, summed in stream order as effective_noise() does.
  for (int b = 0; b < blocks; ++b) {
    const int k0 = stage0 + b * kLanes;
    const int valid = std::min(kLanes, fft_size_ - k0);
    v8f n0_eff = lanes::splat8(g.n0);
    if (g.err != nullptr) {
      const float e0 = w0 * w0, e1 = w1 * w1;
      for (int s = 0; s < streams; ++s) {
        const float* base = g.err + s * g.err_stream_stride + k0;
        v8f e = e0 * load_real(base + g.err_term_offset[0], valid);
        if (g.num_terms == 2) e = e + e1 * load_real(base + g.err_term_offset[1], valid);
        n0_eff = n0_eff + e;
      }
    }
    lanes::store8(&n0_eff_[at(b * kLanes)], n0_eff);
  }
}

void SubcarrierBatchDetector::compute_gram() {
  const int antennas = num_rx_ant_, streams = num_streams_, sp = padded_streams_;
  const float* hr = block_channel_re();
  const float* hi = block_channel_im();
  // G_jk = sum_a conj(h_aj) h_ak for a tile of 4 k at a time, from the tile holding the diagonal; the 8
  // accumulators stay in registers across the antenna loop.
  for (int j = 0; j < streams; ++j) {
    for (int k0 = j - j % kTile; k0 < sp; k0 += kTile) {
      v8f re[kTile] = {}, im[kTile] = {};
      for (int a = 0; a < antennas; ++a) {
        const float* row_r = hr + a * sp * kLanes;
        const float* row_i = hi + a * sp * kLanes;
        const v8f cr = lanes::load8(row_r + j * kLanes), ci = lanes::load8(row_i + j * kLanes);
        for (int t = 0; t < kTile; ++t) {
          const v8f kr = lanes::load8(row_r + (k0 + t) * kLanes), ki = lanes::load8(row_i + (k0 + t) * kLanes);
          re[t] += cr * kr + ci * ki;
          im[t] += cr * ki - ci * kr;
        }
      }
      for (int t = 0; t < kTile; ++t) {
        lanes::store8(&gram_re_[at((j * sp + k0 + t) * kLanes)], re[t]);
        lanes::store8(&gram_im_[at((j * sp + k0 + t) * kLanes)], im[t]);
      }
    }
  }
}

void SubcarrierBatchDetector::factor_half(int half) {
  const int n = num_streams_, sp = padded_streams_;
  double* ur = u_re_.data();
  double* ui = u_im_.data();
  double* vr = v_re_.data() + half * n * n * kHalf;
  double* vi = v_im_.data() + half * n * n * kHalf;
  auto u = [n](int row, int col) { return (row * n + col) * kHalf; };
  for (int j = 0; j < n; ++j) {
    for (int k = j; k < n; ++k) {
      lanes::store4(ur + u(j, k), lanes::load_half_as_double(&gram_re_[at((j * sp + k) * kLanes)], half));
      lanes::store4(ui + u(j, k), lanes::load_half_as_double(&gram_im_[at((j * sp + k) * kLanes)], half));
    }
  }
  // λ = max(loading, kRelativeLoading * trace(G)/S, DBL_MIN), as GramSolver::factor.
  v4d trace{};
  for (int k = 0; k < n; ++k) trace += lanes::load4(ur + u(k, k));
  const v4d loading = kind_ == DetectorKind::lmmse ? lanes::load_half_as_double(block_n0_eff(), half) : v4d{};
  const v4d load =
      lanes::max4(lanes::max4(loading, kRelativeLoading * trace / static_cast<double>(n)), lanes::splat4(DBL_MIN));
  for (int k = 0; k < n; ++k) lanes::store4(ur + u(k, k), lanes::load4(ur + u(k, k)) + load);

  // Right-looking Cholesky G + λI = UᴴU (GramSolver::factor); a lane whose pivot is not positive and
  // finite has failed (non-finite input) and is masked out at the end; the others are unaffected.
  v4d ok = lanes::splat4(1.0);
  for (int j = 0; j < n; ++j) {
    const v4d pivot = lanes::load4(ur + u(j, j));
    ok = pivot > 0.0 && pivot <= DBL_MAX ? ok : v4d{};
    const v4d diagonal = lanes::sqrt4(pivot);
    const v4d inverse = 1.0 / diagonal;
    for (int k = j + 1; k < n; ++k) {
      lanes::store4(ur + u(j, k), lanes::load4(ur + u(j, k)) * inverse);
      lanes::store4(ui + u(j, k), lanes::load4(ui + u(j, k)) * inverse);
    }
    lanes::store4(ur + u(j, j), diagonal);
    lanes::store4(ui + u(j, j), v4d{});
    for (int i = j + 1; i < n; ++i) {
      const v4d cr = lanes::load4(ur + u(j, i)), ci = lanes::load4(ui + u(j, i));
      for (int k = i; k < n; ++k) {
        const v4d jr = lanes::load4(ur + u(j, k)), ji = lanes::load4(ui + u(j, k));
        lanes::store4(ur + u(i, k), lanes::load4(ur + u(i, k)) - (cr * jr + ci * ji));
        lanes::store4(ui + u(i, k), lanes::load4(ui + u(i, k)) - (cr * ji - ci * jr));
      }
    }
  }

  // V = U⁻¹ by back substitution from the bottom row: V_jj = 1/U_jj, V_jk = -(1/U_jj) sum_{i>j} U_ji V_ik.
  for (int j = n - 1; j >= 0; --j) {
    for (int k = j; k < n; ++k) {
      lanes::store4(vr + u(j, k), v4d{});
      lanes::store4(vi + u(j, k), v4d{});
    }
    for (int i = j + 1; i < n; ++i) {
      const v4d cr = lanes::load4(ur + u(j, i)), ci = lanes::load4(ui + u(j, i));
      for (int k = i; k < n; ++k) {
        const v4d wr = lanes::load4(vr + u(i, k)), wi = lanes::load4(vi + u(i, k));
        lanes::store4(vr + u(j, k), lanes::load4(vr + u(j, k)) + (cr * wr - ci * wi));
        lanes::store4(vi + u(j, k), lanes::load4(vi + u(j, k)) + (cr * wi + ci * wr));
      }
    }
    const v4d inverse = 1.0 / lanes::load4(ur + u(j, j));
    for (int k = j + 1; k < n; ++k) {
      lanes::store4(vr + u(j, k), lanes::load4(vr + u(j, k)) * -inverse);
      lanes::store4(vi + u(j, k), lanes::load4(vi + u(j, k)) * -inverse);
    }
    lanes::store4(vr + u(j, j), inverse);
  }

  // [(G + λI)⁻¹]_kk = ‖row k of V‖², then the detector's scale and post-detection noise variance.
  const v4d n0_eff = lanes::load_half_as_double(block_n0_eff(), half);
  double* scale = scale_.data() + half * n * kHalf;
  for (int k = 0; k < n; ++k) {
    v4d inverse_diagonal{};
    for (int m = k; m < n; ++m) {
      const v4d a = lanes::load4(vr + u(k, m)), b = lanes::load4(vi + u(k, m));
      inverse_diagonal += a * a + b * b;
    }
    v4d s, nv;
    if (kind_ == DetectorKind::lmmse) {
      // d_k = 1 - λ [(G + λI)⁻¹]_kk, x̂ = (W y)/d_k, 1/SINR = (1 - d_k)/d_k (LmmseDetector).
      const v4d mse = load * inverse_diagonal;
      const v4d gain = 1.0 - mse;
      const auto visible = gain > kMinGain && ok != 0.0;
      s = visible ? 1.0 / gain : v4d{};
      nv = visible ? mse / gain : lanes::splat4(static_cast<double>(kInf));
    } else {
      // ZF: 1/SNR = N0_eff [(G + λI)⁻¹]_kk; a silent stream (‖h_k‖ = 0) gets +inf (ZfDetector).
      const v4d gain = lanes::load_half_as_double(&gram_re_[at((k * sp + k) * kLanes)], half);
      s = ok != 0.0 ? lanes::splat4(1.0) : v4d{};
      nv = gain > 0.0 && ok != 0.0 ? n0_eff * inverse_diagonal : lanes::splat4(static_cast<double>(kInf));
    }
    lanes::store4(scale + k * kHalf, s);
    lanes::store_half_as_float(&nv_[at(k * kLanes)], half, nv);
  }
}

void SubcarrierBatchDetector::mrc_half(int half) {
  const int n = num_streams_, sp = padded_streams_;
  const v4d n0_eff = lanes::load_half_as_double(block_n0_eff(), half);
  double* scale = scale_.data() + half * n * kHalf;
  auto gram_abs2 = [&](int row, int col) {  // |G_row,col|² from the stored upper triangle (row <= col)
    const v4d re = lanes::load_half_as_double(&gram_re_[at((row * sp + col) * kLanes)], half);
    const v4d im = lanes::load_half_as_double(&gram_im_[at((row * sp + col) * kLanes)], half);
    return re * re + im * im;
  };
  // SINR_k = ‖h_k‖⁴ / (sum_{j≠k} |h_kᴴ h_j|² + N0_eff ‖h_k‖²) (MrcDetector).
  for (int k = 0; k < n; ++k) {
    const v4d gain = lanes::load_half_as_double(&gram_re_[at((k * sp + k) * kLanes)], half);
    v4d interference{};
    for (int j = 0; j < k; ++j) interference += gram_abs2(j, k);
    for (int j = k + 1; j < n; ++j) interference += gram_abs2(k, j);
    const auto visible = gain > 0.0;
    lanes::store4(scale + k * kHalf, visible ? 1.0 / gain : v4d{});
    const v4d nv = visible ? (interference + n0_eff * gain) / (gain * gain) : lanes::splat4(static_cast<double>(kInf));
    lanes::store_half_as_float(&nv_[at(k * kLanes)], half, nv);
  }
}

void SubcarrierBatchDetector::match_column(const ChannelGroupView& g, int column, int slot, int k0, int valid) {
  const int antennas = num_rx_ant_, sp = padded_streams_;
  const std::ptrdiff_t offset = g.y_column_offset[at(column)] + k0;
  for (int a = 0; a < antennas; ++a) {
    v8f re, im;
    // Antenna rows are set-conflicting strides apart, as the channel rows in stage_channel().
    __builtin_prefetch(g.y + (a + kRowsAhead) * g.y_ant_stride + offset);
    load_complex(g.y + a * g.y_ant_stride + offset, valid, re, im);
    lanes::store8(&y_re_[at(a * kLanes)], re);
    lanes::store8(&y_im_[at(a * kLanes)], im);
  }
  // z_s = sum_a conj(h_as) y_a, 4 streams at a time with their accumulators in registers.
  for (int s0 = 0; s0 < sp; s0 += kTile) {
    v8f re[kTile] = {}, im[kTile] = {};
    for (int a = 0; a < antennas; ++a) {
      const v8f yr = lanes::load8(&y_re_[at(a * kLanes)]), yi = lanes::load8(&y_im_[at(a * kLanes)]);
      const float* row_r = block_channel_re() + (a * sp + s0) * kLanes;
      const float* row_i = block_channel_im() + (a * sp + s0) * kLanes;
      for (int t = 0; t < kTile; ++t) {
        const v8f hr = lanes::load8(row_r + t * kLanes), hi = lanes::load8(row_i + t * kLanes);
        re[t] += yr * hr + yi * hi;
        im[t] += yi * hr - yr * hi;
      }
    }
    for (int t = 0; t < kTile; ++t) {
      lanes::store8(&z_re_[at((slot * sp + s0 + t) * kLanes)], re[t]);
      lanes::store8(&z_im_[at((slot * sp + s0 + t) * kLanes)], im[t]);
    }
  }
}

void SubcarrierBatchDetector::solve_half(int half, int columns) {
  const int n = num_streams_, sp = padded_streams_;
  for (int c = 0; c < columns; ++c) {
    for (int s = 0; s < n; ++s) {
      lanes::store4(&zd_re_[at((c * n + s) * kHalf)],
                    lanes::load_half_as_double(&z_re_[at((c * sp + s) * kLanes)], half));
      lanes::store4(&zd_im_[at((c * n + s) * kHalf)],
                    lanes::load_half_as_double(&z_im_[at((c * sp + s) * kLanes)], half));
    }
  }
  int c0 = 0;
  for (; c0 + 4 <= columns; c0 += 4) solve_tile<4>(half, c0);
  for (; c0 + 2 <= columns; c0 += 2) solve_tile<2>(half, c0);
  for (; c0 < columns; ++c0) solve_tile<1>(half, c0);
}

template <int kColumns>
void SubcarrierBatchDetector::solve_tile(int half, int first_column) {
  const int n = num_streams_;
  const double* vr = v_re_.data() + half * n * n * kHalf;
  const double* vi = v_im_.data() + half * n * n * kHalf;
  const double* scale = scale_.data() + half * n * kHalf;
  auto u = [n](int row, int col) { return (row * n + col) * kHalf; };
  auto vec = [n, first_column](int c, int s) { return at(((first_column + c) * n + s) * kHalf); };
  // w = Vᴴ z: w_i = sum_{j <= i} conj(V_ji) z_j, the columns' accumulators in registers.
  for (int i = 0; i < n; ++i) {
    v4d re[kColumns] = {}, im[kColumns] = {};
    for (int j = 0; j <= i; ++j) {
      const v4d ar = lanes::load4(vr + u(j, i)), ai = lanes::load4(vi + u(j, i));
      for (int c = 0; c < kColumns; ++c) {
        const v4d zr = lanes::load4(&zd_re_[vec(c, j)]), zi = lanes::load4(&zd_im_[vec(c, j)]);
        re[c] += ar * zr + ai * zi;
        im[c] += ar * zi - ai * zr;
      }
    }
    for (int c = 0; c < kColumns; ++c) {
      lanes::store4(&w_re_[vec(c, i)], re[c]);
      lanes::store4(&w_im_[vec(c, i)], im[c]);
    }
  }
  // x = V w: x_j = sum_{i >= j} V_ji w_i, then x̂ = scale * x (0 for an invisible stream or failed lane).
  for (int j = 0; j < n; ++j) {
    v4d re[kColumns] = {}, im[kColumns] = {};
    for (int i = j; i < n; ++i) {
      const v4d ar = lanes::load4(vr + u(j, i)), ai = lanes::load4(vi + u(j, i));
      for (int c = 0; c < kColumns; ++c) {
        const v4d wr = lanes::load4(&w_re_[vec(c, i)]), wi = lanes::load4(&w_im_[vec(c, i)]);
        re[c] += ar * wr - ai * wi;
        im[c] += ar * wi + ai * wr;
      }
    }
    const v4d s = lanes::load4(scale + j * kHalf);
    for (int c = 0; c < kColumns; ++c) {
      const int slot = first_column + c;
      lanes::store_half_as_float(&x_re_[at((slot * n + j) * kLanes)], half, s != 0.0 ? re[c] * s : v4d{});
      lanes::store_half_as_float(&x_im_[at((slot * n + j) * kLanes)], half, s != 0.0 ? im[c] * s : v4d{});
    }
  }
}

void SubcarrierBatchDetector::scale_half(int half, int columns) {
  const int n = num_streams_, sp = padded_streams_;
  const double* scale = scale_.data() + half * n * kHalf;
  for (int c = 0; c < columns; ++c) {
    for (int s = 0; s < n; ++s) {
      const v4d k = lanes::load4(scale + s * kHalf);
      const v4d zr = lanes::load_half_as_double(&z_re_[at((c * sp + s) * kLanes)], half);
      const v4d zi = lanes::load_half_as_double(&z_im_[at((c * sp + s) * kLanes)], half);
      lanes::store_half_as_float(&x_re_[at((c * n + s) * kLanes)], half, k != 0.0 ? zr * k : v4d{});
      lanes::store_half_as_float(&x_im_[at((c * n + s) * kLanes)], half, k != 0.0 ? zi * k : v4d{});
    }
  }
}

void SubcarrierBatchDetector::store_columns(const ChannelGroupView& g, int first_column, int columns, int k0,
                                            int valid) {
  const int n = num_streams_;
  for (int c = 0; c < columns; ++c) {
    const std::ptrdiff_t offset = g.x_column_offset[at(first_column + c)] + k0;
    for (int s = 0; s < n; ++s) {
      const std::ptrdiff_t index = s * g.x_stream_stride + offset;
      store_complex(g.x_hat + index, valid, lanes::load8(&x_re_[at((c * n + s) * kLanes)]),
                    lanes::load8(&x_im_[at((c * n + s) * kLanes)]));
      store_real(g.nv + index, valid, lanes::load8(&nv_[at(s * kLanes)]));
    }
  }
}

}  // namespace sixg::phy
