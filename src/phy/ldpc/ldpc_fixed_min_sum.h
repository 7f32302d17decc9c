// 16-bit fixed-point min-sum layer kernel of the layered LDPC decoder (private to src/phy/ldpc).
//
// Number format (LdpcArithmetic::fixed16): an LLR x (internal sign, ln P0/P1) is the int16
// round(x · kFixedScale), kFixedScale = 64: a resolution of 1/64, far below the channel noise of any
// decodable frame. (1/16 was measurably worse for normalised min-sum, whose small messages then
// suffer from the rounding; see tests/phy/ldpc_fixed_point_stat_test.cpp.) A-posteriori values use the
// whole int16 range with saturating arithmetic (±512 LLR units, where a bit is certain); channel LLRs
// are clamped to ±kFixedMaxChannel (±256 LLR units) and check-to-variable messages to
// ±kFixedMaxMessage (±16 LLR units: a message of 16 already says e^-16; clamping at 64 changed no
// decoded frame of the statistical test). Known filler bits start at +32767 and, with messages this
// small, stay far positive unless many of their checks send maximal negative messages (a frame that
// is failing anyway).
// Every step is integer arithmetic, so the result does not depend on the target (AVX2 intrinsics or
// the portable vector-extension fallback give the same bits). The update, per check, with inputs
// q_j = sat(app_j - old message_j):
//   min1, min2 = the two smallest |q_j| (|−32768| = 32768), parity = XOR of the signs;
//   corrected m = min(m, 32767), then normalised floor(m · f / 2^15), f = round(normalization · 2^15)
//   (rounding down: round-to-nearest's upward ties cost ~10 % BLER at 0.75, see the stat test), or
//   offset max(m - round(min(offset, 511) · kFixedScale), 0); then clamped to kFixedMaxMessage;
//   message_j = ±corrected(min2 if |q_j| == min1 else min1), sign = parity XOR sign(q_j);
//   app_j = sat(q_j + message_j).
#pragma once

#include <array>
#include <cstdint>

namespace sixg::phy::ldpc_fixed {

constexpr int kLanes = 16;  // int16 lanes per 32-byte vector
constexpr int kMaxDegree = 19;
constexpr float kFixedScale = 64.0f;
constexpr std::int16_t kFixedMaxChannel = 16384;
constexpr std::int16_t kFixedMaxMessage = 1023;
constexpr std::int16_t kFixedKnownZero = 32767;

// The correction applied to each check's minima, in fixed point.
struct Correction {
  bool offset_min_sum;       // else normalised
  std::int32_t offset;       // round(min(offset, 511) · kFixedScale) <= 32767
  std::int32_t factor_q15;   // round(normalization · 2^15)
};

// One layer: col[e] is the column of edge e (at its lane 0; lanes [z, z + 16) mirror lanes 0..15),
// shift[e] its shift. Messages are stored by pairs of 16-lane chunks, edge after edge within a pair,
// so that pass 1 (all edges of one pair of chunks at a time) reads them as one sequential stream:
// message lanes [k, k + 16) of edge e start at msg[e] + (k / 32) · 32 · degree + k % 32, with
// msg[e] = msg[0] + 32 · e (padded_z rounded up to 32 lanes per edge).
// read_index[((k / 32) · degree + e) · 2 + j] is where lanes [k + 16 j, k + 16 j + 16) of block e
// start, counted from `app` (an odd last chunk repeats itself as j = 1).
struct LayerView {
  std::int16_t* app;
  const int* read_index;
  std::array<std::int16_t*, kMaxDegree> col;
  std::array<int, kMaxDegree> shift;
  std::array<std::int16_t*, kMaxDegree> msg;
  int degree;
  int z;
  int padded_z;
};

/// Scratch int16 per layer kernel call: per check the minima (3 · padded_z) and the inputs q of every
/// edge (kMaxDegree · padded_z), which pass 1 computes once and pass 2 reuses (L1-resident).
constexpr int scratch_size(int padded_z) { return (3 + kMaxDegree) * padded_z; }

/// Updates one layer's messages and a-posteriori values. `scratch` holds scratch_size(padded_z) int16.
/// With first_iteration the old messages are taken as 0 (not read).
void min_sum_layer(const LayerView& layer, const Correction& correction, bool first_iteration, std::int16_t* scratch);

/// Corrected magnitude of one minimum m in [0, 32768] (the scalar definition the kernel vectorises).
std::int32_t corrected(std::int32_t m, const Correction& correction);

}  // namespace sixg::phy::ldpc_fixed
