#include "sixg/phy/detection/matched_filter.h"

namespace sixg::phy {

namespace {

int round_up_to_tiles(int n) {
  return (n + MatchedFilter::kTile - 1) / MatchedFilter::kTile * MatchedFilter::kTile;
}

}  // namespace

MatchedFilter::MatchedFilter(int num_rx_ant, int num_streams)
    : num_rx_ant_(num_rx_ant),
      num_streams_(num_streams),
      stride_(round_up_to_tiles(num_streams)),
      h_re_(static_cast<std::size_t>(num_rx_ant * stride_)),
      h_im_(h_re_.size()),
      gram_re_(static_cast<std::size_t>(num_streams * stride_)),
      gram_im_(gram_re_.size()),
      z_re_(static_cast<std::size_t>(stride_)),
      z_im_(z_re_.size()) {}

void MatchedFilter::load_channel(const ConstCMatrixView& h) {
  const int antennas = num_rx_ant_, streams = num_streams_, stride = stride_;
  for (int a = 0; a < antennas; ++a) {
    for (int s = 0; s < streams; ++s) {  // the padding columns stay zero from construction
      const cf32 value = h(a, s);
      h_re_[static_cast<std::size_t>(a * stride + s)] = value.real();
      h_im_[static_cast<std::size_t>(a * stride + s)] = value.imag();
    }
  }
  // Row j of the upper triangle, G_jk = sum_a conj(h_aj) h_ak, one tile of k at a time; the tile's
  // accumulators stay in registers over the antenna loop. Tiles start at the one holding the diagonal.
  const Real* hr = h_re_.data();
  const Real* hi = h_im_.data();
  for (int j = 0; j < streams; ++j) {
    for (int k0 = j - j % kTile; k0 < stride; k0 += kTile) {
      Tile re = Tile::Zero(), im = Tile::Zero();
      for (int a = 0; a < antennas; ++a) {
        const Real cr = hr[a * stride + j], ci = hi[a * stride + j];
        const Eigen::Map<const Tile> row_r(hr + a * stride + k0), row_i(hi + a * stride + k0);
        re += cr * row_r + ci * row_i;
        im += cr * row_i - ci * row_r;
      }
      Eigen::Map<Tile>(gram_re_.data() + j * stride + k0) = re;
      Eigen::Map<Tile>(gram_im_.data() + j * stride + k0) = im;
    }
  }
}

void MatchedFilter::match(const ConstCMatrixView& y, Eigen::Index column) {
  const int antennas = num_rx_ant_, stride = stride_;
  const Real* hr = h_re_.data();
  const Real* hi = h_im_.data();
  for (int k0 = 0; k0 < stride; k0 += kTile) {
    // z += conj(row a of H) * y_a along the streams.
    Tile re = Tile::Zero(), im = Tile::Zero();
    for (int a = 0; a < antennas; ++a) {
      const cf32 value = y(a, column);
      const Real yr = value.real(), yi = value.imag();
      const Eigen::Map<const Tile> row_r(hr + a * stride + k0), row_i(hi + a * stride + k0);
      re += yr * row_r + yi * row_i;
      im += yi * row_r - yr * row_i;
    }
    Eigen::Map<Tile>(z_re_.data() + k0) = re;
    Eigen::Map<Tile>(z_im_.data() + k0) = im;
  }
}

}  // namespace sixg::phy
