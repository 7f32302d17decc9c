// The uncoded link against closed-form theory (issue 4): the whole pipeline (bits, QAM, resource grid,
// channel, AWGN, detection, demapping, error counting) with perfect CSI, no pilots and no CP, so the
// per-stream Es/N0 is S_tx · m · Eb/N0 (DESIGN §3, Sionna's ebnodb2no).
//
// Tolerance: frames are independent (each has its own channel realisation), bits inside a frame are
// not, so the check is |BER − theory| < z · (standard error of the mean per-frame BER), with z from a
// Bonferroni bound over all comparisons of this file (family false-alarm probability 1e-3).
#include <gtest/gtest.h>

#include "sim/link_harness.h"
#include "sixg/phy/channel/tdl_profile.h"
#include "support/confidence.h"
#include "support/theory.h"

using namespace sixg;
using namespace sixg::test;
using sim::ChannelKind;
using sim::DetectorKind;

namespace {

const double kZ = bonferroni_z(1e-3, 40);

::testing::AssertionResult matches_theory(const FrameStatistics& st, double theory) {
  const double tolerance = kZ * st.ber_stderr;
  if (st.bit_errors < 100) {
    return ::testing::AssertionFailure() << "too few errors (" << st.bit_errors << ") for a meaningful check";
  }
  if (std::abs(st.ber - theory) <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "BER " << st.ber << " vs theory " << theory << " (|diff| "
                                       << std::abs(st.ber - theory) << " > " << kZ << " x stderr " << st.ber_stderr
                                       << ", " << st.bit_errors << " errors in " << st.num_bits << " bits)";
}

sim::Scenario with(ChannelKind channel, DetectorKind detector, int bs_ant, int num_ut, int ut_ant,
                   phy::Modulation modulation = phy::Modulation::qpsk) {
  sim::Scenario s = theory_scenario();
  s.channel = channel;
  s.detector = detector;
  s.num_bs_ant = bs_ant;
  s.num_ut = num_ut;
  s.num_ut_ant = ut_ant;
  s.modulation = modulation;
  return s;
}

}  // namespace

TEST(LinkTheory, GrayQamOverAwgnIsExact) {
  const std::pair<phy::Modulation, double> cases[] = {{phy::Modulation::qpsk, 4.0},
                                                      {phy::Modulation::qpsk, 8.0},
                                                      {phy::Modulation::qam16, 8.0},
                                                      {phy::Modulation::qam64, 12.0},
                                                      {phy::Modulation::qam256, 16.0}};
  for (auto [modulation, ebno] : cases) {
    const auto s = with(ChannelKind::awgn, DetectorKind::zf, 1, 1, 1, modulation);
    const auto st = summarize(run_frames(s, ebno, 3000));
    EXPECT_TRUE(matches_theory(st, gray_qam_ber_awgn(s.bits_per_symbol(), es_n0(s, ebno))))
        << s.bits_per_symbol() << " bits/symbol at " << ebno << " dB";
  }
}

TEST(LinkTheory, TwoStreamsPerUtGetTheSionnaEsFactor) {
  // One UT with two antennas: Sionna's ebnodb2no divides Es by the streams per UT, so each stream's
  // Es/N0 is 2 · m · Eb/N0 (3.01 dB above a per-stream Eb/N0).
  const auto s = with(ChannelKind::awgn, DetectorKind::zf, 2, 1, 2, phy::Modulation::qam16);
  const double ebno = 5.0;
  const auto st = summarize(run_frames(s, ebno, 3000));
  EXPECT_TRUE(matches_theory(st, gray_qam_ber_awgn(4, 2 * 4 * db_to_linear(ebno))));
}

TEST(LinkTheory, RayleighMrcHasDiversityL) {
  for (auto [branches, ebno] : {std::pair{1, 10.0}, {2, 5.0}, {4, 0.0}}) {
    auto s = with(ChannelKind::rayleigh, DetectorKind::mrc, branches, 1, 1);
    s.fft_size = 16;
    s.num_ofdm_symbols = 1;  // a frame is one channel draw: many short frames average the fading
    const auto st = summarize(run_frames(s, ebno, 40000, 256));
    // QPSK per bit: Eb/N0 per branch = (Es/N0) / 2 = Eb/N0 here (S_tx = 1).
    EXPECT_TRUE(matches_theory(st, bpsk_ber_rayleigh_mrc(branches, db_to_linear(ebno)))) << "L = " << branches;
  }
}

TEST(LinkTheory, ZfOverRayleighHasDiversityNrMinusNtPlusOne) {
  // Two single-antenna UTs and four BS antennas: L = 3, per-bit SNR Eb/N0.
  {
    auto s = with(ChannelKind::rayleigh, DetectorKind::zf, 4, 2, 1);
    s.fft_size = 16;
    s.num_ofdm_symbols = 1;
    const double ebno = 3.0;
    const auto st = summarize(run_frames(s, ebno, 30000, 256));
    EXPECT_TRUE(matches_theory(st, bpsk_ber_rayleigh_mrc(3, db_to_linear(ebno)))) << "2 UTs x 1 antenna";
  }
  // One UT with two antennas: same L = 3, but each stream's Es/N0 is doubled (streams-per-UT factor).
  {
    auto s = with(ChannelKind::rayleigh, DetectorKind::zf, 4, 1, 2);
    s.fft_size = 16;
    s.num_ofdm_symbols = 1;
    const double ebno = 0.0;
    const auto st = summarize(run_frames(s, ebno, 30000, 256));
    EXPECT_TRUE(matches_theory(st, bpsk_ber_rayleigh_mrc(3, 2 * db_to_linear(ebno)))) << "1 UT x 2 antennas";
  }
  // 16-QAM, three single-antenna UTs, four antennas: L = 2, averaged exact QAM rate.
  {
    auto s = with(ChannelKind::rayleigh, DetectorKind::zf, 4, 3, 1, phy::Modulation::qam16);
    s.fft_size = 16;
    s.num_ofdm_symbols = 1;
    const double ebno = 10.0;
    const auto st = summarize(run_frames(s, ebno, 30000, 256));
    EXPECT_TRUE(matches_theory(st, gray_qam_ber_gamma_fading(4, es_n0(s, ebno), 2))) << "16-QAM, L = 2";
  }
}

TEST(LinkTheory, TdlAToCArePerReRayleighAndDToERician) {
  // Perfect CSI, one antenna, one stream: each RE sees a complex Gaussian (A-C) or Rician (D, E) gain of
  // unit mean power, so the BER is the flat-fading one — this checks the tap power normalisation and the
  // LoS tap.
  const double ebno = 10.0;
  for (ChannelKind kind : {ChannelKind::tdl_a, ChannelKind::tdl_b, ChannelKind::tdl_c}) {
    auto s = with(kind, DetectorKind::zf, 1, 1, 1);
    const auto st = summarize(run_frames(s, ebno, 6000, 128));
    EXPECT_TRUE(matches_theory(st, bpsk_ber_rayleigh_mrc(1, db_to_linear(ebno)))) << "TDL " << static_cast<int>(kind);
  }
  for (auto [kind, phy_kind] : {std::pair{ChannelKind::tdl_d, phy::ChannelModelKind::tdl_d},
                                {ChannelKind::tdl_e, phy::ChannelModelKind::tdl_e}}) {
    auto s = with(kind, DetectorKind::zf, 1, 1, 1);
    const double k_factor = phy::tdl_profile(phy_kind).rician_k_factor();
    const double ebno_rician = 6.0;
    const auto st = summarize(run_frames(s, ebno_rician, 6000, 128));
    EXPECT_TRUE(matches_theory(st, bpsk_ber_rician(db_to_linear(ebno_rician), k_factor)))
        << "TDL " << static_cast<int>(kind) << ", K = " << 10 * std::log10(k_factor) << " dB";
  }
}

TEST(LinkTheory, LmmseIsNotWorseThanZfOnTheSameFrames) {
  auto s = with(ChannelKind::rayleigh, DetectorKind::zf, 4, 4, 1);
  s.fft_size = 16;
  s.num_ofdm_symbols = 1;
  const double ebno = 4.0;
  const auto zf = run_frames(s, ebno, 20000, 256);
  s.detector = DetectorKind::lmmse;
  const auto lmmse = run_frames(s, ebno, 20000, 256);  // same seed: the same bits, channels and noise
  // Paired comparison: mean and standard error of the per-frame BER difference.
  double sum = 0, sum2 = 0;
  for (std::size_t i = 0; i < zf.size(); ++i) {
    const double d = (static_cast<double>(lmmse[i].bit_errors) - static_cast<double>(zf[i].bit_errors)) /
                     static_cast<double>(zf[i].num_bits);
    sum += d;
    sum2 += d * d;
  }
  const double n = static_cast<double>(zf.size());
  const double mean = sum / n;
  const double stderr_diff = std::sqrt(std::max(0.0, sum2 / n - mean * mean) / (n - 1));
  EXPECT_LE(mean, kZ * stderr_diff) << "LMMSE BER exceeds ZF BER by " << mean;
  EXPECT_LT(summarize(lmmse).ber, summarize(zf).ber);  // at Nr = Nt the gain is large, not marginal
}
