#include "protocol/crc32.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace twinlog::protocol {
namespace {

std::vector<std::byte> random_bytes(std::size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::vector<std::byte> out(n);
  for (auto& b : out) b = static_cast<std::byte>(gen() & 0xff);
  return out;
}

TEST(Crc32, KnownValue) {
  const std::string_view text = "123456789";
  EXPECT_EQ(crc32_update(0, as_bytes(text)), 0xcbf43926u);
  EXPECT_EQ(crc32_update(0, {}), 0u);
}

// Every length around the fold's block sizes (16, 64) and some large ones, at
// unaligned starts, agrees with zlib.
TEST(Crc32, AgreesWithZlibForEveryLengthAndAlignment) {
  const auto data = random_bytes(70000, 1);
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 300; ++n) lengths.push_back(n);
  for (std::size_t n : {511u, 512u, 513u, 4095u, 8192u, 8207u, 65536u, 69000u})
    lengths.push_back(n);
  for (std::size_t start = 0; start < 4; ++start) {
    for (std::size_t n : lengths) {
      const Bytes b(data.data() + start, n);
      ASSERT_EQ(crc32_update(0, b), crc32_update_zlib(0, b)) << "length " << n << " at " << start;
    }
  }
}

TEST(Crc32, ContinuesAPreviousCrc) {
  const auto data = random_bytes(1000, 2);
  const Bytes all(data.data(), data.size());
  for (std::size_t split : {0u, 1u, 19u, 64u, 100u, 999u, 1000u}) {
    EXPECT_EQ(crc32_update(crc32_update(0, all.first(split)), all.subspan(split)),
              crc32_update_zlib(0, all))
        << "split at " << split;
  }
}

}  // namespace
}  // namespace twinlog::protocol
