#include "sixg/phy/detection/gram_solver.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sixg::phy {

namespace {

using Real = GramSolver::Real;
using Tile = MatchedFilter::Tile;
using TileMap = Eigen::Map<Tile>;
using ConstTileMap = Eigen::Map<const Tile>;
constexpr int kTile = MatchedFilter::kTile;

/// First tile start at or below column k: tiles cover [first_tile(k), stride) in steps of kTile.
constexpr int first_tile(int k) { return k - k % kTile; }

}  // namespace

GramSolver::GramSolver(const MatchedFilter& filter)
    : num_streams_(filter.num_streams()),
      stride_(filter.stride()),
      u_re_(static_cast<std::size_t>(num_streams_ * stride_)),
      u_im_(u_re_.size()),
      v_re_(u_re_.size()),
      v_im_(u_re_.size()),
      vt_re_(u_re_.size()),
      vt_im_(u_re_.size()),
      inverse_diagonal_(static_cast<std::size_t>(num_streams_)),
      w_re_(static_cast<std::size_t>(stride_)),
      w_im_(w_re_.size()),
      x_re_(w_re_.size()),
      x_im_(w_re_.size()) {}

GramSolver::Real GramSolver::factor(const MatchedFilter& filter, Real loading) {
  const int n = num_streams_, stride = stride_;
  Real* ur = u_re_.data();
  Real* ui = u_im_.data();
  std::copy_n(filter.gram_re(), n * stride, ur);
  std::copy_n(filter.gram_im(), n * stride, ui);
  Real trace = 0;
  for (int k = 0; k < n; ++k) trace += ur[k * stride + k];
  const Real load =
      std::max({loading, kRelativeLoading * trace / static_cast<Real>(n), std::numeric_limits<Real>::min()});
  for (int k = 0; k < n; ++k) ur[k * stride + k] += load;

  // Right-looking Cholesky G + λI = UᴴU on the upper triangle: finish row j of U, then every later
  // row i loses conj(U_ji) U_j. Tiles also touch entries below the diagonal; those are never read.
  for (int j = 0; j < n; ++j) {
    Real* rj_r = ur + j * stride;
    Real* rj_i = ui + j * stride;
    const Real pivot = rj_r[j];
    if (!(pivot > 0) || !std::isfinite(pivot)) return -1;
    const Real diagonal = std::sqrt(pivot);
    const Real inverse = 1 / diagonal;
    for (int k0 = first_tile(j); k0 < stride; k0 += kTile) {
      TileMap(rj_r + k0) *= inverse;
      TileMap(rj_i + k0) *= inverse;
    }
    rj_r[j] = diagonal;
    rj_i[j] = 0;
    for (int i = j + 1; i < n; ++i) {
      Real* ri_r = ur + i * stride;
      Real* ri_i = ui + i * stride;
      const Real cr = rj_r[i], ci = rj_i[i];
      for (int k0 = first_tile(i); k0 < stride; k0 += kTile) {
        const ConstTileMap uj_r(rj_r + k0), uj_i(rj_i + k0);
        TileMap(ri_r + k0) -= cr * uj_r + ci * uj_i;
        TileMap(ri_i + k0) -= cr * uj_i - ci * uj_r;
      }
    }
  }

  // V = U⁻¹ by back substitution from the bottom row: U V = I gives V_jj = 1/U_jj and
  // V_jk = -(1/U_jj) sum_{i>j} U_ji V_ik. Rows start zeroed, so V stays exactly zero below the
  // diagonal (tiles there only add U_ji * 0).
  Real* vr = v_re_.data();
  Real* vi = v_im_.data();
  for (int j = n - 1; j >= 0; --j) {
    Real* vj_r = vr + j * stride;
    Real* vj_i = vi + j * stride;
    std::fill_n(vj_r, stride, Real{0});
    std::fill_n(vj_i, stride, Real{0});
    for (int i = j + 1; i < n; ++i) {
      const Real cr = ur[j * stride + i], ci = ui[j * stride + i];
      for (int k0 = first_tile(i); k0 < stride; k0 += kTile) {
        const ConstTileMap vi_r(vr + i * stride + k0), vi_i(vi + i * stride + k0);
        TileMap(vj_r + k0) += cr * vi_r - ci * vi_i;
        TileMap(vj_i + k0) += cr * vi_i + ci * vi_r;
      }
    }
    const Real inverse = 1 / ur[j * stride + j];
    for (int k0 = first_tile(j); k0 < stride; k0 += kTile) {
      TileMap(vj_r + k0) *= -inverse;
      TileMap(vj_i + k0) *= -inverse;
    }
    vj_r[j] = inverse;
    vj_i[j] = 0;
  }

  // (G + λI)⁻¹ = V Vᴴ: its diagonal holds the squared norms of V's rows.
  for (int k = 0; k < n; ++k) {
    Real sum = 0;
    for (int k0 = first_tile(k); k0 < stride; k0 += kTile) {
      sum += (ConstTileMap(vr + k * stride + k0).square() + ConstTileMap(vi + k * stride + k0).square()).sum();
    }
    inverse_diagonal_[static_cast<std::size_t>(k)] = sum;
  }
  std::fill(vt_re_.begin(), vt_re_.end(), Real{0});
  std::fill(vt_im_.begin(), vt_im_.end(), Real{0});
  for (int j = 0; j < n; ++j) {
    for (int k = j; k < n; ++k) {
      vt_re_[static_cast<std::size_t>(k * stride + j)] = vr[j * stride + k];
      vt_im_[static_cast<std::size_t>(k * stride + j)] = vi[j * stride + k];
    }
  }
  return load;
}

void GramSolver::solve(const MatchedFilter& filter) {
  const int n = num_streams_, stride = stride_;
  const Real* zr = filter.z_re();
  const Real* zi = filter.z_im();
  // w = Vᴴ z: w_i = sum_{j <= i} conj(V_ji) z_j, accumulated along row j of V (zero below the diagonal).
  std::fill(w_re_.begin(), w_re_.end(), Real{0});
  std::fill(w_im_.begin(), w_im_.end(), Real{0});
  for (int j = 0; j < n; ++j) {
    const Real sr = zr[j], si = zi[j];
    for (int i0 = first_tile(j); i0 < stride; i0 += kTile) {
      const ConstTileMap v_r(v_re_.data() + j * stride + i0), v_i(v_im_.data() + j * stride + i0);
      TileMap(w_re_.data() + i0) += sr * v_r + si * v_i;
      TileMap(w_im_.data() + i0) += si * v_r - sr * v_i;
    }
  }
  // x = V w: x_j = sum_{i >= j} V_ji w_i, accumulated along row i of Vᵀ (zero beyond the diagonal).
  std::fill(x_re_.begin(), x_re_.end(), Real{0});
  std::fill(x_im_.begin(), x_im_.end(), Real{0});
  for (int i = 0; i < n; ++i) {
    const Real sr = w_re_[static_cast<std::size_t>(i)], si = w_im_[static_cast<std::size_t>(i)];
    for (int j0 = 0; j0 <= first_tile(i); j0 += kTile) {
      const ConstTileMap t_r(vt_re_.data() + i * stride + j0), t_i(vt_im_.data() + i * stride + j0);
      TileMap(x_re_.data() + j0) += sr * t_r - si * t_i;
      TileMap(x_im_.data() + j0) += si * t_r + sr * t_i;
    }
  }
}

}  // namespace sixg::phy
