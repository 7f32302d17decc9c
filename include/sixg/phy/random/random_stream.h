// RandomStream: the random numbers one frame uses for one purpose, drawn from Philox4x32-10.
//
// Key = the run's seed; counter = (block index j, purpose and Eb/N0 index, frame index). Two streams
// with different (purpose, snr_index, frame) never overlap, and a stream's numbers depend only on
// those values and on the order of draws inside it, never on the batch the frame sits in.
//
// Output as a function of block position. Block j (the Philox output for block index j, words
// w0..w3) is consumed in exactly one of three forms:
//   words   - next_u32() returns w0, w1, w2, w3; next_uniform() and fill_uniform() map each word
//             to (float(w >> 8) + 0.5f) * 2^-24;
//   bits    - fill_bits() yields its 128 bits, bit 32 m + b of the block = bit b of w_m;
//   normals - fill_normal() yields 4 unit normals: Box-Muller (random_kernels::box_muller) on
//             (w0, w1) -> (r cos t, r sin t), then on (w2, w3); every output is that normal * stddev.
// Consecutive calls of the same form continue inside the current block (so splitting a fill into
// pieces of any sizes gives the same numbers as one call); a call of another form starts at the next
// unused block and the rest of the partly used block is discarded. The vector kernels process 8
// blocks per step and give exactly the bits of the scalar definition.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "sixg/phy/random/philox.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

/// What the numbers are for; each purpose is an independent stream.
enum class RandomPurpose : std::uint32_t {
  info_bits = 1,
  pilots = 2,
  channel = 3,
  noise = 4,
  test = 15,
};

class RandomStream {
 public:
  /// `snr_index` < 2^16. Pilots are the same for all frames and points: use frame 0, snr_index 0.
  /// key = {seed low 32 bits, seed high 32 bits};
  /// counter = {j, purpose << 16 | snr_index, frame low 32 bits, frame high 32 bits}, j = 0, 1, ...
  RandomStream(std::uint64_t seed, std::uint32_t snr_index, std::uint64_t frame, RandomPurpose purpose);

  /// Next 32 random bits (words form).
  std::uint32_t next_u32() {
    if (form_ != Form::words || used_ == 4) start_block(Form::words);
    return block_[used_++];
  }
  /// Uniform on the open interval (0, 1), 24-bit resolution (never 0, so log() is safe; 1.0f only
  /// when the top 24 bits are all ones, where (2^24 - 0.5) / 2^24 rounds up in float).
  float next_uniform() { return (static_cast<float>(next_u32() >> 8) + 0.5f) * 0x1p-24f; }

  /// One bit (0 or 1) per byte (bits form).
  void fill_bits(std::span<std::uint8_t> bits);
  /// Uniform on (0, 1) as next_uniform(), one word each (words form).
  void fill_uniform(std::span<float> out);
  /// N(0, stddev^2), Box-Muller (normals form).
  void fill_normal(std::span<float> out, float stddev = 1.0f);
  /// CN(0, variance): real and imaginary parts N(0, variance/2) each; same draws as
  /// fill_normal(2 * out.size() floats, sqrt(variance / 2)).
  void fill_complex_normal(std::span<cf32> out, float variance = 1.0f);

  /// Index j of the next block no draw has touched yet.
  [[nodiscard]] std::uint32_t next_block_index() const { return counter_[0]; }

 private:
  enum class Form : std::uint8_t { words, bits, normals };
  /// Makes block next_block_index() the current block, in `form`, none of it used.
  void start_block(Form form);
  /// Continues in `form`: a no-op when the current block is already in it, else the current block
  /// counts as used up, so the next draw starts block next_block_index().
  void enter_form(Form form);

  PhiloxKey key_{};
  PhiloxCounter counter_{};
  PhiloxCounter block_{};           // the current block's words
  std::array<float, 4> normals_{};  // its unit normals, when form_ == normals
  Form form_ = Form::words;
  unsigned used_ = 4;  // words, normals or bits of the current block already used
};

}  // namespace sixg::phy
