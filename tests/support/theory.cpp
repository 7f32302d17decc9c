#include "support/theory.h"

#include <array>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace sixg::test {

namespace {

/// TS 38.211 §5.1 amplitude (odd integer) of a k-bit Gray PAM axis label c_0..c_{k-1}, MSB-first,
/// written out from REFERENCES.md independently of the library's constellation.
int gray_pam_amplitude(unsigned label, int k) {
  int value = 1;
  for (int j = k - 1; j >= 1; --j) {
    const int sign = 1 - 2 * static_cast<int>((label >> (k - 1 - j)) & 1u);
    value = (1 << (k - j)) - sign * value;
  }
  return (1 - 2 * static_cast<int>(label >> (k - 1))) * value;
}

/// The per-axis AWGN bit error rate as a linear combination of Q functions of the SNR:
///   BER(γ) = constant + Σ_u weight[u] · Q(u · c0 · √γ),  u = 1, 3, 5, ...  (weight indexed by u),
/// with c0 = δ/σ at γ = 1, δ the half spacing of the unit-energy constellation (3γ/(L²-1) = (δ/σ)²).
/// Built literally from the REFERENCES.md sum over sent levels and decision intervals, with distances
/// in units of δ; Q of a negative argument is 1 - Q(|u|), so the constant collects the ones (and
/// cancels to 0 for a Gray PAM: every term of the sum is a difference of two such Q's).
struct QExpansion {
  double c0 = 0.0;
  double constant = 0.0;
  std::vector<double> weight;
};

QExpansion gray_qam_expansion(int bits_per_symbol) {
  if (bits_per_symbol < 2 || bits_per_symbol > 10 || bits_per_symbol % 2 != 0) {
    throw std::invalid_argument("square QAM needs 2, 4, 6, 8 or 10 bits per symbol, not " +
                                std::to_string(bits_per_symbol));
  }
  const int k = bits_per_symbol / 2;
  const int levels = 1 << k;
  // label_at[i]: the label of the i-th lowest amplitude, 2i - L + 1 (in units of δ).
  std::vector<unsigned> label_at(static_cast<std::size_t>(levels));
  for (unsigned label = 0; label < static_cast<unsigned>(levels); ++label) {
    label_at[static_cast<std::size_t>((gray_pam_amplitude(label, k) + levels - 1) / 2)] = label;
  }

  QExpansion e;
  e.c0 = std::sqrt(3.0 / (levels * levels - 1.0));
  e.weight.assign(static_cast<std::size_t>(2 * levels), 0.0);
  constexpr int kInfinite = std::numeric_limits<int>::max();
  // Adds w · Q(u · c0 · √γ) for an odd u in δ units, or u = ±kInfinite.
  const auto add_q = [&e](double w, int u) {
    if (u == kInfinite) return;  // Q(+∞) = 0
    if (u == -kInfinite) {       // Q(-∞) = 1
      e.constant += w;
    } else if (u > 0) {
      e.weight[static_cast<std::size_t>(u)] += w;
    } else {
      e.constant += w;
      e.weight[static_cast<std::size_t>(-u)] -= w;
    }
  };
  const double per_bit = 1.0 / (levels * k);  // average over sent levels and the k axis bits
  for (int sent = 0; sent < levels; ++sent) {
    const int a = 2 * sent - levels + 1;
    for (int decided = 0; decided < levels; ++decided) {
      const int bit_errors =
          std::popcount(label_at[static_cast<std::size_t>(sent)] ^ label_at[static_cast<std::size_t>(decided)]);
      if (bit_errors == 0) continue;
      const int lo = decided == 0 ? -kInfinite : 2 * decided - levels - a;
      const int hi = decided == levels - 1 ? kInfinite : 2 * decided - levels + 2 - a;
      add_q(bit_errors * per_bit, lo);  // P(decided | sent) = Q((lo - a)/σ) - Q((hi - a)/σ)
      add_q(-bit_errors * per_bit, hi);
    }
  }
  return e;
}

/// The n-point Gauss–Legendre rule on [-1, 1], nodes by Newton's method on P_n.
struct GaussLegendre {
  static constexpr int kPoints = 20;
  std::array<double, kPoints> node{};
  std::array<double, kPoints> weight{};

