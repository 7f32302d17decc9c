#include "sixg/sim/link_pipeline.h"

#include <Eigen/Core>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <vector>

#include "sixg/mem/tensor.h"
#include "sixg/phy/channel/apply_channel.h"
#include "sixg/phy/channel/awgn_noise.h"
#include "sixg/phy/channel/channel_model.h"
#include "sixg/phy/detection/detector.h"
#include "sixg/phy/detection/linear_filter.h"
#include "sixg/phy/detection/subcarrier_batch_detector.h"
#include "sixg/phy/estimation/ls_channel_estimator.h"
#include "sixg/phy/estimation/time_interpolation.h"
#include "sixg/phy/grid/resource_grid.h"
#include "sixg/phy/ldpc/ldpc_stream_codec.h"
#include "sixg/phy/qam/demapper.h"
#include "sixg/phy/qam/mapper.h"
#include "sixg/phy/random/random_stream.h"
#include "sixg/sim/pipeline_tensors.h"
#include "sixg/sim/thread_pool.h"

namespace sixg::sim {

using phy::cf32;

namespace {

phy::ChannelModelKind to_phy(ChannelKind c) {
  switch (c) {
    case ChannelKind::awgn: return phy::ChannelModelKind::awgn;
    case ChannelKind::rayleigh: return phy::ChannelModelKind::rayleigh;
    case ChannelKind::tdl_a: return phy::ChannelModelKind::tdl_a;
    case ChannelKind::tdl_b: return phy::ChannelModelKind::tdl_b;
    case ChannelKind::tdl_c: return phy::ChannelModelKind::tdl_c;
    case ChannelKind::tdl_d: return phy::ChannelModelKind::tdl_d;
    case ChannelKind::tdl_e: return phy::ChannelModelKind::tdl_e;
  }
  return phy::ChannelModelKind::awgn;
}

phy::DetectorKind to_phy(DetectorKind d) {
  switch (d) {
    case DetectorKind::lmmse: return phy::DetectorKind::lmmse;
    case DetectorKind::zf: return phy::DetectorKind::zf;
    case DetectorKind::mrc: return phy::DetectorKind::mrc;
  }
  return phy::DetectorKind::lmmse;
}

/// Data symbols that share one channel matrix (so one detection filter): with perfect CSI the
/// channel's own time sample(s); with LS the pilot-symbol combination of the time interpolation.
struct ChannelGroup {
  int first = 0;  // first data symbol (index among data symbols)
  int count = 0;
  phy::TimeCombination combination;  // indices into the time axis of the source tensor
  // Where column c (data symbol first + c) starts, subcarrier 0: in one antenna's row of the rx grid
  // [A, L, F], and in one stream's row of the equalised symbols [S, N_data].
  std::vector<std::ptrdiff_t> y_column_offset, x_column_offset;
};

/// A run of consecutive OFDM symbols that all carry data: one long row segment in both the rx grid and
/// the equalised symbols, so a frequency-flat filter serves it with one matrix product.
struct DataRun {
  int first_data_symbol = 0;
  int first_ofdm_symbol = 0;
  int count = 0;
};

}  // namespace

struct LinkPipeline::Impl {
  Scenario scenario;
  std::uint64_t seed;
  int batch_size;
  int num_streams;
  phy::GridConfig grid_config;
  phy::ResourceGrid grid;
  std::unique_ptr<phy::ChannelModel> channel_model;
  phy::ChannelDims channel_dims;
  int channel_time_samples;
  std::vector<ChannelGroup> groups;
  std::vector<DataRun> data_runs;
  // Perfect CSI of a frequency-flat channel (AWGN, Rayleigh block fading): one filter per frame and one
  // product over all data REs, instead of one small problem per subcarrier.
  bool flat_perfect_csi = false;
  bool flat_channel = false;
  phy::Mapper mapper;
  std::unique_ptr<phy::Demapper> demapper;

  // Batch tensors (pipeline_tensors()).
  mem::Tensor<std::uint8_t> info_bits, code_bits, decoded_bits;
  mem::Tensor<cf32> tx_grid, channel, rx_grid, pilot_ls, equalized;
  mem::Tensor<float> estimation_error_var, noise_var, llr;

