// GramSolver: Cholesky factorisation G + λI = UᴴU of the loaded Gram matrix that ZF (λ ≈ 0) and LMMSE
// (λ = N0_eff) invert, the inverse factor V = U⁻¹, the diagonal of (G + λI)⁻¹ = V Vᴴ, and solves.
//
// A tiny diagonal load (kRelativeLoading times the mean stream gain) is always added: it moves a
// well-conditioned solve by far less than float precision, and keeps a rank-deficient channel (two
// identical columns, a silent stream) from breaking the factorisation; such a stream then gets a huge
// post-detection noise variance instead of NaN. All in double, split re/im arrays (matched_filter.h).
#pragma once

#include <vector>

#include "sixg/phy/detection/matched_filter.h"

namespace sixg::phy {

class GramSolver {
 public:
  using Real = MatchedFilter::Real;
  static constexpr Real kRelativeLoading = 1e-12;

  /// For the Gram matrices of `filter` (same size and row stride).
  explicit GramSolver(const MatchedFilter& filter);

  /// Factors G + λI with G from `filter` and λ = max(loading, kRelativeLoading * trace(G)/S, DBL_MIN).
  /// Returns λ, or a negative value when the matrix is not positive definite (non-finite input).
  Real factor(const MatchedFilter& filter, Real loading);
  /// [(G + λI)⁻¹]_kk, valid after a successful factor().
  [[nodiscard]] Real inverse_diagonal(int k) const { return inverse_diagonal_[static_cast<std::size_t>(k)]; }
  /// x = (G + λI)⁻¹ z for the filter's current z, into x_re()/x_im().
  void solve(const MatchedFilter& filter);
  [[nodiscard]] const Real* x_re() const { return x_re_.data(); }
  [[nodiscard]] const Real* x_im() const { return x_im_.data(); }

 private:
  using Tile = MatchedFilter::Tile;
  static constexpr int kTile = MatchedFilter::kTile;

  int num_streams_;
  int stride_;                       // MatchedFilter::stride(): rows padded with zeros to whole tiles
  std::vector<Real> u_re_, u_im_;    // [S][stride]: U, upper triangle (below it: don't care)
  std::vector<Real> v_re_, v_im_;    // [S][stride]: V = U⁻¹, upper triangle, exact zeros below
  std::vector<Real> vt_re_, vt_im_;  // [S][stride]: Vᵀ (rows are V's columns), for x = V w along rows
  std::vector<Real> inverse_diagonal_;
  std::vector<Real> w_re_, w_im_;    // [stride]: Vᴴ z
  std::vector<Real> x_re_, x_im_;    // [stride]
};

}  // namespace sixg::phy
