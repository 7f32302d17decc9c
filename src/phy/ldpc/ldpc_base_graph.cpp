#include "sixg/phy/ldpc/ldpc_base_graph.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sixg/data/ldpc_5g_bg1.h"
#include "sixg/data/ldpc_5g_bg2.h"

namespace sixg::phy {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool parse_int(std::string_view s, int& value) {
  s = trim(s);
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc{} && end == s.data() + s.size();
}

// The CSV layout (data/3gpp/README.md): "row;col;V0;...;V7", a blank row cell meaning "same row as
// the line above"; two header lines whose column cell is not a number.
std::vector<LdpcBaseGraphEntry> parse_table(std::string_view csv, const char* name) {
  std::vector<LdpcBaseGraphEntry> entries;
  int current_row = -1;
  while (!csv.empty()) {
    const auto eol = csv.find('\n');
    const std::string_view line = csv.substr(0, eol);
    csv = eol == std::string_view::npos ? std::string_view{} : csv.substr(eol + 1);

    std::vector<std::string_view> cells;
    for (std::string_view rest = line;;) {
      const auto sep = rest.find(';');
      cells.push_back(rest.substr(0, sep));
      if (sep == std::string_view::npos) break;
      rest = rest.substr(sep + 1);
    }
    LdpcBaseGraphEntry entry;
    if (cells.size() < 10 || !parse_int(cells[1], entry.col)) continue;  // header or blank line
    if (!trim(cells[0]).empty() && !parse_int(cells[0], current_row)) {
      throw std::logic_error(std::string(name) + ": bad row index in line '" + std::string(line) + "'");
    }
    if (current_row < 0) throw std::logic_error(std::string(name) + ": entry before the first row index");
    entry.row = current_row;
    for (int set = 0; set < 8; ++set) {
      if (!parse_int(cells[2 + set], entry.shift_coefficient[set])) {
        throw std::logic_error(std::string(name) + ": bad shift value in line '" + std::string(line) + "'");
      }
    }
    entries.push_back(entry);
  }
  return entries;
}

constexpr std::array<int, 8> kSetGenerators = {2, 3, 5, 7, 9, 11, 13, 15};  // a in Zc = a · 2^j

std::vector<int> make_lifting_sizes() {
  std::vector<int> sizes;
  for (int a : kSetGenerators) {
    for (int z = a; z <= 384; z *= 2) sizes.push_back(z);
  }
  std::sort(sizes.begin(), sizes.end());
  return sizes;
}

}  // namespace

LdpcBaseGraphTable::LdpcBaseGraphTable(LdpcBaseGraph graph, std::vector<LdpcBaseGraphEntry> entries)
    : graph_(graph), entries_(std::move(entries)) {
  std::sort(entries_.begin(), entries_.end(),
            [](const auto& a, const auto& b) { return a.row != b.row ? a.row < b.row : a.col < b.col; });
  num_info_cols_ = graph == LdpcBaseGraph::bg1 ? 22 : 10;
  for (const auto& e : entries_) {
    num_rows_ = std::max(num_rows_, e.row + 1);
    num_cols_ = std::max(num_cols_, e.col + 1);
  }
  row_begin_.assign(num_rows_ + 1, 0);
  for (const auto& e : entries_) ++row_begin_[e.row + 1];
  for (int r = 0; r < num_rows_; ++r) row_begin_[r + 1] += row_begin_[r];

  // The encoder and decoder rely on the standard's structure; check it once here.
  if (num_cols_ != num_info_cols_ + num_rows_) {
    throw std::logic_error("LDPC base graph: unexpected number of columns");
  }
  for (const auto& e : entries_) {
    const bool extension_col = e.col >= num_info_cols_ + 4;
    if (extension_col &&
        (e.col != num_info_cols_ + e.row ||
         std::any_of(e.shift_coefficient.begin(), e.shift_coefficient.end(), [](int v) { return v != 0; }))) {
      throw std::logic_error("LDPC base graph: extension parity columns must form an identity diagonal");
    }
  }
}

std::span<const LdpcBaseGraphEntry> LdpcBaseGraphTable::row(int r) const {
  return std::span<const LdpcBaseGraphEntry>(entries_).subspan(row_begin_[r], row_begin_[r + 1] - row_begin_[r]);
}

std::vector<LdpcLiftedEdge> LdpcBaseGraphTable::lift(int lifting_size) const {
  const int set = ldpc_lifting_set_index(lifting_size);
  if (set < 0) throw std::invalid_argument("LDPC: " + std::to_string(lifting_size) + " is not a lifting size");
  std::vector<LdpcLiftedEdge> edges;
  edges.reserve(entries_.size());
  for (const auto& e : entries_) edges.push_back({e.row, e.col, e.shift_coefficient[set] % lifting_size});
  return edges;
}

const LdpcBaseGraphTable& ldpc_base_graph(LdpcBaseGraph graph) {
  static const LdpcBaseGraphTable bg1(LdpcBaseGraph::bg1, parse_table(data::ldpc_5g_bg1, "ldpc_5G_bg1.csv"));
  static const LdpcBaseGraphTable bg2(LdpcBaseGraph::bg2, parse_table(data::ldpc_5g_bg2, "ldpc_5G_bg2.csv"));
  return graph == LdpcBaseGraph::bg1 ? bg1 : bg2;
}

int ldpc_lifting_set_index(int z) {
  if (z < 2 || z > 384) return -1;
  while (z % 2 == 0) z /= 2;  // strip 2^j: what is left is the odd generator a, or 1 for set 0 (a = 2)
  if (z == 1) return 0;
  for (int set = 1; set < 8; ++set) {
    if (kSetGenerators[set] == z) return set;
  }
  return -1;
}

std::span<const int> ldpc_lifting_sizes() {
  static const std::vector<int> sizes = make_lifting_sizes();
  return sizes;
}

int ldpc_min_lifting_size(int min_value) {
  const auto sizes = ldpc_lifting_sizes();
  const auto it = std::lower_bound(sizes.begin(), sizes.end(), min_value);
  if (it == sizes.end()) throw std::invalid_argument("LDPC: no lifting size >= " + std::to_string(min_value));
  return *it;
}

}  // namespace sixg::phy
