// The executable's contract basics: --version and --help exit 0, unknown options exit 2.
#include <gtest/gtest.h>

#include "support/run_command.h"

TEST(Cli, VersionExitsZeroAndPrintsVersion) {
  auto r = sixg::test::run_sixg({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("sixg"), std::string::npos);
}

TEST(Cli, UnknownOptionExitsTwo) {
  auto r = sixg::test::run_sixg({"--no-such-option"});
  EXPECT_EQ(r.exit_code, 2);
}