  GaussLegendre() {
    for (int i = 0; i < kPoints; ++i) {
      double x = std::cos(std::numbers::pi * (i + 0.75) / (kPoints + 0.5));
      double derivative = 0.0;
      for (int iteration = 0; iteration < 100; ++iteration) {
        double p0 = 1.0, p1 = x;  // P_0, P_1; recurrence up to P_n
        for (int n = 2; n <= kPoints; ++n) {
          const double p2 = ((2.0 * n - 1.0) * x * p1 - (n - 1.0) * p0) / n;
          p0 = p1;
          p1 = p2;
        }
        derivative = kPoints * (x * p1 - p0) / (x * x - 1.0);
        const double step = p1 / derivative;
        x -= step;
        if (std::abs(step) < 1e-15) break;
      }
      node[static_cast<std::size_t>(i)] = x;
      weight[static_cast<std::size_t>(i)] = 2.0 / ((1.0 - x * x) * derivative * derivative);
    }
  }
};

/// ∫₀^b f, on panels [b·2^-(i+1), b·2^-i] (i < 48) plus [0, b·2^-48], 20-point Gauss–Legendre on each.
/// The geometric panels resolve an integrand that changes on any scale from b down to b·1e-14, as the
/// MGF integrands do near θ = 0 at high SNR; they are smooth, so each panel is exact to ~1e-15.
double integrate_from_zero(const std::function<double(double)>& f, double b) {
  static const GaussLegendre rule;
  const auto panel = [&](double lo, double hi) {
    const double half = 0.5 * (hi - lo), mid = 0.5 * (hi + lo);
    double sum = 0.0;
    for (int i = 0; i < GaussLegendre::kPoints; ++i) {
      sum += rule.weight[static_cast<std::size_t>(i)] * f(mid + half * rule.node[static_cast<std::size_t>(i)]);
    }
    return sum * half;
  };
  constexpr int kPanels = 48;
  double total = panel(0.0, std::ldexp(b, -kPanels));
  for (int i = kPanels - 1; i >= 0; --i) total += panel(std::ldexp(b, -(i + 1)), std::ldexp(b, -i));
  return total;
}

/// E[Q(c·√(γ̄·X))] for X with moment generating function mgf(s) = E[exp(s·X)], s ≤ 0, by Craig's
/// form Q(x) = (1/π)∫₀^{π/2} exp(-x²/(2 sin²θ)) dθ (Simon & Alouini's MGF method).
double average_q(double c, double mean_snr, const std::function<double(double)>& mgf) {
  const double a = c * c * mean_snr / 2.0;
  const auto integrand = [&](double theta) {
    const double s = std::sin(theta);
    return s == 0.0 ? 0.0 : mgf(-a / (s * s));
  };
  return integrate_from_zero(integrand, std::numbers::pi / 2) / std::numbers::pi;
}

double gray_qam_ber_faded(int bits_per_symbol, double mean_esn0, const std::function<double(double)>& mgf) {
  if (!(mean_esn0 >= 0.0)) throw std::invalid_argument("mean SNR must be >= 0");
  const QExpansion e = gray_qam_expansion(bits_per_symbol);
  double ber = e.constant;
  for (std::size_t u = 1; u < e.weight.size(); u += 2) {
    if (e.weight[u] != 0.0) ber += e.weight[u] * average_q(static_cast<double>(u) * e.c0, mean_esn0, mgf);
  }
  return ber;
}

std::function<double(double)> gamma_mgf(int shape) {
  return [shape](double s) { return std::pow(1.0 - s, -shape); };
}

std::function<double(double)> rician_mgf(double k_factor) {
  return [k_factor](double s) {
    const double denominator = 1.0 + k_factor - s;
    return (1.0 + k_factor) / denominator * std::exp(k_factor * s / denominator);
  };
}

}  // namespace

double db_to_linear(double db) { return std::pow(10.0, db / 10.0); }

double q_function(double x) { return 0.5 * std::erfc(x / std::numbers::sqrt2); }

double gray_qam_ber_awgn(int bits_per_symbol, double esn0) {
  if (!(esn0 >= 0.0)) throw std::invalid_argument("Es/N0 must be >= 0");
  const QExpansion e = gray_qam_expansion(bits_per_symbol);
  double ber = e.constant;
  for (std::size_t u = 1; u < e.weight.size(); u += 2) {
    ber += e.weight[u] * q_function(static_cast<double>(u) * e.c0 * std::sqrt(esn0));
  }
  return ber;
}

double bpsk_ber_rayleigh_mrc(int branches, double mean_ebn0_per_branch) {
  if (branches < 1 || !(mean_ebn0_per_branch >= 0.0)) throw std::invalid_argument("need branches >= 1, SNR >= 0");
  const double mu = std::sqrt(mean_ebn0_per_branch / (1.0 + mean_ebn0_per_branch));
  double sum = 0.0, binomial = 1.0;  // C(L-1+k, k), updated incrementally
  for (int k = 0; k < branches; ++k) {
    if (k > 0) binomial *= static_cast<double>(branches - 1 + k) / k;
    sum += binomial * std::pow((1.0 + mu) / 2.0, k);
  }
  return std::pow((1.0 - mu) / 2.0, branches) * sum;
}

double bpsk_ber_rician(double mean_ebn0, double k_factor) {
  if (!(mean_ebn0 >= 0.0) || !(k_factor >= 0.0)) throw std::invalid_argument("need SNR >= 0, K >= 0");
  // Q(√(2γ)) = Q(c·√γ) with c = √2.
  return average_q(std::numbers::sqrt2, mean_ebn0, rician_mgf(k_factor));
}

double gray_qam_ber_gamma_fading(int bits_per_symbol, double esn0_per_branch, int shape) {
  if (shape < 1) throw std::invalid_argument("Gamma shape must be >= 1");
  return gray_qam_ber_faded(bits_per_symbol, esn0_per_branch, gamma_mgf(shape));
}

double gray_qam_ber_rician(int bits_per_symbol, double mean_esn0, double k_factor) {
  if (!(k_factor >= 0.0)) throw std::invalid_argument("Rician K must be >= 0");
  return gray_qam_ber_faded(bits_per_symbol, mean_esn0, rician_mgf(k_factor));
}

}  // namespace sixg::test
