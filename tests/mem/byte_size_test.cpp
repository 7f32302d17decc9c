#include "sixg/mem/byte_size.h"

#include <gtest/gtest.h>

using sixg::mem::format_bytes;
using sixg::mem::parse_byte_size;

TEST(ByteSize, ParsesBinaryAndDecimalUnits) {
  EXPECT_EQ(parse_byte_size("512MiB"), 512ull << 20);
  EXPECT_EQ(parse_byte_size("4GiB"), 4ull << 30);
  EXPECT_EQ(parse_byte_size("1.5GiB"), 3ull << 29);
  EXPECT_EQ(parse_byte_size("2GB"), 2'000'000'000ull);
  EXPECT_EQ(parse_byte_size("10KB"), 10'000ull);
  EXPECT_EQ(parse_byte_size("1000"), 1000ull);
  EXPECT_EQ(parse_byte_size("64 B"), 64ull);
}

TEST(ByteSize, RejectsGarbage) {
  EXPECT_FALSE(parse_byte_size(""));
  EXPECT_FALSE(parse_byte_size("abc"));
  EXPECT_FALSE(parse_byte_size("-5MiB"));
  EXPECT_FALSE(parse_byte_size("5 parsecs"));
  EXPECT_FALSE(parse_byte_size("5mib"));
  EXPECT_FALSE(parse_byte_size("99999999999999TiB"));
}

TEST(ByteSize, FormatsInBinaryUnits) {
  EXPECT_EQ(format_bytes(100), "100 B");
  EXPECT_EQ(format_bytes(512ull << 20), "512.00 MiB");
  EXPECT_EQ(format_bytes(3ull << 29), "1.50 GiB");
}
