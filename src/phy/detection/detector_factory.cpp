#include <stdexcept>
#include <string>

#include "sixg/phy/detection/detector.h"
#include "sixg/phy/detection/lmmse_detector.h"
#include "sixg/phy/detection/mrc_detector.h"
#include "sixg/phy/detection/zf_detector.h"

namespace sixg::phy {

std::unique_ptr<Detector> make_detector(DetectorKind kind, int num_rx_ant, int num_streams) {
  if (num_rx_ant < 1) throw invalid_config("--num-bs-ant", "--num-bs-ant: the detector needs at least one antenna");
  if (num_streams < 1) throw invalid_config("--num-ut", "--num-ut: the detector needs at least one stream");
  switch (kind) {
    case DetectorKind::mrc: return std::make_unique<MrcDetector>(num_rx_ant, num_streams);
    case DetectorKind::zf:
      if (num_rx_ant < num_streams) {
        throw invalid_config("--num-bs-ant", "--num-bs-ant: zf needs at least as many BS antennas as streams (" +
                                                 std::to_string(num_streams) + "), got " +
                                                 std::to_string(num_rx_ant));
      }
      return std::make_unique<ZfDetector>(num_rx_ant, num_streams);
    case DetectorKind::lmmse: return std::make_unique<LmmseDetector>(num_rx_ant, num_streams);
  }
  throw std::invalid_argument("make_detector: unknown detector kind");
}

}  // namespace sixg::phy
