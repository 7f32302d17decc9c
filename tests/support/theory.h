// Closed-form and numerically integrated bit error rates that the statistical tests compare against.
//
// Conventions (REFERENCES.md, "Closed-form error rates"):
//  - SNRs are linear, never dB (use db_to_linear). "esn0" is the per-symbol SNR Es/N0 of a unit-energy
//    constellation; "ebn0" the per-bit SNR. Gray QPSK is two BPSKs, so its per-bit SNR is Es/(2·N0).
//  - Square QAM is TS 38.211 §5.1's Gray labelling, demodulated with nearest-point decisions.
//  - Fading: the instantaneous SNR is mean · X with X ≥ 0, E[X] = 1 per branch; Rayleigh with L-branch
//    MRC (or ZF with Nr - Nt + 1 = L, REFERENCES.md) has X ~ Gamma(L, 1); Rician with factor K (linear)
//    has X = |h|², h ~ CN(√(K/(K+1)), 1/(K+1)).
#pragma once

namespace sixg::test {

/// 10^(db/10).
double db_to_linear(double db);

/// Gaussian tail probability Q(x) = P(N(0,1) > x) = ½·erfc(x/√2).
double q_function(double x);

/// Exact per-bit error rate of Gray square QAM (m = 2, 4, 6, 8, 10 bits per symbol) over AWGN with
/// nearest-point decisions, from the per-axis PAM sum of REFERENCES.md: each axis is an L = 2^(m/2)
/// level PAM; for each sent level a and decision interval [lo, hi) of level b the probability
/// Q((lo-a)/σ) - Q((hi-a)/σ) is weighted by the number of axis bits in which the labels differ,
/// σ² = N0/2. Throws std::invalid_argument for other m or a negative SNR.
double gray_qam_ber_awgn(int bits_per_symbol, double esn0);

/// Per-bit error rate of BPSK (or of Gray QPSK per bit) with L-branch MRC over i.i.d. Rayleigh
/// branches of mean per-bit SNR `mean_ebn0_per_branch` (closed form, Proakis):
/// ((1-μ)/2)^L · Σ_{k<L} C(L-1+k, k)·((1+μ)/2)^k, μ = √(γ̄/(1+γ̄)).
double bpsk_ber_rayleigh_mrc(int branches, double mean_ebn0_per_branch);

/// Per-bit error rate of BPSK (or Gray QPSK per bit) over a Rician channel of factor `k_factor` (linear)
/// and mean per-bit SNR `mean_ebn0`: (1/π)∫₀^{π/2} M(-γ̄/sin²θ) dθ with the Rician MGF
/// M(s) = (1+K)/(1+K-s)·exp(K·s/(1+K-s)), integrated numerically. K = 0 is Rayleigh.
double bpsk_ber_rician(double mean_ebn0, double k_factor);

/// gray_qam_ber_awgn averaged over an SNR esn0_per_branch · X with X ~ Gamma(shape, 1): Rayleigh fading
/// with `shape`-branch MRC, or ZF with shape = Nr - Nt + 1. Numerical (MGF method: the AWGN rate is
/// a sum of Q(c·√γ) terms, each averaged exactly as (1/π)∫ M(-c²/(2 sin²θ)) dθ).
double gray_qam_ber_gamma_fading(int bits_per_symbol, double esn0_per_branch, int shape);

/// gray_qam_ber_awgn averaged over Rician fading of factor `k_factor` (linear) and mean SNR `mean_esn0`
/// (the same MGF method). For QPSK it equals bpsk_ber_rician(mean_esn0 / 2, k_factor).
double gray_qam_ber_rician(int bits_per_symbol, double mean_esn0, double k_factor);

}  // namespace sixg::test
