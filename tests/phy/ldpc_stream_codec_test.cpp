// The per-stream codec end to end: segmentation + encoding + rate matching + interleaving and back, the
// LLR sign convention, the code-block ranges used for BLER, and no heap allocation per codeword.
#include "sixg/phy/ldpc/ldpc_stream_codec.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <vector>

#include "sixg/phy/random/random_stream.h"

// Counts heap allocations of this test program, to check that encode/decode allocate nothing. The
// replacements pair operator new with malloc and operator delete with free, which GCC cannot see
// through once inlined.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace sixg::phy;

namespace {

std::vector<std::uint8_t> random_bits(int n, std::uint64_t frame) {
  std::vector<std::uint8_t> bits(static_cast<std::size_t>(n));
  RandomStream(21, 0, frame, RandomPurpose::info_bits).fill_bits(bits);
  return bits;
}

// Noiseless LLRs in the interface's sign: ln P(1)/P(0) > 0 for a 1.
std::vector<float> perfect_llrs(const std::vector<std::uint8_t>& coded, float magnitude = 6.0f) {
  std::vector<float> llr(coded.size());
  for (std::size_t i = 0; i < coded.size(); ++i) llr[i] = coded[i] ? magnitude : -magnitude;
  return llr;
}

struct Case {
  int k, g, qm;
};

// Default scenario, the short reference code, several code blocks (k divisible by C and not), BG2
// segmentation, one bit above the largest BG1 code block, heavy repetition, and tiny k (K' < 2 Zc).
const Case kCases[] = {{6144, 12288, 2}, {512, 1024, 1}, {20000, 40000, 2}, {25344, 50688, 4}, {5000, 24000, 2},
                       {8449, 16898, 2}, {100, 6000, 6}, {24, 96, 2},       {3, 20, 2},        {30000, 33600, 8}};

}  // namespace

TEST(LdpcStreamCodec, DefaultScenarioParameters) {
  const LdpcStreamCodec codec(6144, 12288, 2);
  const auto& p = codec.params();
  EXPECT_EQ(p.base_graph, LdpcBaseGraph::bg1);
  EXPECT_EQ(p.lifting_size, 288);
  EXPECT_EQ(p.code_block_size, 6336);
  EXPECT_EQ(p.filler_bits(0), 192);
  EXPECT_EQ(p.circular_buffer, 19008);
  EXPECT_EQ(p.block_coded_bits[0], 12288);
  EXPECT_EQ(codec.num_code_blocks(), 1);
}

TEST(LdpcStreamCodec, NoiselessRoundTrip) {
  std::uint64_t frame = 0;
  for (const auto& c : kCases) {
    SCOPED_TRACE(testing::Message() << "k=" << c.k << " G=" << c.g << " Qm=" << c.qm);
    LdpcStreamCodec codec(c.k, c.g, c.qm);
    const auto info = random_bits(c.k, frame++);
    std::vector<std::uint8_t> coded(static_cast<std::size_t>(c.g), 9);
    codec.encode(info, coded);
    for (auto b : coded) ASSERT_LE(b, 1);
    std::vector<std::uint8_t> decoded(static_cast<std::size_t>(c.k), 9);
    const int iterations = codec.decode(perfect_llrs(coded), decoded);
    EXPECT_EQ(decoded, info);
    EXPECT_LE(iterations, 2 * codec.num_code_blocks());
  }
}

TEST(LdpcStreamCodec, CodeBlocksPartitionTheStream) {
  for (const auto& c : kCases) {
    const LdpcStreamCodec codec(c.k, c.g, c.qm);
    int next_info = 0, next_coded = 0;
    for (int r = 0; r < codec.num_code_blocks(); ++r) {
      const auto info = codec.code_block_info_bits(r);
      const auto coded = codec.code_block_coded_bits(r);
      EXPECT_EQ(info.offset, next_info);
      EXPECT_EQ(coded.offset, next_coded);
      EXPECT_EQ(codec.code_block_info_range(r),
                (std::pair<std::size_t, std::size_t>(info.offset, info.offset + info.size)));
      next_info += info.size;
      next_coded += coded.size;
    }
    EXPECT_EQ(next_info, c.k);
    EXPECT_EQ(next_coded, c.g);
  }
}

