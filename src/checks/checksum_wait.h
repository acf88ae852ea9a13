// What `twinlog checksum` waits for, read-only, between chunks:
//   - catch-up: before a differing chunk is read again, each master waits until
//     it has applied the other's binlog up to the other's current position
//     (its GTIDs or its binlog file and position, read on one, waited for on the
//     other, both at once: checksum_catch_up.h), so rows still in flight between
//     them are not reported;
//   - throttle: while Threads_running on a master is above a limit, or its
//     replica lag (Seconds_Behind_Master) is above one, it pauses and says so.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "src/server/connection.h"

namespace twinlog::checks {

using Notice = std::function<void(const std::string&)>;

// Waits, at most `timeout_seconds`, until A has applied B's binlog to B's
// current position and B A's. Says through `notice` when a master does not
// replicate from the other or the wait timed out.
void wait_caught_up(Connection& a, Connection& b, unsigned timeout_seconds, const Notice& notice);

struct ThrottleLimits {
  std::optional<uint64_t> max_threads_running;  // nullopt: no limit
  std::optional<uint64_t> max_lag_seconds;
};

// One master's load: Threads_running, and its replica lag (nullopt when it does
// not replicate or the lag is unknown).
struct MasterLoad {
  uint64_t threads_running = 0;
  std::optional<uint64_t> lag_seconds;
};
MasterLoad read_load(Connection& connection);

// Why the master is too busy ("Threads_running 40 > 25"), or empty.
std::string over_limits(const MasterLoad& load, const ThrottleLimits& limits);

// Pauses while either master is over a limit, checking once a second, and says
// when it starts and stops pausing.
void throttle(Connection& a, Connection& b, const ThrottleLimits& limits, const Notice& notice);

}  // namespace twinlog::checks
