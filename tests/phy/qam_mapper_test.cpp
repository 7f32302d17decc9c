// The mapper: bit order within a symbol (b(0) first, even bits on I), one symbol per m bits, and the
// input contract.
#include "sixg/phy/qam/mapper.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

constexpr Modulation kAll[] = {Modulation::qpsk, Modulation::qam16, Modulation::qam64, Modulation::qam256,
                               Modulation::qam1024};

/// §5.1 amplitude of one axis computed from the symbol's own bits: b(first), b(first+2), ...
double axis_amplitude(const std::uint8_t* b, int m, int first) {
  const int k = m / 2;
  double inner = 1.0;
  for (int j = k - 1; j >= 1; --j) inner = std::ldexp(1.0, k - j) - (1.0 - 2.0 * b[first + 2 * j]) * inner;
  return (1.0 - 2.0 * b[first]) * inner / std::sqrt(2.0 * ((1 << m) - 1) / 3.0);
}

}  // namespace

TEST(QamMapper, RandomBitsMapToTheStandardsPointSymbolBySymbol) {
  for (Modulation mod : kAll) {
    const Mapper mapper(mod);
    const int m = mapper.bits_per_symbol();
    const std::size_t n = 3000;  // covers every 1024-QAM label with high probability, and blocks of any size
    std::vector<std::uint8_t> bits(n * static_cast<std::size_t>(m));
    RandomStream(1, 0, static_cast<std::uint64_t>(m), RandomPurpose::test).fill_bits(bits);
    std::vector<cf32> symbols(n);
    mapper.map(bits, symbols);
    for (std::size_t s = 0; s < n; ++s) {
      const std::uint8_t* b = bits.data() + s * static_cast<std::size_t>(m);
      ASSERT_NEAR(symbols[s].real(), axis_amplitude(b, m, 0), 1e-6) << "m=" << m << " symbol " << s;
      ASSERT_NEAR(symbols[s].imag(), axis_amplitude(b, m, 1), 1e-6) << "m=" << m << " symbol " << s;
    }
  }
}

TEST(QamMapper, MapsEveryLabelToTheConstellationPoint) {
  for (Modulation mod : kAll) {
    const Mapper mapper(mod);
    const auto& c = Constellation::of(mod);
    const int m = mapper.bits_per_symbol();
    std::vector<std::uint8_t> bits;
    for (unsigned label = 0; label < c.size(); ++label) {
      for (int i = 0; i < m; ++i) bits.push_back(static_cast<std::uint8_t>((label >> (m - 1 - i)) & 1u));
    }
    std::vector<cf32> symbols(c.size());
    mapper.map(bits, symbols);
    for (unsigned label = 0; label < c.size(); ++label) EXPECT_EQ(symbols[label], c.points()[label]);
  }
}

TEST(QamMapper, ReadsOnlyTheLowestBitOfEachByte) {
  const Mapper mapper(Modulation::qam16);
  const std::vector<std::uint8_t> clean{1, 0, 1, 1}, dirty{0xFF, 0xFE, 0x03, 0x81};
  std::vector<cf32> a(1), b(1);
  mapper.map(clean, a);
  mapper.map(dirty, b);
  EXPECT_EQ(a[0], b[0]);
}

TEST(QamMapper, RejectsMismatchedSizesAndAcceptsEmpty) {
  const Mapper mapper(Modulation::qam64);
  std::vector<std::uint8_t> bits(13);
  std::vector<cf32> symbols(2);
  EXPECT_THROW(mapper.map(bits, symbols), std::invalid_argument);
  EXPECT_NO_THROW(mapper.map({}, {}));
}