TEST(LdpcStreamCodec, AWrongCodeBlockOnlyHurtsItsOwnInformationBits) {
  // Three code blocks; the LLRs of block 1 are replaced by confident lies. Blocks 0 and 2 still
  // decode; the errors all fall in block 1's information range.
  LdpcStreamCodec codec(20000, 40000, 2);
  ASSERT_EQ(codec.num_code_blocks(), 3);
  const auto info = random_bits(20000, 77);
  std::vector<std::uint8_t> coded(40000);
  codec.encode(info, coded);
  auto llr = perfect_llrs(coded);
  const auto bad = codec.code_block_coded_bits(1);
  for (int i = bad.offset; i < bad.offset + bad.size; ++i)
    llr[static_cast<std::size_t>(i)] = (i % 3 == 0) ? 6.0f : -6.0f;
  std::vector<std::uint8_t> decoded(20000);
  codec.decode(llr, decoded);
  const auto block1 = codec.code_block_info_bits(1);
  int errors_inside = 0, errors_outside = 0;
  for (int i = 0; i < 20000; ++i) {
    const bool inside = i >= block1.offset && i < block1.offset + block1.size;
    if (decoded[static_cast<std::size_t>(i)] != info[static_cast<std::size_t>(i)])
      ++(inside ? errors_inside : errors_outside);
  }
  EXPECT_EQ(errors_outside, 0);
  EXPECT_GT(errors_inside, 100);
}

TEST(LdpcStreamCodec, LlrSignConventionIsLnP1OverP0) {
  LdpcStreamCodec codec(512, 1024, 2);
  const auto info = random_bits(512, 5);
  std::vector<std::uint8_t> coded(1024);
  codec.encode(info, coded);
  auto llr = perfect_llrs(coded);
  std::vector<std::uint8_t> decoded(512);
  codec.decode(llr, decoded);
  EXPECT_EQ(decoded, info);
  for (auto& v : llr) v = -v;  // the opposite convention must not decode to the message
  codec.decode(llr, decoded);
  EXPECT_NE(decoded, info);
}

TEST(LdpcStreamCodec, RepetitionCombinesCopies) {
  // k = 100 in G = 6000 bits: every circular-buffer bit is sent about 7 times. At a per-bit Es/N0 of
  // -6 dB a single copy is useless (raw BER 0.24) but the combined copies decode (Eb/N0 = 11.8 dB).
  LdpcStreamCodec codec(100, 6000, 2);
  const double sigma2 = 1.0 / (2.0 * std::pow(10.0, -0.6));
  for (std::uint64_t frame = 0; frame < 20; ++frame) {
    const auto info = random_bits(100, frame);
    std::vector<std::uint8_t> coded(6000);
    codec.encode(info, coded);
    std::vector<float> noise(6000), llr(6000);
    RandomStream(21, 0, frame, RandomPurpose::noise).fill_normal(noise, static_cast<float>(std::sqrt(sigma2)));
    for (std::size_t i = 0; i < llr.size(); ++i) {
      llr[i] = static_cast<float>(-2.0 * ((coded[i] ? -1.0 : 1.0) + noise[i]) / sigma2);
    }
    std::vector<std::uint8_t> decoded(100);
    codec.decode(llr, decoded);
    EXPECT_EQ(decoded, info) << frame;
  }
}

TEST(LdpcStreamCodec, EncodeAndDecodeDoNotAllocate) {
  for (auto update : {LdpcCheckUpdate::normalized_min_sum, LdpcCheckUpdate::sum_product}) {
    LdpcDecoderOptions options;
    options.check_update = update;
    const long at_start = g_allocations.load();
    LdpcStreamCodec codec(20000, 40000, 2, options);
    EXPECT_GT(g_allocations.load() - at_start, 0);  // the counter sees the codec's buffers
    const auto info = random_bits(20000, 1);
    std::vector<std::uint8_t> coded(40000), decoded(20000);
    codec.encode(info, coded);
    const auto llr = perfect_llrs(coded);
    const long before = g_allocations.load();
    codec.encode(info, coded);
    codec.decode(llr, decoded);
    EXPECT_EQ(g_allocations.load() - before, 0);
    EXPECT_EQ(decoded, info);
  }
}

TEST(LdpcStreamCodec, RejectsWrongBufferSizes) {
  LdpcStreamCodec codec(512, 1024, 2);
  std::vector<std::uint8_t> info(511), coded(1024);
  EXPECT_THROW(codec.encode(info, coded), std::invalid_argument);
  std::vector<float> llr(1023);
  info.resize(512);
  EXPECT_THROW(codec.decode(llr, info), std::invalid_argument);
  EXPECT_THROW((void)LdpcStreamCodec(600, 1024, 3), invalid_config);
}
