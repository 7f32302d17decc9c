// ChannelModel::generate_matrix: the one [R, S] matrix of a frequency-flat model must be exactly what
// generate() broadcasts (the pipeline stores only the matrix for AWGN and Rayleigh, so a different draw
// order would silently change every flat-channel result), and models that are not flat must refuse.
#include "sixg/phy/channel/channel_model.h"

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <vector>

using namespace sixg::phy;

namespace {

ChannelConfig config(ChannelModelKind kind) {
  ChannelConfig c;
  c.kind = kind;
  c.num_rx_ant = 32;  // the seed's 32 x 16: enough normals for the random stream's vector groups
  c.num_tx = 16;
  c.fft_size = 40;
  c.num_ofdm_symbols = 14;
  return c;
}

bool same_bits(const cf32& a, const cf32& b) { return std::memcmp(&a, &b, sizeof(cf32)) == 0; }

}  // namespace

TEST(ChannelFlatMatrix, EqualsEverySubcarrierOfTheFullResponseBitForBit) {
  for (const auto kind : {ChannelModelKind::rayleigh, ChannelModelKind::awgn}) {
    const ChannelConfig c = config(kind);
    const auto model = make_channel_model(c);
    ASSERT_TRUE(model->frequency_flat());
    const std::size_t pairs = static_cast<std::size_t>(c.num_rx_ant) * c.num_tx;
    const std::size_t row = static_cast<std::size_t>(model->num_time_samples()) * c.fft_size;
    for (std::uint64_t frame : {0u, 7u}) {
      std::vector<cf32> full(pairs * row), matrix(pairs);
      RandomStream a(99, 1, frame, RandomPurpose::channel), b(99, 1, frame, RandomPurpose::channel);
      model->generate(a, full);
      model->generate_matrix(b, matrix);
      for (std::size_t p = 0; p < pairs; ++p) {
        for (std::size_t k = 0; k < row; ++k) {
          ASSERT_TRUE(same_bits(full[p * row + k], matrix[p])) << "kind " << static_cast<int>(kind) << " pair " << p;
        }
      }
      // Both leave the stream at the same place: whatever is drawn next is the same.
      EXPECT_EQ(a.next_block_index(), b.next_block_index());
    }
  }
}

TEST(ChannelFlatMatrix, RayleighMatrixChangesWithTheFrame) {
  const ChannelConfig c = config(ChannelModelKind::rayleigh);
  const auto model = make_channel_model(c);
  std::vector<cf32> m0(32 * 16), m1(32 * 16);
  RandomStream a(99, 1, 0, RandomPurpose::channel), b(99, 1, 1, RandomPurpose::channel);
  model->generate_matrix(a, m0);
  model->generate_matrix(b, m1);
  int equal = 0;
  for (std::size_t i = 0; i < m0.size(); ++i) equal += same_bits(m0[i], m1[i]);
  EXPECT_EQ(equal, 0);
}

TEST(ChannelFlatMatrix, WrongSizeAndNonFlatModelsAreRefused) {
  for (const auto kind : {ChannelModelKind::rayleigh, ChannelModelKind::awgn}) {
    const auto model = make_channel_model(config(kind));
    std::vector<cf32> wrong(16);
    RandomStream rng(1, 0, 0, RandomPurpose::channel);
    EXPECT_THROW(model->generate_matrix(rng, wrong), std::invalid_argument);
  }
  const auto tdl = make_channel_model(config(ChannelModelKind::tdl_c));
  ASSERT_FALSE(tdl->frequency_flat());
  std::vector<cf32> m(32 * 16);
  RandomStream rng(1, 0, 0, RandomPurpose::channel);
  EXPECT_THROW(tdl->generate_matrix(rng, m), std::logic_error);
}
