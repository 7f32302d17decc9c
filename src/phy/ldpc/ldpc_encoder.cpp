#include "sixg/phy/ldpc/ldpc_encoder.h"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <string>

namespace sixg::phy {
namespace {

constexpr int kMaxLiftingSize = 384;
constexpr int kCoreRows = 4;

// dst[t] ^= src[(t + s) mod z]: adds P^s · src (P = identity shifted right once) to dst.
void add_shifted(std::uint8_t* dst, const std::uint8_t* src, int s, int z) {
  for (int t = 0; t < z - s; ++t) dst[t] ^= src[t + s];
  for (int t = z - s; t < z; ++t) dst[t] ^= src[t + s - z];
}

// dst = P^{-s} · src, i.e. dst[t] = src[(t - s) mod z]: solves P^s · dst = src.
void solve_shifted(std::uint8_t* dst, const std::uint8_t* src, int s, int z) {
  const int back = (z - s) % z;
  for (int t = 0; t < z - back; ++t) dst[t] = src[t + back];
  for (int t = z - back; t < z; ++t) dst[t] = src[t + back - z];
}

}  // namespace

LdpcEncoder::LdpcEncoder(LdpcBaseGraph graph, int lifting_size) : graph_(graph), z_(lifting_size) {
  const auto& table = ldpc_base_graph(graph);
  num_rows_ = table.num_rows();
  num_cols_ = table.num_cols();
  num_info_cols_ = table.num_info_cols();
  row_info_blocks_.resize(num_rows_);
  row_parity_blocks_.resize(num_rows_);
  for (const auto& e : table.lift(lifting_size)) {
    if (e.col < num_info_cols_) {
      row_info_blocks_[e.row].push_back({e.col, e.shift});
    } else if (e.col < num_info_cols_ + kCoreRows) {
      row_parity_blocks_[e.row].push_back({e.col, e.shift});
    }
  }

  // Sum of the core rows: each core parity column must cancel (every shift an even number of times)
  // except p_0, which must leave exactly one shift. This is the standard's double-diagonal design.
  for (int col = num_info_cols_; col < num_info_cols_ + kCoreRows; ++col) {
    std::map<int, int> count;
    for (int r = 0; r < kCoreRows; ++r) {
      for (const auto& b : row_parity_blocks_[r]) count[b.shift] += b.col == col;
    }
    std::vector<int> odd;
    for (const auto& [shift, n] : count) {
      if (n % 2 != 0) odd.push_back(shift);
    }
    const bool ok = col == num_info_cols_ ? odd.size() == 1 : odd.empty();
    if (!ok) throw std::logic_error("LDPC encoder: core parity structure not as in TS 38.212");
    if (col == num_info_cols_) p0_net_shift_ = odd.front();
  }
}

void LdpcEncoder::encode(std::span<const std::uint8_t> info, std::span<std::uint8_t> codeword) const {
  const int z = z_;
  if (info.size() > static_cast<std::size_t>(code_block_size())) {
    throw std::invalid_argument("LdpcEncoder: " + std::to_string(info.size()) +
                                " information bits exceed K = " + std::to_string(code_block_size()));
  }
  if (codeword.size() != static_cast<std::size_t>(codeword_length())) {
    throw std::invalid_argument("LdpcEncoder: codeword must hold " + std::to_string(codeword_length()) + " bits");
  }
  std::copy(info.begin(), info.end(), codeword.begin());
  std::fill(codeword.begin() + static_cast<std::ptrdiff_t>(info.size()), codeword.end(), std::uint8_t{0});
  std::uint8_t* cw = codeword.data();
  auto column = [&](int col) { return cw + static_cast<std::ptrdiff_t>(col) * z; };

  // 1. λ_i for the core rows, and their sum.
  std::array<std::array<std::uint8_t, kMaxLiftingSize>, kCoreRows> lambda{};
  std::array<std::uint8_t, kMaxLiftingSize> sum{};
  for (int r = 0; r < kCoreRows; ++r) {
    for (const auto& b : row_info_blocks_[r]) add_shifted(lambda[r].data(), column(b.col), b.shift, z);
    for (int t = 0; t < z; ++t) sum[t] ^= lambda[r][t];
  }

  // 2. p_0 from the sum, then peel: a core row with one unknown core parity left determines it.
  solve_shifted(column(num_info_cols_), sum.data(), p0_net_shift_, z);
  std::array<bool, kCoreRows> known{true, false, false, false};
  for (int solved = 1; solved < kCoreRows;) {
    bool progress = false;
    for (int r = 0; r < kCoreRows; ++r) {
      int unknown = -1, unknown_count = 0;
      for (int i = 0; i < static_cast<int>(row_parity_blocks_[r].size()); ++i) {
        if (!known[row_parity_blocks_[r][i].col - num_info_cols_]) {
          unknown = i;
          ++unknown_count;
        }
      }
      if (unknown_count != 1) continue;
      std::array<std::uint8_t, kMaxLiftingSize> acc = lambda[r];
      for (int i = 0; i < static_cast<int>(row_parity_blocks_[r].size()); ++i) {
        if (i != unknown)
          add_shifted(acc.data(), column(row_parity_blocks_[r][i].col), row_parity_blocks_[r][i].shift, z);
      }
      const auto& u = row_parity_blocks_[r][unknown];
      solve_shifted(column(u.col), acc.data(), u.shift, z);
      known[u.col - num_info_cols_] = true;
      ++solved;
      progress = true;
    }
    if (!progress) throw std::logic_error("LdpcEncoder: core parity equations cannot be peeled");
  }

  // 3. Extension parities: row r >= 4 has an identity block on column num_info_cols + r.
  for (int r = kCoreRows; r < num_rows_; ++r) {
    std::uint8_t* p = column(num_info_cols_ + r);
    for (const auto& b : row_info_blocks_[r]) add_shifted(p, column(b.col), b.shift, z);
    for (const auto& b : row_parity_blocks_[r]) add_shifted(p, column(b.col), b.shift, z);
  }
}

}  // namespace sixg::phy
