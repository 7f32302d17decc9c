#include "ldpc_fixed_min_sum.h"
#include "ldpc_shifted_walk.h"

#include <algorithm>
#include <bit>
#include <cstring>

#ifdef __AVX2__
#include <immintrin.h>
#endif

// 32-byte vectors are passed only between inline functions of this file (see ldpc_decoder.cpp).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace sixg::phy::ldpc_fixed {
namespace {

using i16v = std::int16_t __attribute__((vector_size(2 * kLanes)));
using u16v = std::uint16_t __attribute__((vector_size(2 * kLanes)));
using i32v = std::int32_t __attribute__((vector_size(4 * kLanes)));

inline i16v load(const std::int16_t* p) {
  i16v v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(std::int16_t* p, i16v v) { std::memcpy(p, &v, sizeof v); }
inline u16v as_u(i16v v) { return std::bit_cast<u16v>(v); }
inline i16v as_i(u16v v) { return std::bit_cast<i16v>(v); }
inline u16v umin(u16v a, u16v b) { return a < b ? a : b; }
inline u16v umax(u16v a, u16v b) { return a > b ? a : b; }

// Saturating add/subtract and |v| (|−32768| = 32768 as uint16): one instruction each with AVX2, the
// same values from plain integer operations otherwise (wrapping arithmetic done in uint16).
#ifdef __AVX2__
inline i16v adds(i16v a, i16v b) {
  return std::bit_cast<i16v>(_mm256_adds_epi16(std::bit_cast<__m256i>(a), std::bit_cast<__m256i>(b)));
}
inline i16v subs(i16v a, i16v b) {
  return std::bit_cast<i16v>(_mm256_subs_epi16(std::bit_cast<__m256i>(a), std::bit_cast<__m256i>(b)));
}
inline u16v magnitude(i16v v) { return std::bit_cast<u16v>(_mm256_abs_epi16(std::bit_cast<__m256i>(v))); }
#else
inline i16v saturated(i16v a, i16v r, i16v overflow) { return overflow < 0 ? as_i(as_u(a >> 15) ^ 0x7fff) : r; }
inline i16v adds(i16v a, i16v b) {
  const i16v r = as_i(as_u(a) + as_u(b));
  return saturated(a, r, (a ^ r) & (b ^ r));
}
inline i16v subs(i16v a, i16v b) {
  const i16v r = as_i(as_u(a) - as_u(b));
  return saturated(a, r, (a ^ b) & (a ^ r));
}
inline u16v magnitude(i16v v) { return v < 0 ? u16v{} - as_u(v) : as_u(v); }
#endif

// ±m with the sign of `sign` (negative: -m); |m| <= kFixedMaxMessage, so no overflow.
inline i16v with_sign_of(i16v m, i16v sign) {
  const i16v s = sign >> 15;
  return (m ^ s) - s;
}

// floor(m · f / 2^15) for m, f in [0, 32767]: the high half of the unsigned product m · 2f, one
// vpmulhuw with AVX2.
inline i16v scale_q15(i16v m, std::int32_t f) {
#ifdef __AVX2__
  const __m256i twice_f = _mm256_set1_epi16(static_cast<std::int16_t>(static_cast<std::uint16_t>(2 * f)));
  return std::bit_cast<i16v>(_mm256_mulhi_epu16(std::bit_cast<__m256i>(m), twice_f));
#else
  const i32v x = __builtin_convertvector(m, i32v);
  return __builtin_convertvector((x * f) >> 15, i16v);
#endif
}

// The correction of the minima m in [0, 32768] (see ldpc_fixed_min_sum.h), in int16 without overflow:
// m is first capped at 32767, the offset is at most 32767 (capped by the caller).
// -m where sign < 0, m where sign > 0 (sign != 0): vpsignw with AVX2.
inline i16v with_sign_of_nonzero(i16v m, i16v sign) {
#ifdef __AVX2__
  return std::bit_cast<i16v>(_mm256_sign_epi16(std::bit_cast<__m256i>(m), std::bit_cast<__m256i>(sign)));
#else
  return with_sign_of(m, sign);
#endif
}

inline i16v corrected(u16v m, const Correction& c) {
  i16v x = as_i(umin(m, u16v{} + 32767));
  if (c.offset_min_sum) {
    x -= static_cast<std::int16_t>(c.offset);
    x = x > 0 ? x : i16v{};
  } else if (c.factor_q15 < 32768) {  // normalisation 1 (f = 2^15) is the identity
    x = scale_q15(x, c.factor_q15);
  }
  return x < kFixedMaxMessage ? x : i16v{} + kFixedMaxMessage;
}

inline int wrap(int p, int z) { return p >= z ? p - z : p; }

// Stores lanes [k, k + valid) of a block whose lane k lives at p (see store_lanes in ldpc_decoder.cpp:
// the vector, its wrapped part at the column start, and the mirror of lanes 0..15 after z).
inline void store_lanes(std::int16_t* col, int z, int p, int valid, i16v v) {
  if (valid == kLanes) {
    store(col + p, v);
    if (p + kLanes > z) store(col + p - z, v);
    if (p < kLanes) store(col + p + z, v);
  } else {
    for (int i = 0; i < valid; ++i) {
      const int pos = wrap(p + i, z);
      col[pos] = v[i];
      if (pos < kLanes) col[pos + z] = v[i];
    }
  }
}

template <bool kFirstIteration>
void layer_kernel(const LayerView& L, const Correction& correction, std::int16_t* row) {
  const int z = L.z;
  const int d = L.degree;
  auto finish_checks = [&](int k, u16v min1, u16v min2, i16v sign) {
    std::int16_t* st = row + 3 * k;
    store(st, as_i(min1));
    store(st + kLanes, with_sign_of(corrected(min1, correction), sign));
    store(st + 2 * kLanes, with_sign_of(corrected(min2, correction), sign));
  };
  auto input = [&](int index, const std::int16_t* msg) {
    const i16v a = load(L.app + index);
    return kFirstIteration ? a : subs(a, load(msg));
  };
  // Pass 1 over the checks, two independent 16-lane chains per edge; both chains' read positions come
  // in one 64-bit load, the message rows are padded_z apart.
  const int pz = L.padded_z;
  int k = 0;
  for (; k + 2 * kLanes <= pz; k += 2 * kLanes) {
    u16v min1a = u16v{} + 0xffff, min2a = min1a, min1b = min1a, min2b = min1a;
    i16v signa{}, signb{};
    const int* pair = L.read_index + (k / (2 * kLanes)) * 2 * d;
    const std::int16_t* msg = L.messages + k;
    for (int e = 0; e < d; ++e, msg += pz) {
      std::uint64_t both;
      std::memcpy(&both, pair + 2 * e, sizeof both);
      int index[2];
      std::memcpy(index, &both, sizeof index);
      const i16v qa = input(index[0], msg);
      const i16v qb = input(index[1], msg + kLanes);
      const u16v aa = magnitude(qa), ab = magnitude(qb);
      min2a = umin(min2a, umax(min1a, aa));
      min1a = umin(min1a, aa);
      min2b = umin(min2b, umax(min1b, ab));
      min1b = umin(min1b, ab);
      signa ^= qa;
      signb ^= qb;
    }
    finish_checks(k, min1a, min2a, signa);
    finish_checks(k + kLanes, min1b, min2b, signb);
  }
  for (; k < pz; k += kLanes) {  // an odd last chunk: the first of its pair
    u16v min1 = u16v{} + 0xffff, min2 = min1;
    i16v sign{};
    const int* pair = L.read_index + (k / (2 * kLanes)) * 2 * d;
    for (int e = 0; e < d; ++e) {
      const i16v q = input(pair[2 * e], L.messages + e * pz + k);
      const u16v a = magnitude(q);
      min2 = umin(min2, umax(min1, a));
      min1 = umin(min1, a);
      sign ^= q;
    }
    finish_checks(k, min1, min2, sign);
  }

  // Pass 2 edge by edge: messages and a-posteriori values, one store per vector away from the wrap.
  for (int e = 0; e < d; ++e) {
    std::int16_t* const col = L.col[e];
    std::int16_t* const msg = L.msg[e];
    const int s = L.shift[e];
    auto update = [&](int k2, const std::int16_t* app) {
      const std::int16_t* st = row + 3 * k2;
      const i16v q = kFirstIteration ? load(app) : subs(load(app), load(msg + k2));
      const i16v x = magnitude(q) == as_u(load(st)) ? load(st + 2 * kLanes) : load(st + kLanes);
      const i16v r = with_sign_of_nonzero(x, q | 1);  // the others' parity: parity XOR sign(q)
      store(msg + k2, r);
      return adds(q, r);
    };
    auto plain = [&](int from, int to, int offset) {
      for (int k2 = from; k2 < to; k2 += kLanes) store(col + k2 + offset, update(k2, col + k2 + offset));
    };
    auto general = [&](int k2) {
      const int p = wrap(s + k2, z);
      store_lanes(col, z, p, std::min(kLanes, z - k2), update(k2, col + p));
    };
    ldpc_walk::shifted_block<kLanes>(z, s, plain, general);
  }
}

}  // namespace

void min_sum_layer(const LayerView& layer, const Correction& correction, bool first_iteration, std::int16_t* row) {
  if (first_iteration) {
    layer_kernel<true>(layer, correction, row);
  } else {
    layer_kernel<false>(layer, correction, row);
  }
}

std::int32_t corrected(std::int32_t m, const Correction& c) {
  std::int32_t x = std::min(m, 32767);
  if (c.offset_min_sum) {
    x = std::max(x - c.offset, 0);
  } else if (c.factor_q15 < 32768) {
    x = (x * c.factor_q15) >> 15;
  }
  return std::min<std::int32_t>(x, kFixedMaxMessage);
}

}  // namespace sixg::phy::ldpc_fixed
