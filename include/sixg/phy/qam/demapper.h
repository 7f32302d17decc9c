// Demapper: soft bits (LLRs) from received TS 38.211 QAM symbols.
//
//   symbols   [n]      cf32   equalised symbols y = x + w, with x a unit-energy constellation point
//   noise_var [n]      float  the variance N0 of w ~ CN(0, N0) on each symbol (post-detection,
//                             complex: N0/2 per real dimension); values below 1e-20 count as 1e-20
//   llr       [n · m]  float  LLR of bit b(i) of symbol s at llr[s·m + i]
//
// Sign convention (Sionna's, DESIGN §3): LLR = ln(P(b=1 | y) / P(b=0 | y)) with equiprobable bits,
// so a positive LLR favours 1. For 38.211 QAM a bit of 1 makes its axis amplitude negative, hence on
// the noiseless point the sign bit's LLR is negative where the amplitude is positive.
//
// Methods:
//   app      exact a-posteriori LLR, ln Σ_{x: b=1} exp(-|y-x|²/N0) - ln Σ_{x: b=0} exp(-|y-x|²/N0),
//            evaluated stably (log-sum-exp relative to the nearest point of each class);
//   max_log  the max-log approximation (min_{b=0}|y-x|² - min_{b=1}|y-x|²) / N0, whose sign is the
//            nearest-point (hard) decision.
// Both exploit that a square QAM with circular Gaussian noise is two independent PAMs: the LLR of an
// I bit depends only on Re(y) and the √M I levels (likewise Q), so the cost per symbol is O(√M · m)
// instead of O(M · m). For QPSK both methods give the same, exact, LLR -2√2·Re(y)/N0 (resp. Im).
//
// demap() is const, allocation-free and safe to call from several threads on one object.
#pragma once

#include <memory>
#include <span>

#include "sixg/phy/types.h"

namespace sixg::phy {

enum class DemapMethod { max_log, app };

class Demapper {
 public:
  virtual ~Demapper() = default;

  [[nodiscard]] virtual Modulation modulation() const = 0;
  [[nodiscard]] virtual DemapMethod method() const = 0;
  [[nodiscard]] int bits_per_symbol() const { return sixg::phy::bits_per_symbol(modulation()); }

  /// Writes m LLRs per symbol. Throws std::invalid_argument unless noise_var.size() == symbols.size()
  /// and llr.size() == m · symbols.size().
  virtual void demap(std::span<const cf32> symbols, std::span<const float> noise_var, std::span<float> llr) const = 0;
};

std::unique_ptr<Demapper> make_demapper(Modulation modulation, DemapMethod method);

}  // namespace sixg::phy
