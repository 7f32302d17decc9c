// The min-sum layer kernels of ldpc_fixed_min_sum.cpp, compiled once per SIMD kernel target (see
// src/phy/simd/for_each_kernel_target.h: no include guard, everything in namespace SIXG_SIMD_NS).
// Integer arithmetic only: both targets give the same bits.

namespace sixg::phy::ldpc_fixed::SIXG_SIMD_NS {
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
inline u16v as_u(i16v v) { return __builtin_bit_cast(u16v, v); }
inline i16v as_i(u16v v) { return __builtin_bit_cast(i16v, v); }
inline u16v umin(u16v a, u16v b) { return a < b ? a : b; }
inline u16v umax(u16v a, u16v b) { return a > b ? a : b; }

// (Casts between vector types use __builtin_bit_cast, never std::bit_cast: a std template is compiled
// for the default target, and a call to it from the AVX2 copy, which happens in unoptimised builds,
// would pass the 32-byte vector under the other calling convention.)
// Saturating add/subtract and |v| (|−32768| = 32768 as uint16): one instruction each with AVX2, the
// same values from plain integer operations otherwise (wrapping arithmetic done in uint16).
#if SIXG_SIMD_AVX2
inline i16v adds(i16v a, i16v b) {
  return __builtin_bit_cast(i16v, _mm256_adds_epi16(__builtin_bit_cast(__m256i, a), __builtin_bit_cast(__m256i, b)));
}
inline i16v subs(i16v a, i16v b) {
  return __builtin_bit_cast(i16v, _mm256_subs_epi16(__builtin_bit_cast(__m256i, a), __builtin_bit_cast(__m256i, b)));
}
inline u16v magnitude(i16v v) { return __builtin_bit_cast(u16v, _mm256_abs_epi16(__builtin_bit_cast(__m256i, v))); }
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
#if SIXG_SIMD_AVX2
  const __m256i twice_f = _mm256_set1_epi16(static_cast<std::int16_t>(static_cast<std::uint16_t>(2 * f)));
  return __builtin_bit_cast(i16v, _mm256_mulhi_epu16(__builtin_bit_cast(__m256i, m), twice_f));
#else
  const i32v x = __builtin_convertvector(m, i32v);
  return __builtin_convertvector((x * f) >> 15, i16v);
#endif
}

