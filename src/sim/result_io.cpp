#include "sixg/sim/result_io.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "sixg/phy/modulation_names.h"

namespace sixg::sim {
namespace {

const char* channel_name(ChannelKind c) {
  switch (c) {
    case ChannelKind::awgn: return "awgn";
    case ChannelKind::rayleigh: return "rayleigh";
    case ChannelKind::tdl_a: return "tdl-a";
    case ChannelKind::tdl_b: return "tdl-b";
    case ChannelKind::tdl_c: return "tdl-c";
    case ChannelKind::tdl_d: return "tdl-d";
    case ChannelKind::tdl_e: return "tdl-e";
  }
  return "?";
}

const char* check_update_name(CheckUpdate c) {
  switch (c) {
    case CheckUpdate::normalized_min_sum: return "nms";
    case CheckUpdate::offset_min_sum: return "oms";
    case CheckUpdate::sum_product: return "spa";
  }
  return "?";
}

PointStatus status_from_name(const std::string& name) {
  for (PointStatus s : {PointStatus::running, PointStatus::reached_max_frames, PointStatus::reached_target_block_errors,
                        PointStatus::reached_target_bit_errors, PointStatus::no_errors_early_stop,
                        PointStatus::target_bler_reached, PointStatus::skipped, PointStatus::interrupted}) {
    if (status_name(s) == name) return s;
  }
  throw std::runtime_error(fmt::format("unknown point status '{}'", name));
}

}  // namespace

nlohmann::json scenario_to_json(const Scenario& s) {
  nlohmann::json pilots = nlohmann::json::array();
  for (int l : s.pilot_symbols) pilots.push_back(l);
  return {
      {"num_bs_ant", s.num_bs_ant},
      {"num_ut", s.num_ut},
      {"num_ut_ant", s.num_ut_ant},
      {"fft_size", s.fft_size},
      {"num_ofdm_symbols", s.num_ofdm_symbols},
      {"subcarrier_spacing", s.subcarrier_spacing},
      {"cp_length", s.cp_length},
      {"pilot_symbols", pilots},
      {"modulation", std::string(phy::modulation_name(s.modulation))},
      {"code", s.code == CodeKind::ldpc ? "ldpc" : "none"},
      {"coderate", s.coderate},
      {"ldpc_iterations", s.ldpc_iterations},
      {"ldpc_check_update", check_update_name(s.ldpc_check_update)},
      {"channel", channel_name(s.channel)},
      {"delay_spread", s.delay_spread},
      {"speed", s.speed},
      {"carrier_frequency", s.carrier_frequency},
      {"csi", s.csi == CsiKind::ls ? "ls" : "perfect"},
      {"interpolation", s.interpolation == InterpolationKind::nearest ? "nn" : "lin"},
      {"detector", s.detector == DetectorKind::lmmse ? "lmmse" : s.detector == DetectorKind::zf ? "zf" : "mrc"},
      {"demapper", s.demapper == DemapKind::max_log ? "max-log" : "app"},
  };
}

nlohmann::json run_config_to_json(const RunConfig& r) {
  auto opt = [](const auto& o) -> nlohmann::json { return o ? nlohmann::json(*o) : nlohmann::json(nullptr); };
  return {
      {"ebno", r.ebno_db},
      {"batch_size", r.batch_size},
      {"max_frames", r.max_frames},
      {"target_block_errors", opt(r.target_block_errors)},
      {"target_bit_errors", opt(r.target_bit_errors)},
      {"target_bler", opt(r.target_bler)},
      {"early_stop", r.early_stop},
      {"seed", r.seed},
      {"threads", r.threads},
  };
}

nlohmann::json points_to_json(const SweepResult& result) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : result.points) {
    points.push_back({
        {"ebno_db", p.ebno_db},
        {"ber", p.ber()},
        {"bler", p.bler()},
        {"bit_errors", p.counts.bit_errors},
        {"num_bits", p.counts.num_bits},
        {"block_errors", p.counts.block_errors},
        {"num_blocks", p.counts.num_blocks},
        {"num_frames", p.num_frames},
        {"runtime_s", p.runtime_s},
        {"throughput_bits_per_s", p.throughput_bits_per_s()},
        {"status", std::string(status_name(p.status))},
    });
  }
  return points;
}

SweepResult points_from_json(const nlohmann::json& doc) {
  SweepResult result;
  try {
    for (const auto& p : doc.at("points")) {
      PointResult point;
      point.ebno_db = p.at("ebno_db").get<double>();
      point.counts.bit_errors = p.at("bit_errors").get<std::uint64_t>();
      point.counts.num_bits = p.at("num_bits").get<std::uint64_t>();
      point.counts.block_errors = p.at("block_errors").get<std::uint64_t>();
      point.counts.num_blocks = p.at("num_blocks").get<std::uint64_t>();
      point.num_frames = p.at("num_frames").get<std::uint64_t>();
      point.runtime_s = p.at("runtime_s").get<double>();
      point.status = status_from_name(p.at("status").get<std::string>());
      result.points.push_back(point);
      if (point.status == PointStatus::interrupted) result.interrupted = true;
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(fmt::format("malformed result JSON: {}", e.what()));
  }
  return result;
}

std::string points_to_csv(const SweepResult& result) {
  std::string out =
      "ebno_db,ber,bler,bit_errors,num_bits,block_errors,num_blocks,num_frames,runtime_s,throughput_bits_per_s,status\n";
  for (const auto& p : result.points) {
    out += fmt::format("{},{:.6e},{:.6e},{},{},{},{},{},{:.3f},{:.6e},{}\n", p.ebno_db, p.ber(), p.bler(),
                       p.counts.bit_errors, p.counts.num_bits, p.counts.block_errors, p.counts.num_blocks,
                       p.num_frames, p.runtime_s, p.throughput_bits_per_s(), status_name(p.status));
  }
  return out;
}

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(err)));
    }
    written += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  }
}

}  // namespace sixg::sim
