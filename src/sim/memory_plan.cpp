#include "sixg/sim/memory_plan.h"

#include <algorithm>

#include "sixg/phy/detection/subcarrier_batch_detector.h"

namespace sixg::sim {

std::uint64_t seed_formula_bytes(const Scenario& s, int batch_size) {
  // The seed's estimate_batch_memory_mb(): resource grid, channel and bits (as float32), times 2.
  const auto b = static_cast<std::uint64_t>(batch_size);
  const auto tx = static_cast<std::uint64_t>(s.num_ut), streams = static_cast<std::uint64_t>(s.num_ut_ant);
  const auto sym = static_cast<std::uint64_t>(s.num_ofdm_symbols), fft = static_cast<std::uint64_t>(s.fft_size);
  const auto rx = static_cast<std::uint64_t>(s.num_bs_ant);
  const std::uint64_t grid = b * tx * streams * sym * fft * 8;
  const std::uint64_t channel = b * rx * tx * streams * sym * fft * 8;
  const std::uint64_t bits = b * tx * streams * static_cast<std::uint64_t>(s.info_bits_per_stream()) * 4;
  return 2 * (grid + channel + bits);
}

std::uint64_t workspace_bytes_per_thread(const Scenario& s) {
  // Sized from the blocks' own buffers: detector matrices (a few R x S and S x S complex matrices),
  // the LS estimator's tables ([S, F] weights, gains and sources, [P, F] inverse pilots, and the
  // [R, P, F] scratch of its estimate()), and the LDPC decoder's messages
  // (edges x Zc floats plus the codeword's LLRs, bounded by 4 floats per transmitted-or-punctured bit).
  const auto R = static_cast<std::uint64_t>(s.num_bs_ant), S = static_cast<std::uint64_t>(s.num_streams());
  const auto F = static_cast<std::uint64_t>(s.fft_size), P = s.pilot_symbols.size();
  const auto L = static_cast<std::uint64_t>(s.num_data_symbols());
  std::uint64_t bytes = 8 * (4 * R * S + 4 * S * S + (R + S) * L) + 64 * S;
  // The batched detector's staging and factor buffers, as its constructor sizes them.
  bytes += phy::SubcarrierBatchDetector::workspace_bytes(s.num_bs_ant, s.num_streams(), s.fft_size);
  // Source runs: at most F + 2S of 16 bytes, twice that for the vector's growth.
  if (s.csi == CsiKind::ls) bytes += S * F * (16 + 4 + 16) + P * F * 8 + 32 * (F + 2 * S) + R * P * F * 8;
  if (s.code == CodeKind::ldpc) {
    // BG1 lifted: 316 edges x Zc messages + 68 x Zc posterior LLRs; Zc <= 384. Bounded by ~30 floats per
    // information bit of the largest code block (8448 bits), plus the stream's G LLRs.
    const std::uint64_t info = std::min<std::uint64_t>(static_cast<std::uint64_t>(s.info_bits_per_stream()), 8448);
    bytes += info * 30 * 4 + static_cast<std::uint64_t>(s.coded_bits_per_stream()) * 8;
  }
  return bytes;
}

MemoryEstimate estimate_memory(const Scenario& s, int batch_size, int threads, std::uint64_t baseline_bytes) {
  MemoryEstimate e;
  e.batch_size = batch_size;
  e.threads = threads;
  e.tensors = pipeline_tensors(s, batch_size);
  for (const auto& t : e.tensors) e.tensor_bytes += t.bytes();
  e.workspace_bytes = workspace_bytes_per_thread(s) * static_cast<std::uint64_t>(std::max(1, threads));
  e.baseline_bytes = baseline_bytes;
  e.seed_formula_bytes = seed_formula_bytes(s, batch_size);
  return e;
}

BatchPlan plan_batch(const Scenario& s, int threads, std::uint64_t budget_bytes, BudgetSource source, int max_batch,
                     std::uint64_t baseline_bytes) {
  BatchPlan plan;
  plan.budget_bytes = budget_bytes;
  const MemoryEstimate one = estimate_memory(s, 1, threads, baseline_bytes);
  const std::uint64_t per_frame = one.tensor_bytes;
  const std::uint64_t fixed = one.workspace_bytes + one.baseline_bytes;
  int batch = 0;
  if (budget_bytes >= fixed + per_frame) {
    batch = static_cast<int>(std::min<std::uint64_t>((budget_bytes - fixed) / per_frame, 1u << 30));
  }
  const char* budget_name = source == BudgetSource::memory_limit ? "memory-limit"
                            : source == BudgetSource::cgroup     ? "cgroup"
                                                                 : "system";
  if (batch > max_batch) {
    batch = max_batch;
    plan.limited_by = "max-frames";
  } else {
    plan.limited_by = budget_name;
  }
  plan.batch_size = batch;
  plan.estimate = estimate_memory(s, std::max(batch, 1), threads, baseline_bytes);
  return plan;
}

}  // namespace sixg::sim
