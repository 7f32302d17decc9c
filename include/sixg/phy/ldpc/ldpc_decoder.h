// Layered belief-propagation decoder for one 5G NR LDPC code block (any base graph and lifting size).
//
// Schedule: horizontal layered (one base-graph row = one layer of Zc independent checks, rows in
// order), a-posteriori LLRs updated after every layer, as AFF3CT's BP_HORIZONTAL_LAYERED. Check-node
// updates: normalised min-sum (default), offset min-sum, exact sum-product (tanh rule, evaluated as
// φ(Σ φ(|q|)) with φ(x) = -ln tanh(x/2)).
// The Zc checks of a layer are processed together, 8 float32 or 16 int16 lanes at a time: each lifted
// block reads a contiguous Zc-vector of its column at offset `shift` (the first lanes of each column are
// repeated after its end, so a circular shift is a plain offset).
// Arithmetic: the min-sum variants run in 16-bit fixed point by default (LLR step 1/64, channel LLRs
// clamped at ±256, messages at ±16, saturating a-posteriori values at ±512; normalisation rounds down;
// format in src/phy/ldpc/ldpc_fixed_min_sum.h): about twice the float32 throughput, and no frame-error loss
// against float32 on the same noise (tests/phy/ldpc_fixed_point_stat_test.cpp). float32 on request;
// sum-product is always float32. a_posteriori_llrs() then returns multiples of 1/64.
// Rows whose degree-1 extension parity was never received (LLR exactly 0 in all Zc lanes) cannot send
// anything but zeros to the rest of the graph; they are skipped, which changes no result and makes the
// decoder's cost follow the code rate.
//
// Input:  llr  [68·Zc (BG1) or 52·Zc (BG2)] float32 channel LLRs of the whole codeword, sign
//              ln(P(b=1)/P(b=0)) (Sionna's); 0 for punctured or not transmitted bits.
//              Positions [K', K) are filler bits (known 0), whatever `llr` holds there.
// Output: info [K'] uint8 hard decisions (0/1) of the first K' codeword bits.
//
// All memory is allocated at construction; decode() allocates nothing and is not thread-safe: use one
// decoder per thread.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sixg/phy/ldpc/ldpc_base_graph.h"

namespace sixg::phy {

enum class LdpcCheckUpdate {
  normalized_min_sum,  // sign · normalization · min
  offset_min_sum,      // sign · max(min − offset, 0)
  sum_product,         // 2·atanh(Π tanh(L/2)), messages saturate near |17.3|
};

enum class LdpcArithmetic {
  fixed16,  // min-sum variants in int16 fixed point (LLR resolution 1/64); sum-product ignores it
  float32,  // IEEE float32 messages and a-posteriori LLRs
};

struct LdpcDecoderOptions {
  LdpcCheckUpdate check_update = LdpcCheckUpdate::normalized_min_sum;
  float normalization = 0.75f;  // normalised min-sum factor, in (0, 1]
  float offset = 0.5f;          // offset min-sum offset (LLR units), >= 0
  int iterations = 20;          // maximum number of iterations (>= 1)
  bool early_stop = true;       // stop once every parity check holds
  LdpcArithmetic arithmetic = LdpcArithmetic::fixed16;
};

class LdpcDecoder {
 public:
  LdpcDecoder(LdpcBaseGraph graph, int lifting_size, LdpcDecoderOptions options = {});

  [[nodiscard]] LdpcBaseGraph graph() const { return graph_; }
  [[nodiscard]] int lifting_size() const { return z_; }
  [[nodiscard]] int code_block_size() const { return num_info_cols_ * z_; }  // K
  [[nodiscard]] int codeword_length() const { return num_cols_ * z_; }
  [[nodiscard]] const LdpcDecoderOptions& options() const { return options_; }

  /// Decodes one code block; `info.size()` = K' (1..K) fixes the filler bits. Returns the number of
  /// iterations run (options().iterations unless the syndrome check stopped it earlier).
  int decode(std::span<const float> llr, std::span<std::uint8_t> info);

  /// After decode(): the a-posteriori LLRs of all codeword bits (Sionna's sign). Bits of rows that
  /// were skipped keep their channel LLR.
  void a_posteriori_llrs(std::span<float> out) const;

  /// After decode(): whether every parity check of the received rows holds for the hard decisions
  /// (the skipped rows' parities are free, so this is "the decisions form a codeword").
  [[nodiscard]] bool parity_checks_hold() const;

 private:
  struct Edge {
    int col;
    int shift;
  };
  struct Layer {
    int first_edge;
    int degree;
    int parity_col;        // the degree-1 column of an extension row, -1 for core rows
    int read_index_start;  // this layer's first entry of read_index_
  };

  void load_channel(std::span<const float> llr, int info_bits);
  void load_channel_fixed(std::span<const float> llr, int info_bits);
  void find_active_layers(std::span<const float> llr);
  // The iteration loop of both arithmetics (float32 or fixed16): `columns` is the aligned base of the
  // a-posteriori columns, `scratch` the per-layer workspace of the layer kernel.
  template <class Arithmetic, class T>
  void run_iterations(const Arithmetic& arithmetic, T* columns, T* messages, T* scratch, int& iterations_run);
  float* column(int c);
  [[nodiscard]] const float* column(int c) const;
  std::int16_t* column16(int c);
  [[nodiscard]] const std::int16_t* column16(int c) const;

  LdpcBaseGraph graph_;
  int z_, padded_z_, stride_;  // padded_z_: Zc rounded up to whole vectors; stride_: elements per column
  int message_row_ = 0;        // message elements per edge
  bool fixed_;                  // min-sum in int16 (16 lanes per vector) rather than float32 (8)
  int lanes_;
  int num_rows_, num_cols_, num_info_cols_;
  LdpcDecoderOptions options_;
  std::vector<Edge> edges_;
  std::vector<Layer> layers_;
  std::vector<int> read_index_;     // per layer [padded_z / lanes][degree]: start of each block's lanes in app
  std::vector<int> active_layers_;  // workspace: rows processed in this decode
  int num_active_ = 0;
  // Workspace, each over-allocated by one cache line and used from its first 64-byte boundary:
  std::vector<float> app_;        // [num_cols][stride]: a-posteriori LLRs (internal sign, see .cpp)
  std::vector<float> messages_;   // [num_edges][padded_z]: check-to-variable messages
  std::vector<float> row_state_;  // [padded_z / 8][3][8]: per-check minima of the current layer
  // The same three in int16 for fixed16 min-sum (only one set is allocated); row_state16_ also holds
  // the layer's inputs (ldpc_fixed::scratch_size).
  std::vector<std::int16_t> app16_, messages16_, row_state16_;
};

}  // namespace sixg::phy
