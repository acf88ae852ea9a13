// When `twinlog checksum` pauses: a master's Threads_running or replica lag
// above its limit, and only then.
#include "src/checks/checksum_wait.h"

#include <gtest/gtest.h>

namespace twinlog::checks {
namespace {

TEST(ChecksumThrottle, OverLimits) {
  ThrottleLimits limits;
  EXPECT_EQ(over_limits({100, 1000}, limits), "");  // no limits, never busy
  limits.max_threads_running = 25;
  limits.max_lag_seconds = 10;
  EXPECT_EQ(over_limits({25, 10}, limits), "");
  EXPECT_EQ(over_limits({26, 0}, limits), "Threads_running 26 > 25");
  EXPECT_EQ(over_limits({1, 11}, limits), "replica lag 11 s > 10 s");
  EXPECT_EQ(over_limits({1, std::nullopt}, limits), "");  // lag unknown: not a reason to wait
}

}  // namespace
}  // namespace twinlog::checks
