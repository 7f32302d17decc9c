// Confidence intervals for Monte-Carlo error counts, and the gtest check that a measured BER agrees
// with theory.
//
// Correlated errors. A binomial interval assumes independent trials, but the bit errors of one QAM
// symbol (or of one decoded frame) are not independent: with Gray labelling a symbol error usually
// flips one bit, yet two bits of one axis can flip together, and after a decoder errors come in bursts.
// The tests therefore count errors per independent unit (a symbol, a frame: units are independent
// because each has its own noise) in an ErrorTally, which measures the design effect
//     deff = Var(errors per unit) / (b · p · (1-p)),   b bits per unit, p the observed BER,
// i.e. how much the variance exceeds the binomial one, and the interval is the Wilson interval of
// the Kish effective sample (k/deff errors in n/deff trials). deff is floored at 1: a unit whose
// bits err less often together than independently would narrow the interval, and we keep the
// binomial width as the conservative bound. Where only totals are known, pass a design effect that
// bounds the clustering a priori (e.g. the number of bits that can err together).
//
// z. A test that makes C comparisons uses z = bonferroni_z(alpha, C), so that all of its comparisons
// pass with probability ≥ 1 - alpha for a correct implementation; tolerances come from that z and
// the counts, never from tuning.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>

namespace sixg::test {

struct Interval {
  double lower = 0.0;
  double upper = 1.0;
  [[nodiscard]] bool contains(double x) const { return lower <= x && x <= upper; }
};

/// Wilson score interval for a proportion: k successes in n trials (n > 0, 0 ≤ k ≤ n; real numbers
/// so that effective counts may be passed), two-sided with normal quantile z.
Interval wilson_interval(double k, double n, double z);

/// Upper-tail normal quantile: the x with Q(x) = p, 0 < p < 1.
double normal_quantile_upper(double p);

/// z for `comparisons` two-sided checks whose family-wise false-alarm probability is at most
/// `family_alpha` (Bonferroni): Q(z) = family_alpha / (2 · comparisons).
double bonferroni_z(double family_alpha, int comparisons);

/// Bit errors counted per independent unit of bits_per_unit bits (see the file comment).
class ErrorTally {
 public:
  explicit ErrorTally(std::uint64_t bits_per_unit) : bits_per_unit_(bits_per_unit) {}

  void add_unit(std::uint64_t bit_errors) {
    ++units_;
    errors_ += bit_errors;
    squared_errors_ += bit_errors * bit_errors;
  }

  [[nodiscard]] std::uint64_t units() const { return units_; }
  [[nodiscard]] std::uint64_t bits() const { return units_ * bits_per_unit_; }
  [[nodiscard]] std::uint64_t errors() const { return errors_; }
  [[nodiscard]] double ber() const {
    return bits() == 0 ? 0.0 : static_cast<double>(errors_) / static_cast<double>(bits());
  }
  /// Measured variance of the errors per unit over the binomial variance b·p·(1-p), floored at 1.
  [[nodiscard]] double design_effect() const;

 private:
  std::uint64_t bits_per_unit_;
  std::uint64_t units_ = 0;
  std::uint64_t errors_ = 0;
  std::uint64_t squared_errors_ = 0;
};

/// Success iff `theory` lies in the Wilson interval of errors/trials at z, computed on the effective
/// sample (errors/deff, trials/deff). The message gives counts, the measured BER, the interval, the
/// theory and the deviation in interval half-widths. Use as EXPECT_TRUE(ber_matches_theory(...)).
::testing::AssertionResult ber_matches_theory(std::uint64_t errors, std::uint64_t trials, double theory, double z,
                                              double design_effect = 1.0);
::testing::AssertionResult ber_matches_theory(const ErrorTally& tally, double theory, double z);

}  // namespace sixg::test
