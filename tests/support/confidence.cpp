#include "support/confidence.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "support/theory.h"

namespace sixg::test {

Interval wilson_interval(double k, double n, double z) {
  if (!(n > 0.0) || k < 0.0 || k > n || !(z > 0.0))
    throw std::invalid_argument("wilson_interval: need n > 0, 0 <= k <= n, z > 0");
  const double p = k / n;
  const double z2 = z * z;
  const double denominator = 1.0 + z2 / n;
  const double center = (p + z2 / (2.0 * n)) / denominator;
  const double half = z / denominator * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

double normal_quantile_upper(double p) {
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("normal_quantile_upper: need 0 < p < 1");
  // Q is decreasing; bisection to double resolution is fast enough for test set-up.
  double lo = -40.0, hi = 40.0;
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    const double mid = 0.5 * (lo + hi);
    (q_function(mid) > p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double bonferroni_z(double family_alpha, int comparisons) {
  if (comparisons < 1) throw std::invalid_argument("bonferroni_z: need at least one comparison");
  return normal_quantile_upper(family_alpha / (2.0 * comparisons));
}

double ErrorTally::design_effect() const {
  if (units_ == 0 || errors_ == 0) return 1.0;
  const double n = static_cast<double>(units_);
  const double mean = static_cast<double>(errors_) / n;
  const double variance = static_cast<double>(squared_errors_) / n - mean * mean;
  const double p = ber();
  const double binomial = static_cast<double>(bits_per_unit_) * p * (1.0 - p);
  return binomial > 0.0 ? std::max(1.0, variance / binomial) : 1.0;
}

::testing::AssertionResult ber_matches_theory(std::uint64_t errors, std::uint64_t trials, double theory, double z,
                                              double design_effect) {
  if (trials == 0) return ::testing::AssertionFailure() << "no trials";
  const double deff = std::max(1.0, design_effect);
  const double k = static_cast<double>(errors), n = static_cast<double>(trials);
  const Interval ci = wilson_interval(k / deff, n / deff, z);
  const double measured = k / n;
  const double half = 0.5 * (ci.upper - ci.lower);
  std::ostringstream text;
  text.precision(4);
  text << "BER " << measured << " (" << errors << " errors / " << trials << " bits), z=" << z << " interval ["
       << ci.lower << ", " << ci.upper << "] (design effect " << deff << "), theory " << theory << ", off by "
       << (theory - 0.5 * (ci.lower + ci.upper)) / half << " half-widths";
  if (ci.contains(theory)) return ::testing::AssertionSuccess() << text.str();
  return ::testing::AssertionFailure() << text.str();
}

::testing::AssertionResult ber_matches_theory(const ErrorTally& tally, double theory, double z) {
  return ber_matches_theory(tally.errors(), tally.bits(), theory, z, tally.design_effect());
}

}  // namespace sixg::test
