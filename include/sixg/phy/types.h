// Basic PHY types shared by every block.
#pragma once

#include <complex>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sixg::phy {

using cf32 = std::complex<float>;

/// Thrown by block factories for a configuration they cannot build (the CLI maps it to exit 2).
/// `option()` names the command-line option at fault, e.g. "--num-bs-ant".
class invalid_config : public std::invalid_argument {
 public:
  invalid_config(std::string option, const std::string& message)
      : std::invalid_argument(message), option_(std::move(option)) {}
  [[nodiscard]] const std::string& option() const { return option_; }

 private:
  std::string option_;
};

/// TS 38.211 §5.1 modulations.
enum class Modulation { qpsk, qam16, qam64, qam256, qam1024 };

constexpr int bits_per_symbol(Modulation m) {
  switch (m) {
    case Modulation::qpsk: return 2;
    case Modulation::qam16: return 4;
    case Modulation::qam64: return 6;
    case Modulation::qam256: return 8;
    case Modulation::qam1024: return 10;
  }
  return 0;
}

}  // namespace sixg::phy
