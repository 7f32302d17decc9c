#include <cmath>
#include <memory>
#include <string>

#include "sixg/phy/channel/awgn_channel.h"
#include "sixg/phy/channel/channel_model.h"
#include "sixg/phy/channel/rayleigh_block_fading.h"
#include "sixg/phy/channel/tdl_channel.h"
#include "sixg/phy/channel/tdl_profile.h"

namespace sixg::phy {

namespace {

void require(bool ok, const char* option, const std::string& what) {
  if (!ok) throw invalid_config(option, std::string(option) + ": " + what);
}

}  // namespace

void validate_channel_config(const ChannelConfig& c) {
  require(c.num_rx_ant >= 1, "--num-bs-ant", "must be at least 1");
  require(c.num_tx >= 1, "--num-ut", "the number of streams (num-ut x num-ut-ant) must be at least 1");
  require(c.fft_size >= 1, "--fft-size", "must be at least 1");
  require(c.num_ofdm_symbols >= 1, "--num-ofdm-symbols", "must be at least 1");
  require(c.subcarrier_spacing > 0 && std::isfinite(c.subcarrier_spacing), "--subcarrier-spacing",
          "must be a positive frequency in Hz (e.g. 30e3)");
  require(c.cp_length >= 0, "--cp-length", "must be at least 0");
  require(c.delay_spread >= 0 && std::isfinite(c.delay_spread), "--delay-spread",
          "must be a non-negative time in s (e.g. 100e-9)");
  require(c.speed >= 0 && std::isfinite(c.speed), "--speed", "must be a non-negative speed in m/s");
  require(c.carrier_frequency > 0 && std::isfinite(c.carrier_frequency), "--carrier-frequency",
          "must be a positive frequency in Hz (e.g. 3.5e9)");
}

std::unique_ptr<ChannelModel> make_channel_model(const ChannelConfig& config) {
  switch (config.kind) {
    case ChannelModelKind::awgn: return std::make_unique<AwgnChannel>(config);
    case ChannelModelKind::rayleigh: return std::make_unique<RayleighBlockFading>(config);
    case ChannelModelKind::tdl_a:
    case ChannelModelKind::tdl_b:
    case ChannelModelKind::tdl_c:
    case ChannelModelKind::tdl_d:
    case ChannelModelKind::tdl_e: return std::make_unique<TdlChannel>(config, tdl_profile(config.kind));
  }
  throw invalid_config("--channel", "--channel: unknown channel model");
}

}  // namespace sixg::phy