  /// Everything one thread needs; never shared.
  struct Worker {
    std::optional<phy::SubcarrierBatchDetector> detector;  // all subcarriers of a channel group at once
    std::optional<phy::LinearFilter> flat_filter;          // flat channel with perfect CSI
    std::optional<phy::LsChannelEstimator> estimator;
    std::optional<phy::LdpcStreamCodec> codec;
  };
  std::vector<Worker> workers;
  ThreadPool pool;

  Impl(const Scenario& s, std::uint64_t seed_, int batch, int threads, std::pmr::memory_resource* mr);
  void process_frame(Worker& w, int snr_index, double n0, std::uint64_t frame, std::size_t slot, ErrorCounts& out);
  void detect_frame(Worker& w, std::size_t slot, float n0);
  ErrorCounts count_errors(Worker& w, std::size_t slot);
};

namespace {

phy::GridConfig grid_config_of(const Scenario& s) {
  phy::GridConfig g;
  g.num_streams = s.num_streams();
  g.fft_size = s.fft_size;
  g.num_ofdm_symbols = s.num_ofdm_symbols;
  g.pilot_symbols = s.pilot_symbols;
  return g;
}

phy::ChannelConfig channel_config_of(const Scenario& s) {
  phy::ChannelConfig c;
  c.kind = to_phy(s.channel);
  c.num_rx_ant = s.num_bs_ant;
  c.num_tx = s.num_streams();
  c.fft_size = s.fft_size;
  c.num_ofdm_symbols = s.num_ofdm_symbols;
  c.subcarrier_spacing = s.subcarrier_spacing;
  c.cp_length = s.cp_length;
  c.delay_spread = s.delay_spread;
  c.speed = s.speed;
  c.carrier_frequency = s.carrier_frequency;
  return c;
}

template <class T>
mem::Tensor<T> allocate(const std::vector<TensorSpec>& specs, const char* name, std::pmr::memory_resource* mr) {
  for (const auto& spec : specs) {
    if (spec.name == name) return mem::Tensor<T>(spec.name, spec.shape, mr);
  }
  return {};
}

}  // namespace

LinkPipeline::Impl::Impl(const Scenario& s, std::uint64_t seed_, int batch, int threads, std::pmr::memory_resource* mr)
    : scenario(s),
      seed(seed_),
      batch_size(batch),
      num_streams(s.num_streams()),
      grid_config(grid_config_of(s)),
      grid(grid_config, seed_),
      channel_model(phy::make_channel_model(channel_config_of(s))),
      channel_dims(phy::channel_dims(channel_config_of(s))),
      channel_time_samples(channel_model->num_time_samples()),
      mapper(s.modulation),
      demapper(phy::make_demapper(s.modulation, s.demapper == DemapKind::app ? phy::DemapMethod::app
                                                                             : phy::DemapMethod::max_log)),
      pool(threads) {
  // Which data symbols share a channel matrix.
  const int num_data_symbols = grid.num_data_symbols();
  if (s.csi == CsiKind::ls) {
    phy::TimeInterpolation time(grid_config, s.interpolation == InterpolationKind::nearest
                                                 ? phy::InterpolationKind::nearest
                                                 : phy::InterpolationKind::linear);
    for (const auto& g : time.groups()) groups.push_back({g.first, g.count, g.combination, {}, {}});
  } else if (channel_time_samples == 1) {
    groups.push_back({0, num_data_symbols, {}, {}, {}});
  } else {
    for (int d = 0; d < num_data_symbols; ++d) {
      phy::TimeCombination c;
      c.pilot = {grid.data_symbol(d), 0};  // the channel's own time sample of this OFDM symbol
      groups.push_back({d, 1, c, {}, {}});
    }
  }
  const int F = s.fft_size;
  for (auto& g : groups) {
    for (int c = 0; c < g.count; ++c) {
      g.y_column_offset.push_back(static_cast<std::ptrdiff_t>(grid.data_symbol(g.first + c)) * F);
      g.x_column_offset.push_back(static_cast<std::ptrdiff_t>(g.first + c) * F);
    }
  }
  for (int d = 0; d < num_data_symbols; ++d) {
    const int l = grid.data_symbol(d);
    if (!data_runs.empty() && data_runs.back().first_ofdm_symbol + data_runs.back().count == l) {
      ++data_runs.back().count;
    } else {
      data_runs.push_back({d, l, 1});
    }
  }
  flat_channel = channel_model->frequency_flat();
  if (flat_channel != s.channel_frequency_flat()) {
    // pipeline_tensors() sized the channel tensor from the scenario's view of flatness.
    throw std::logic_error("LinkPipeline: the channel model and the scenario disagree on frequency flatness");
  }
  flat_perfect_csi = flat_channel && s.csi == CsiKind::perfect;

  const auto specs = pipeline_tensors(s, batch);
  info_bits = allocate<std::uint8_t>(specs, "info_bits", mr);
  code_bits = allocate<std::uint8_t>(specs, "code_bits", mr);
  tx_grid = allocate<cf32>(specs, "tx_grid", mr);
  channel = allocate<cf32>(specs, "channel", mr);
  rx_grid = allocate<cf32>(specs, "rx_grid", mr);
  pilot_ls = allocate<cf32>(specs, "pilot_ls", mr);
  estimation_error_var = allocate<float>(specs, "estimation_error_var", mr);
  equalized = allocate<cf32>(specs, "equalized_symbols", mr);
  noise_var = allocate<float>(specs, "post_detection_noise_var", mr);
  llr = allocate<float>(specs, "llr", mr);
  decoded_bits = allocate<std::uint8_t>(specs, "decoded_bits", mr);

  workers.resize(static_cast<std::size_t>(pool.size()));
  for (auto& w : workers) {
    if (flat_perfect_csi) {
      w.flat_filter.emplace(to_phy(s.detector), s.num_bs_ant, num_streams);
    } else {
      w.detector.emplace(to_phy(s.detector), s.num_bs_ant, num_streams, s.fft_size);
    }
    if (s.csi == CsiKind::ls) {
      w.estimator.emplace(grid_config, grid.pilots(), s.num_bs_ant,
                          s.interpolation == InterpolationKind::nearest ? phy::InterpolationKind::nearest
                                                                        : phy::InterpolationKind::linear);
    }
    if (s.code == CodeKind::ldpc) {
      phy::LdpcDecoderOptions options;
      options.iterations = s.ldpc_iterations;
      options.check_update = s.ldpc_check_update == CheckUpdate::sum_product ? phy::LdpcCheckUpdate::sum_product
                             : s.ldpc_check_update == CheckUpdate::offset_min_sum
                                 ? phy::LdpcCheckUpdate::offset_min_sum
                                 : phy::LdpcCheckUpdate::normalized_min_sum;
      w.codec.emplace(s.info_bits_per_stream(), s.coded_bits_per_stream(), s.bits_per_symbol(), options);
    }
  }
}

void LinkPipeline::Impl::detect_frame(Worker& w, std::size_t slot, float n0) {
  const int R = scenario.num_bs_ant, S = num_streams, F = scenario.fft_size, L = scenario.num_ofdm_symbols;
  const auto nd = static_cast<std::ptrdiff_t>(grid.num_data_res());
  const cf32* y = rx_grid.frame(slot).data();
  cf32* x_hat = equalized.frame(slot).data();
  float* nv = noise_var.frame(slot).data();

  if (flat_perfect_csi) {
    // One filter for the frame, then W Y over each run of consecutive data symbols.
    // The channel tensor of a flat channel is the frame's one [R, S] matrix.
    w.flat_filter->design(phy::matrix_view(channel.frame(slot).data(), R, S, S, 1), n0, {});
    for (const DataRun& run : data_runs) {
      w.flat_filter->apply(y + static_cast<std::ptrdiff_t>(run.first_ofdm_symbol) * F, static_cast<std::ptrdiff_t>(L) * F,
                           static_cast<std::ptrdiff_t>(run.count) * F,
                           x_hat + static_cast<std::ptrdiff_t>(run.first_data_symbol) * F, nd);
    }
    const auto post = w.flat_filter->post_noise_var();
    for (int s = 0; s < S; ++s) {
      std::fill_n(nv + static_cast<std::ptrdiff_t>(s) * nd, nd, post[static_cast<std::size_t>(s)]);
    }
    return;
  }

  // Every subcarrier of a channel group at once, straight from the tensors.
  const bool ls = w.estimator.has_value();
  const auto T = static_cast<std::ptrdiff_t>(channel_time_samples);
  const auto P = static_cast<std::ptrdiff_t>(grid_config.num_pilot_symbols());
  phy::ChannelGroupView view;
  view.n0 = n0;
  view.y = y;
  view.y_ant_stride = static_cast<std::ptrdiff_t>(L) * F;
  view.x_hat = x_hat;
  view.nv = nv;
  view.x_stream_stride = nd;
  if (ls) {
    // The LS values [A, P, F]; the detector expands them to every subcarrier as it stages each block.
    view.ls = pilot_ls.frame(slot).data();
    view.interpolation = w.estimator->frequency_interpolation();
    view.ant_stride = P * F;
    view.err = estimation_error_var.frame(slot).data();  // [S, P, F]
    view.err_stream_stride = P * F;
  } else {
    view.h = channel.frame(slot).data();  // [R, S, T, F]
    view.ant_stride = S * T * F;
    view.stream_stride = T * F;
  }
  for (const ChannelGroup& g : groups) {
    view.num_terms = ls ? g.combination.num_terms : 1;
    for (int i = 0; i < view.num_terms; ++i) {
      // Perfect CSI: the channel's own time sample, in combination.pilot[0] with weight 1.
      view.term_offset[i] = static_cast<std::ptrdiff_t>(g.combination.pilot[static_cast<std::size_t>(i)]) * F;
      view.err_term_offset[i] = view.term_offset[i];
      view.weight[i] = ls ? g.combination.weight[static_cast<std::size_t>(i)] : 1.0f;
    }
    view.y_column_offset = g.y_column_offset;
    view.x_column_offset = g.x_column_offset;
    w.detector->detect(view);
  }
}

ErrorCounts LinkPipeline::Impl::count_errors(Worker& w, std::size_t slot) {
  const std::size_t k = static_cast<std::size_t>(scenario.info_bits_per_stream());
  const std::size_t n = static_cast<std::size_t>(scenario.coded_bits_per_stream());
  const auto info = info_bits.frame(slot);
  auto decoded = decoded_bits.frame(slot);
  const auto l = llr.frame(slot);
  ErrorCounts counts;
  for (int s = 0; s < num_streams; ++s) {
    const auto info_s = info.subspan(s * k, k);
    auto dec_s = decoded.subspan(s * k, k);
    const auto llr_s = l.subspan(s * n, n);
    if (w.codec) {
      w.codec->decode(llr_s, dec_s);
    } else {
      // Uncoded: hard decision on the LLR (ln P(1)/P(0) > 0 -> 1).
      for (std::size_t i = 0; i < k; ++i) dec_s[i] = llr_s[i] > 0.0f ? 1 : 0;
    }
    const int blocks = w.codec ? w.codec->num_code_blocks() : 1;
    for (int c = 0; c < blocks; ++c) {
      const auto [begin, end] = w.codec ? w.codec->code_block_info_range(c) : std::pair<std::size_t, std::size_t>{0, k};
      std::uint64_t errors = 0;
      for (std::size_t i = begin; i < end; ++i) errors += info_s[i] != dec_s[i];
      counts.bit_errors += errors;
      counts.block_errors += errors != 0;
    }
    counts.num_bits += k;
    counts.num_blocks += static_cast<std::uint64_t>(blocks);
  }
  return counts;
}

void LinkPipeline::Impl::process_frame(Worker& w, int snr_index, double n0, std::uint64_t frame, std::size_t slot,
                                       ErrorCounts& out) {
  const auto snr = static_cast<std::uint32_t>(snr_index);
  const std::size_t k = static_cast<std::size_t>(scenario.info_bits_per_stream());
  const std::size_t n = static_cast<std::size_t>(scenario.coded_bits_per_stream());
  const std::size_t nd = static_cast<std::size_t>(grid.num_data_res());

  // Source and transmitter.
  auto info = info_bits.frame(slot);
  phy::RandomStream(seed, snr, frame, phy::RandomPurpose::info_bits).fill_bits(info);
  std::span<const std::uint8_t> coded = info;
  if (w.codec) {
    auto code = code_bits.frame(slot);
    for (int s = 0; s < num_streams; ++s) w.codec->encode(info.subspan(s * k, k), code.subspan(s * n, n));
    coded = code;
  }
  // The mapper writes each data symbol's row of the grid in place (ResourceGrid::map's layout), then the
  // pilots fill the pilot rows: no [S, N_data] symbol tensor and no copy pass.
  auto grid_tx = tx_grid.frame(slot);
  const auto row_bits =
      static_cast<std::size_t>(scenario.fft_size) * static_cast<std::size_t>(mapper.bits_per_symbol());
  for (int s = 0; s < num_streams; ++s) {
    for (int i = 0; i < grid.num_data_symbols(); ++i) {
      mapper.map(coded.subspan(s * n + static_cast<std::size_t>(i) * row_bits, row_bits),
                 grid.data_row(grid_tx, s, i));
    }
  }
  grid.map_pilots(grid_tx);

  // Channel and noise.
  phy::RandomStream channel_rng(seed, snr, frame, phy::RandomPurpose::channel);
  if (flat_channel) {
    // Every RE sees the same matrix: the channel tensor holds just that [R, S] matrix.
    channel_model->generate_matrix(channel_rng, channel.frame(slot));
    phy::apply_flat_channel(channel.frame(slot), tx_grid.frame(slot), rx_grid.frame(slot), channel_dims);
  } else {
    channel_model->generate(channel_rng, channel.frame(slot));
    phy::apply_channel(channel.frame(slot), channel_time_samples, tx_grid.frame(slot), rx_grid.frame(slot),
                       channel_dims);
  }
  phy::RandomStream noise_rng(seed, snr, frame, phy::RandomPurpose::noise);
  phy::add_awgn(noise_rng, rx_grid.frame(slot), static_cast<float>(n0));

  // Receiver.
  if (w.estimator) {
    w.estimator->estimate_pilots(rx_grid.frame(slot), static_cast<float>(n0), pilot_ls.frame(slot),
                                 estimation_error_var.frame(slot));
  }
  detect_frame(w, slot, static_cast<float>(n0));
  auto l = llr.frame(slot);
  const auto x_hat = equalized.frame(slot);
  const auto nv = noise_var.frame(slot);
  for (int s = 0; s < num_streams; ++s) {
    demapper->demap(x_hat.subspan(s * nd, nd), nv.subspan(s * nd, nd), l.subspan(s * n, n));
  }
  out = count_errors(w, slot);
}

LinkPipeline::LinkPipeline(const Scenario& scenario, std::uint64_t seed, int batch_size, int num_threads,
                           std::pmr::memory_resource* resource)
    : impl_(std::make_unique<Impl>(scenario, seed, batch_size, num_threads, resource)) {}

LinkPipeline::~LinkPipeline() = default;

void LinkPipeline::process_frames(int snr_index, double ebno_db, std::uint64_t first_frame,
                                  std::span<ErrorCounts> per_frame) {
  // The task captures one pointer so that std::function keeps it inline: no heap allocation per batch
  // (tests/sim/pipeline_steady_state_allocation_test).
  struct Batch {
    Impl* impl;
    int snr_index;
    double n0;
    std::uint64_t first_frame;
    std::span<ErrorCounts> per_frame;
  } batch{impl_.get(), snr_index, impl_->scenario.noise_variance(ebno_db), first_frame, per_frame};
  impl_->pool.parallel_for(per_frame.size(), [b = &batch](std::size_t slot, int worker) {
    b->impl->process_frame(b->impl->workers[static_cast<std::size_t>(worker)], b->snr_index, b->n0,
                           b->first_frame + slot, slot, b->per_frame[slot]);
  });
}

int LinkPipeline::max_batch() const { return impl_->batch_size; }

int LinkPipeline::parallelism() const { return impl_->pool.size(); }

std::uint64_t LinkPipeline::info_bits_per_frame() const {
  return static_cast<std::uint64_t>(impl_->scenario.info_bits_per_stream()) *
         static_cast<std::uint64_t>(impl_->num_streams);
}

}  // namespace sixg::sim
