// The vector kernels of apply_channel.cpp, compiled once per SIMD kernel target
// (src/phy/simd/for_each_kernel_target.h: no include guard, everything in SIXG_SIMD_NS).

namespace sixg::phy::apply_kernels::SIXG_SIMD_NS {
namespace {

// The static-h and flat kernels work on blocks of kLanes subcarriers held in split form (real parts in one vector,
// imaginary parts in another), so the complex multiply-accumulate is plain lane-wise arithmetic with no
// shuffles in the inner loop: the interleaved inputs are split once per block and reused across many
// products (x across all receive antennas, a static h across all symbols). GCC vector extensions
// lower to AVX2 in the AVX2 kernel copy (or a native AVX2 build) and to SSE2 pairs in the baseline copy
// of a portable build, with the same lane-wise IEEE operations either way.
//
// Every output element gets exactly this sequence, whatever its position, block or batch:
//   p_t = (hr xr - hi xi) + j (hr xi + hi xr),  acc = p_0,  acc = acc + p_t for t = 1, 2, ... in order;
// lanes past the end of a row are zero-padded and never stored, so results do not depend on fft_size
// alignment, buffer addresses or how the work is split. (Same operations as the scalar definition; the
// per-symbol path computes the same p_t on interleaved values with an add/sub lane mix.)
constexpr std::size_t kLanes = 8;

struct Split {
  v8f re, im;
};

inline v8f load(const float* p) {
  v8f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store(float* p, v8f v) { std::memcpy(p, &v, sizeof v); }

/// kLanes interleaved complex values at `src` (count of them valid, the rest read as zero). The lanes
/// hold values 0 1 4 5 2 3 6 7: the shuffles then stay within 128-bit halves (one vshufps each, where
/// the natural order needs cross-lane permutes), and merge() restores the order. The arithmetic is
/// lane-wise, so the order of the lanes does not change any result.
inline Split split(const cf32* src, std::size_t count) {
  const float* f = reinterpret_cast<const float*>(src);
  v8f a, b;
  if (count < kLanes) {
    alignas(32) float padded[2 * kLanes] = {};
    for (std::size_t i = 0; i < count; ++i) {
      padded[2 * i] = src[i].real();
      padded[2 * i + 1] = src[i].imag();
    }
    a = load(padded);
    b = load(padded + kLanes);
  } else {
    a = load(f);
    b = load(f + kLanes);
  }
  return {__builtin_shuffle(a, b, v8i{0, 2, 8, 10, 4, 6, 12, 14}),
          __builtin_shuffle(a, b, v8i{1, 3, 9, 11, 5, 7, 13, 15})};
}

/// Writes the first `count` lanes of s to dst as interleaved complex values.
inline void merge(const Split& s, cf32* dst, std::size_t count) {
  const v8f lo = __builtin_shuffle(s.re, s.im, v8i{0, 8, 1, 9, 4, 12, 5, 13});
  const v8f hi = __builtin_shuffle(s.re, s.im, v8i{2, 10, 3, 11, 6, 14, 7, 15});
  if (count == kLanes) {
    store(reinterpret_cast<float*>(dst), lo);
    store(reinterpret_cast<float*>(dst) + kLanes, hi);
    return;
  }
  alignas(32) float out[2 * kLanes];
  store(out, lo);
  store(out + kLanes, hi);
  for (std::size_t i = 0; i < count; ++i) dst[i] = {out[2 * i], out[2 * i + 1]};
}

inline Split product(v8f hr, v8f hi, const Split& x) { return {hr * x.re - hi * x.im, hr * x.im + hi * x.re}; }

inline void accumulate(Split& acc, const Split& p) {
  acc.re = acc.re + p.re;
  acc.im = acc.im + p.im;
}

// ---- apply_channel ------------------------------------------------------------------------------
//
// Static h (T = 1): work unit one (receive antenna, symbol) row piece of kBlock = 32 subcarriers (4 split
// vectors, 8 independent accumulator chains to hide the add latency), summed over the streams with h and
// x read from split stack scratch in L1. Subcarrier blocks are outermost; per block, x for a chunk of
// streams x symbols and then h of one antenna for those streams are split once and reused (x by every
// antenna, h by every symbol of the chunk), so h (R x T x 32 values per block) is read once per frame.
// Streams beyond one chunk carry the partial sum through y (a float store and reload is exact), so the
// order of the sum over t never changes.
constexpr std::size_t kVectors = 4;
constexpr std::size_t kBlock = kVectors * kLanes;
constexpr std::size_t kMaxTxChunk = 64;
constexpr std::size_t kXScratch = 512;  // Splits (32 KiB)

/// acc[v] (+)= sum over t < nt of h[t][v] * x[t * x_stride + v]; `first` starts the sums at t = 0.
inline void accumulate_block(const Split* h, const Split* x, std::size_t x_stride, std::size_t nt, bool first,
                             Split* acc) {
  Split a[kVectors];
  std::size_t t = 0;
  if (first) {
    for (std::size_t v = 0; v < kVectors; ++v) a[v] = product(h[v].re, h[v].im, x[v]);
    t = 1;
  } else {
    for (std::size_t v = 0; v < kVectors; ++v) a[v] = acc[v];
  }
  for (; t < nt; ++t) {
    const Split* ht = h + t * kVectors;
    const Split* xt = x + t * x_stride;
    for (std::size_t v = 0; v < kVectors; ++v) accumulate(a[v], product(ht[v].re, ht[v].im, xt[v]));
  }
  for (std::size_t v = 0; v < kVectors; ++v) acc[v] = a[v];
}

/// Splits the `count` (<= kBlock) complex values at src into kVectors Splits, zero-padded.
inline void split_block(const cf32* src, std::size_t count, Split* dst) {
  for (std::size_t v = 0; v < kVectors; ++v) {
    const std::size_t begin = v * kLanes;
    dst[v] = split(src + std::min(begin, count), count > begin ? std::min(kLanes, count - begin) : 0);
  }
}

inline void merge_block(const Split* src, cf32* dst, std::size_t count) {
  for (std::size_t v = 0; v < kVectors && v * kLanes < count; ++v) {
    merge(src[v], dst + v * kLanes, std::min(kLanes, count - v * kLanes));
  }
}

/// Finishes one output piece: continues from y when this is not the first stream chunk, stores back.
inline void output_block(const Split* h, const Split* x, std::size_t x_stride, std::size_t nt, bool first, cf32* out,
                         std::size_t count) {
  Split acc[kVectors];
  if (!first) split_block(out, count, acc);
  accumulate_block(h, x, x_stride, nt, first, acc);
  merge_block(acc, out, count);
}

void apply_static(const cf32* h, const cf32* x, cf32* y, const Layout& d) {
  Split xs[kXScratch];
  Split hs[kMaxTxChunk * kVectors];
  const std::size_t t_chunk = std::min(d.tx, kMaxTxChunk);
  const std::size_t l_chunk = std::max<std::size_t>(1, std::min(d.symbols, kXScratch / (kVectors * t_chunk)));
  for (std::size_t k0 = 0; k0 < d.k; k0 += kBlock) {
    const std::size_t count = std::min(kBlock, d.k - k0);
    for (std::size_t t0 = 0; t0 < d.tx; t0 += t_chunk) {
      const std::size_t nt = std::min(t_chunk, d.tx - t0);
      for (std::size_t l0 = 0; l0 < d.symbols; l0 += l_chunk) {
        const std::size_t nl = std::min(l_chunk, d.symbols - l0);
        // xs[t][l][v]
        for (std::size_t t = 0; t < nt; ++t) {
          for (std::size_t l = 0; l < nl; ++l) {
            split_block(x + d.x_row(t0 + t, l0 + l) + k0, count, xs + (t * nl + l) * kVectors);
          }
        }
        for (std::size_t r = 0; r < d.rx; ++r) {
          for (std::size_t t = 0; t < nt; ++t) split_block(h + d.h_row(r, t0 + t, 0) + k0, count, hs + t * kVectors);
          for (std::size_t l = 0; l < nl; ++l) {
            output_block(hs, xs + l * kVectors, nl * kVectors, nt, t0 == 0, y + d.y_row(r, l0 + l) + k0, count);
          }
        }
      }
    }
  }
}

/// kLanes floats (kLanes / 2 interleaved complex values) of out (+)= h * x, with the operations of
/// product() and accumulate() per value.
inline v8f multiply_accumulate_vector(v8f hv, v8f xv, v8f prior, bool first) {
  const v8f hr = __builtin_shuffle(hv, v8i{0, 0, 2, 2, 4, 4, 6, 6});
  const v8f hi = __builtin_shuffle(hv, v8i{1, 1, 3, 3, 5, 5, 7, 7});
  const v8f xs = __builtin_shuffle(xv, v8i{1, 0, 3, 2, 5, 4, 7, 6});
  const v8f a = hr * xv, b = hi * xs;  // (hr xr, hr xi), (hi xi, hi xr)
  const v8f p = __builtin_shuffle(a - b, a + b, v8i{0, 9, 2, 11, 4, 13, 6, 15});
  return first ? p : prior + p;
}

/// out[i] = (first ? 0 : out[i]) + h[i] * x[i] over n interleaved complex values. The tail goes
/// through the same vector code on zero-padded copies: a scalar tail loop was vectorised by GCC into
/// vfmaddsub (fused, despite -ffp-contract=off), which rounded those values differently.
inline void multiply_accumulate_row(const cf32* h, const cf32* x, cf32* out, std::size_t n, bool first) {
  const float* hf = reinterpret_cast<const float*>(h);
  const float* xf = reinterpret_cast<const float*>(x);
  float* of = reinterpret_cast<float*>(out);
  std::size_t i = 0;
  for (; i + kLanes <= 2 * n; i += kLanes) {
    store(of + i, multiply_accumulate_vector(load(hf + i), load(xf + i), load(of + i), first));
  }
  if (const std::size_t rest = 2 * n - i; rest > 0) {
    alignas(32) float hp[kLanes] = {}, xp[kLanes] = {}, op[kLanes] = {};
    std::memcpy(hp, hf + i, rest * sizeof(float));
    std::memcpy(xp, xf + i, rest * sizeof(float));
    std::memcpy(op, of + i, rest * sizeof(float));
    store(op, multiply_accumulate_vector(load(hp), load(xp), load(op), first));
    std::memcpy(of + i, op, rest * sizeof(float));
  }
}

/// Per-symbol h is used once, so this path is bound by streaming it from memory: walk h in storage
/// order (r, t, l, k), accumulating each stream's contribution into the antenna's y rows, which stay in
/// L2 (num_ofdm_symbols x fft_size values) while x is re-read from the shared cache.
void apply_per_symbol(const cf32* h, const cf32* x, cf32* y, const Layout& d) {
  for (std::size_t r = 0; r < d.rx; ++r) {
    for (std::size_t t = 0; t < d.tx; ++t) {
      for (std::size_t l = 0; l < d.symbols; ++l) {
        multiply_accumulate_row(h + d.h_row(r, t, l), x + d.x_row(t, l), y + d.y_row(r, l), d.k, t == 0);
      }
    }
  }
}

// ---- apply_flat_channel ---------------------------------------------------------------------------
//
// Y [R, N] = H [R, S] X [S, N], N = symbols x fft_size: columns in blocks of kBlock, each split once
// into scratch (S x 4 Splits) and reused by every row of H; rows of H in groups of kFlatRows, whose
// entries are broadcast from h_rs. An output element gets the operations apply_channel gives it with
// h[r][s][0][k] = h_rs[r][s] (same product, same order over s), so the two agree bitwise.
constexpr std::size_t kFlatRows = 2;
constexpr std::size_t kMaxFlatStreams = kXScratch / kVectors;  // 128 streams per chunk

template <std::size_t kRows>
inline void flat_rows(const cf32* h, std::size_t h_stride, const Split* x, std::size_t ns, bool first, cf32* const* out,
                      std::size_t count) {
  Split a[kRows][kVectors];
  for (std::size_t i = 0; i < kRows; ++i) {
    if (!first) split_block(out[i], count, a[i]);
  }
  std::size_t s = 0;
  if (first) {
    for (std::size_t i = 0; i < kRows; ++i) {
      const v8f hr = v8f{} + h[i * h_stride].real(), hi = v8f{} + h[i * h_stride].imag();
      for (std::size_t v = 0; v < kVectors; ++v) a[i][v] = product(hr, hi, x[v]);
    }
    s = 1;
  }
  for (; s < ns; ++s) {
    const Split* xs = x + s * kVectors;
    for (std::size_t i = 0; i < kRows; ++i) {
      const v8f hr = v8f{} + h[i * h_stride + s].real(), hi = v8f{} + h[i * h_stride + s].imag();
      for (std::size_t v = 0; v < kVectors; ++v) accumulate(a[i][v], product(hr, hi, xs[v]));
    }
  }
  for (std::size_t i = 0; i < kRows; ++i) merge_block(a[i], out[i], count);
}

/// apply_flat_channel on checked arguments: y [rx, n] = h_rs [rx, tx] x [tx, n].
void apply_flat(const cf32* h_rs, const cf32* x, cf32* y, std::size_t rx, std::size_t tx, std::size_t n) {
  Split xs[kXScratch];
  for (std::size_t c0 = 0; c0 < n; c0 += kBlock) {
    const std::size_t count = std::min(kBlock, n - c0);
    for (std::size_t s0 = 0; s0 < tx; s0 += kMaxFlatStreams) {
      const std::size_t ns = std::min(kMaxFlatStreams, tx - s0);
      for (std::size_t s = 0; s < ns; ++s) split_block(&x[(s0 + s) * n + c0], count, xs + s * kVectors);
      std::size_t r = 0;
      for (; r + kFlatRows <= rx; r += kFlatRows) {
        cf32* out[kFlatRows];
        for (std::size_t i = 0; i < kFlatRows; ++i) out[i] = &y[(r + i) * n + c0];
        flat_rows<kFlatRows>(&h_rs[r * tx + s0], tx, xs, ns, s0 == 0, out, count);
      }
      for (; r < rx; ++r) {
        cf32* out[1] = {&y[r * n + c0]};
        flat_rows<1>(&h_rs[r * tx + s0], tx, xs, ns, s0 == 0, out, count);
      }
    }
  }
}

}  // namespace
}  // namespace sixg::phy::apply_kernels::SIXG_SIMD_NS