// The correction of the minima m in [0, 32768] (see ldpc_fixed_min_sum.h), in int16 without overflow:
// m is first capped at 32767, the offset is at most 32767 (capped by the caller).
// -m where sign < 0, m where sign > 0 (sign != 0): vpsignw with AVX2.
inline i16v with_sign_of_nonzero(i16v m, i16v sign) {
#if SIXG_SIMD_AVX2
  return __builtin_bit_cast(i16v, _mm256_sign_epi16(__builtin_bit_cast(__m256i, m), __builtin_bit_cast(__m256i, sign)));
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

// Pass 1 runs over the checks, 32 at a time (two independent 16-lane chains per edge, both read
// positions in one 64-bit load of read_index), keeps the running minima in registers, and stores every
// input q = sat(app - old message) in check order in `inputs` (edge e at e · padded_z). Pass 2 runs
// edge by edge: it reads q back from there (aligned, in L1) instead of recomputing it from the column
// and the old message (one load and one subtraction fewer per vector), then writes the new message
// and sat(q + message) to the column, one store per vector away from the wrap. Pass 2 of edge e reads
// exactly the lanes pass 1 read for it (no other edge of the layer shares its column), so the stored
// q equal the recomputed ones lane for lane.
template <bool kFirstIteration>
void layer_kernel(const LayerView& L, const Correction& correction, std::int16_t* scratch) {
  const int z = L.z;
  const int d = L.degree;
  const int pz = L.padded_z;
  std::int16_t* const row = scratch;
  std::int16_t* const inputs = scratch + 3 * pz;
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
  // Messages of a pair of chunks lie edge after edge (see LayerView): pass 1 reads them in order.
  const int pair_stride = 2 * kLanes * d;
  auto message_offset = [&](int k2) { return k2 / (2 * kLanes) * pair_stride + k2 % (2 * kLanes); };
  int k = 0;
  for (; k + 2 * kLanes <= pz; k += 2 * kLanes) {
    u16v min1a = u16v{} + 0xffff, min2a = min1a, min1b = min1a, min2b = min1a;
    i16v signa{}, signb{};
    const int* pair = L.read_index + (k / (2 * kLanes)) * 2 * d;
    const std::int16_t* msg = L.msg[0] + message_offset(k);
    std::int16_t* q_out = inputs + k;
    for (int e = 0; e < d; ++e, msg += 2 * kLanes, q_out += pz) {
      std::uint64_t both;
      std::memcpy(&both, pair + 2 * e, sizeof both);
      int index[2];
      std::memcpy(index, &both, sizeof index);
      const i16v qa = input(index[0], msg);
      const i16v qb = input(index[1], msg + kLanes);
      store(q_out, qa);
      store(q_out + kLanes, qb);
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
      const i16v q = input(pair[2 * e], L.msg[e] + message_offset(k));
      store(inputs + e * pz + k, q);
      const u16v a = magnitude(q);
      min2 = umin(min2, umax(min1, a));
      min1 = umin(min1, a);
      sign ^= q;
    }
    finish_checks(k, min1, min2, sign);
  }

  // Pass 2 edge by edge: messages and a-posteriori values.
  for (int e = 0; e < d; ++e) {
    std::int16_t* const col = L.col[e];
    std::int16_t* const msg = L.msg[e];
    const std::int16_t* const q_in = inputs + e * pz;
    const int s = L.shift[e];
    auto update = [&](int k2) {
      const std::int16_t* st = row + 3 * k2;
      const i16v q = load(q_in + k2);
      const i16v x = magnitude(q) == as_u(load(st)) ? load(st + 2 * kLanes) : load(st + kLanes);
      const i16v r = with_sign_of_nonzero(x, q | 1);  // the others' parity: parity XOR sign(q)
      store(msg + message_offset(k2), r);
      return adds(q, r);
    };
    auto plain = [&](int from, int to, int offset) {
      for (int k2 = from; k2 < to; k2 += kLanes) store(col + k2 + offset, update(k2));
    };
    auto general = [&](int k2) { store_lanes(col, z, wrap(s + k2, z), std::min(kLanes, z - k2), update(k2)); };
    ldpc_walk::shifted_block<kLanes>(z, s, plain, general);
  }
}

// Lifting sizes that are multiples of 16 (and at least 32): every vector is whole, so a layer runs in
// one sweep over its checks. For each chunk of 16 or pair of chunks of 32 checks, pass 1 over the
// edges finds the minima (kept in registers, no per-check state in memory) and parks each q in
// `inputs` (2 · 16 · degree int16, L1); pass 2 over the same edges reads q back and writes the
// message and sat(q + message) with a plain store at the lanes' read position. Against layer_kernel
// this saves the per-check state stores and loads and the walk's wrap logic (~20 % of the decode).
// The one vector per edge that straddles the column end (when s mod 16 != 0) so writes its first
// w = s mod 16 lanes into the mirror instead of lanes [0, w); no other vector of the layer reads
// those (each lane is read once, and the vector starting at lane w reads real lanes), so one fix-up
// per edge after the sweep restores both copies: lanes [0, w) from the mirror, the rest of the mirror
// from lanes [w, 16). Same lanes, same arithmetic as layer_kernel: the same bits.
template <bool kFirstIteration, bool kPair>
inline void sweep_chunks(const LayerView& L, const Correction& correction, int k, std::int16_t* inputs) {
  const int d = L.degree;
  const int* const pair = L.read_index + (k / (2 * kLanes)) * 2 * d;
  std::int16_t* const messages = L.msg[0] + (k / (2 * kLanes)) * 2 * kLanes * d;
  auto input = [&](int index, const std::int16_t* msg) {
    const i16v a = load(L.app + index);
    return kFirstIteration ? a : subs(a, load(msg));
  };
  auto indices = [&](int e, int(&index)[2]) {
    std::uint64_t both;
    std::memcpy(&both, pair + 2 * e, sizeof both);
    std::memcpy(index, &both, sizeof index);
  };
  u16v min1a = u16v{} + 0xffff, min2a = min1a, min1b = min1a, min2b = min1a;
  i16v signa{}, signb{};
  for (int e = 0; e < d; ++e) {
    int index[2];
    indices(e, index);
    const std::int16_t* msg = messages + 2 * kLanes * e;
    const i16v qa = input(index[0], msg);
    store(inputs + 2 * kLanes * e, qa);
    const u16v aa = magnitude(qa);
    min2a = umin(min2a, umax(min1a, aa));
    min1a = umin(min1a, aa);
    signa ^= qa;
    if constexpr (kPair) {
      const i16v qb = input(index[1], msg + kLanes);
      store(inputs + 2 * kLanes * e + kLanes, qb);
      const u16v ab = magnitude(qb);
      min2b = umin(min2b, umax(min1b, ab));
      min1b = umin(min1b, ab);
      signb ^= qb;
    }
  }
  const i16v m1a = with_sign_of(corrected(min1a, correction), signa);
  const i16v m2a = with_sign_of(corrected(min2a, correction), signa);
  const i16v m1b = with_sign_of(corrected(min1b, correction), signb);
  const i16v m2b = with_sign_of(corrected(min2b, correction), signb);
  auto update = [&](int index, std::int16_t* msg, const std::int16_t* q_in, u16v min1, i16v m1, i16v m2) {
    const i16v q = load(q_in);
    const i16v x = magnitude(q) == min1 ? m2 : m1;
    const i16v r = with_sign_of_nonzero(x, q | 1);  // the others' parity: parity XOR sign(q)
    store(msg, r);
    store(L.app + index, adds(q, r));
  };
  for (int e = 0; e < d; ++e) {
    int index[2];
    indices(e, index);
    std::int16_t* msg = messages + 2 * kLanes * e;
    update(index[0], msg, inputs + 2 * kLanes * e, min1a, m1a, m2a);
    if constexpr (kPair) update(index[1], msg + kLanes, inputs + 2 * kLanes * e + kLanes, min1b, m1b, m2b);
  }
}

template <bool kFirstIteration>
void sweep_layer(const LayerView& L, const Correction& correction, std::int16_t* inputs) {
  const int pz = L.padded_z;
  int k = 0;
  for (; k + 2 * kLanes <= pz; k += 2 * kLanes) sweep_chunks<kFirstIteration, true>(L, correction, k, inputs);
  if (k < pz) sweep_chunks<kFirstIteration, false>(L, correction, k, inputs);
  i16v lane{};
  for (int i = 0; i < kLanes; ++i) lane[i] = static_cast<std::int16_t>(i);
  for (int e = 0; e < L.degree; ++e) {
    std::int16_t* const col = L.col[e];
    const std::int16_t wrapped_lanes = static_cast<std::int16_t>(L.shift[e] % kLanes);
    const i16v from_mirror = lane < wrapped_lanes;
    const i16v v = from_mirror ? load(col + L.z) : load(col);
    store(col, v);
    store(col + L.z, v);
  }
}

}  // namespace

void min_sum_layer(const LayerView& layer, const Correction& correction, bool first_iteration, std::int16_t* scratch) {
  if (layer.z % kLanes == 0 && layer.z >= 2 * kLanes) {
    if (first_iteration) {
      sweep_layer<true>(layer, correction, scratch);
    } else {
      sweep_layer<false>(layer, correction, scratch);
    }
  } else if (first_iteration) {
    layer_kernel<true>(layer, correction, scratch);
  } else {
    layer_kernel<false>(layer, correction, scratch);
  }
}

}  // namespace sixg::phy::ldpc_fixed::SIXG_SIMD_NS
