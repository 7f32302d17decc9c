#include "progress_table.h"

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>

namespace sixg::cli {

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

ProgressTable::ProgressTable(std::FILE* out, bool enabled)
    : out_(out), enabled_(enabled), live_(enabled && ::isatty(::fileno(out)) != 0) {}

void ProgressTable::header() {
  if (!enabled_) return;
  fmt::print(out_, "{:>9} | {:>9} | {:>9} | {:>10} | {:>10} | {:>12} | {:>10} | {:>11} | {:>8} | {}\n", "EbNo [dB]",
             "BER", "BLER", "bit errors", "num bits", "block errors", "num blocks", "runtime [s]", "Mbit/s", "status");
  fmt::print(out_, "{}\n", std::string(125, '-'));
  std::fflush(out_);
}

void ProgressTable::row(const sixg::sim::PointResult& p, bool final_row) {
  fmt::print(out_, "{}{:>9.2f} | {:>9.3e} | {:>9.3e} | {:>10} | {:>10} | {:>12} | {:>10} | {:>11.2f} | {:>8.2f} | {}{}",
             live_ ? "\r" : "", p.ebno_db, p.ber(), p.bler(), p.counts.bit_errors, p.counts.num_bits,
             p.counts.block_errors, p.counts.num_blocks, p.runtime_s, p.throughput_bits_per_s() / 1e6,
             sixg::sim::status_name(p.status), final_row || !live_ ? "\n" : "");
  std::fflush(out_);
}

void ProgressTable::progress(const sixg::sim::PointResult& point) {
  if (!enabled_) return;
  const double t = now_s();
  if (live_) {
    if (t - last_print_s_ < 0.2) return;  // a terminal needs no more than ~5 updates a second
    last_print_s_ = t;
    row(point, false);
  } else if (last_print_s_ < 0 || t - last_print_s_ >= 10.0) {
    // Logs get a line every 10 s of a long point, so a user piping stderr still sees progress.
    if (last_print_s_ >= 0) row(point, false);
    last_print_s_ = t;
  }
}

void ProgressTable::done(const sixg::sim::PointResult& point) {
  if (!enabled_) return;
  row(point, true);
  last_print_s_ = -1.0;
}

}  // namespace sixg::cli
