// add_awgn: the added noise is white, circularly-symmetric CN(0, n0) (DESIGN §3: N0/2 per real
// dimension). Fixed seed; each tolerance is z standard errors measured from the samples themselves,
// z the Bonferroni quantile for the test's 10 comparisons at a family-wise false-alarm rate of 1e-3.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "sixg/phy/channel/awgn_noise.h"
#include "support/confidence.h"

using namespace sixg::phy;

namespace {

void expect_mean(const std::vector<double>& samples, double truth, const std::string& what) {
  const auto n = static_cast<double>(samples.size());
  double mean = 0.0, square = 0.0;
  for (double x : samples) {
    mean += x / n;
    square += x * x / n;
  }
  const double standard_error = std::sqrt((square - mean * mean) / (n - 1));
  const double z = sixg::test::bonferroni_z(1e-3, 10);
  EXPECT_NEAR(mean, truth, z * standard_error) << what << " (standard error " << standard_error << ", z " << z << ")";
}

}  // namespace

TEST(AddAwgnStatistics, AddsWhiteCircularGaussianNoiseOfVarianceN0) {
  constexpr float kN0 = 0.3f;
  const cf32 signal(0.7f, -1.1f);
  std::vector<cf32> y(400000, signal);
  RandomStream rng(77, 2, 9, RandomPurpose::noise);
  add_awgn(rng, y, kN0);
  std::vector<double> re, im, power, fourth, pseudo_re, pseudo_im, neighbour_re, neighbour_im;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const std::complex<double> n = std::complex<double>(y[i]) - std::complex<double>(signal);
    re.push_back(n.real());
    im.push_back(n.imag());
    power.push_back(std::norm(n));
    fourth.push_back(std::norm(n) * std::norm(n));
    pseudo_re.push_back((n * n).real());
    pseudo_im.push_back((n * n).imag());
    if (i % 2 == 0 && i + 1 < y.size()) {  // disjoint neighbour pairs: independent samples
      const auto next = std::complex<double>(y[i + 1]) - std::complex<double>(signal);
      neighbour_re.push_back((n * std::conj(next)).real());
      neighbour_im.push_back((n * std::conj(next)).imag());
    }
  }
  expect_mean(re, 0.0, "mean, real (the signal is kept: noise is added)");
  expect_mean(im, 0.0, "mean, imaginary");
  std::vector<double> re2, im2;
  for (std::size_t i = 0; i < re.size(); ++i) {
    re2.push_back(re[i] * re[i]);
    im2.push_back(im[i] * im[i]);
  }
  expect_mean(re2, kN0 / 2.0, "variance per real dimension, real");
  expect_mean(im2, kN0 / 2.0, "variance per real dimension, imaginary");
  expect_mean(power, kN0, "E|n|^2");
  expect_mean(fourth, 2.0 * kN0 * kN0, "E|n|^4 (complex Gaussian)");
  expect_mean(pseudo_re, 0.0, "E n^2, real (circular symmetry)");
  expect_mean(pseudo_im, 0.0, "E n^2, imaginary");
  expect_mean(neighbour_re, 0.0, "E n_i n*_(i+1), real (white)");
  expect_mean(neighbour_im, 0.0, "E n_i n*_(i+1), imaginary");
}
