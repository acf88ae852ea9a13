#include "src/checks/checksum_wait.h"

#include <charconv>
#include <chrono>
#include <future>
#include <thread>

#include "src/checks/checksum_values.h"
#include "src/server/server_statements.h"

namespace twinlog::checks {
namespace {

struct BinlogPosition {
  std::string file;
  std::string position;
};

std::optional<BinlogPosition> binlog_position(Connection& c) {
  const auto statements = statements_for(server_flavor(c.server_version()));
  auto rows = c.query(statements.binlog_status);
  const int file = rows.column("File"), pos = rows.column("Position");
  if (rows.rows.empty() || file < 0 || pos < 0) return std::nullopt;
  const auto& row = rows.rows.front();
  if (!row[file] || !row[pos]) return std::nullopt;
  return BinlogPosition{*row[file], *row[pos]};
}

// "" when caught up, else why not.
std::string wait_for(Connection& replica, const std::optional<BinlogPosition>& origin,
                     unsigned timeout_seconds) {
  if (!origin) return "has no binlog position to wait for";
  auto rows = replica.query("SELECT MASTER_POS_WAIT(CONVERT(" + hex_literal(origin->file) +
                            " USING utf8mb4), " + origin->position + ", " +
                            std::to_string(timeout_seconds) + ")");
  if (rows.rows.empty() || !rows.rows[0][0]) return "does not replicate from it";
  if (*rows.rows[0][0] == "-1") return "timed out waiting";
  return "";
}

std::optional<uint64_t> number(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || p != text->data() + text->size()) return std::nullopt;
  return v;
}

}  // namespace

void wait_caught_up(Connection& a, Connection& b, unsigned timeout_seconds, const Notice& notice) {
  const auto pos_a = binlog_position(a);
  const auto pos_b = binlog_position(b);
  auto on_b = std::async(std::launch::async, [&] { return wait_for(b, pos_a, timeout_seconds); });
  const std::string on_a = wait_for(a, pos_b, timeout_seconds);
  const std::string b_result = on_b.get();
  if (!on_a.empty())
    notice("A " + on_a + " (B's binlog at " + (pos_b ? pos_b->file + ":" + pos_b->position : "?") +
           ")");
  if (!b_result.empty())
    notice("B " + b_result + " (A's binlog at " +
           (pos_a ? pos_a->file + ":" + pos_a->position : "?") + ")");
}

MasterLoad read_load(Connection& connection) {
  MasterLoad load;
  auto status = connection.query("SHOW GLOBAL STATUS LIKE 'Threads_running'");
  if (!status.rows.empty() && status.rows[0].size() > 1)
    load.threads_running = number(status.rows[0][1]).value_or(0);
  const auto statements = statements_for(server_flavor(connection.server_version()));
  auto replica = connection.query(statements.replica_status);
  const int lag =
      std::max(replica.column("Seconds_Behind_Master"), replica.column("Seconds_Behind_Source"));
  for (const auto& row : replica.rows) {
    if (lag < 0) break;
    if (auto v = number(row[lag]); v && (!load.lag_seconds || *v > *load.lag_seconds))
      load.lag_seconds = v;
  }
  return load;
}

std::string over_limits(const MasterLoad& load, const ThrottleLimits& limits) {
  if (limits.max_threads_running && load.threads_running > *limits.max_threads_running)
    return "Threads_running " + std::to_string(load.threads_running) + " > " +
           std::to_string(*limits.max_threads_running);
  if (limits.max_lag_seconds && load.lag_seconds && *load.lag_seconds > *limits.max_lag_seconds)
    return "replica lag " + std::to_string(*load.lag_seconds) + " s > " +
           std::to_string(*limits.max_lag_seconds) + " s";
  return "";
}

void throttle(Connection& a, Connection& b, const ThrottleLimits& limits, const Notice& notice) {
  if (!limits.max_threads_running && !limits.max_lag_seconds) return;
  bool paused = false;
  for (;;) {
    std::string why = over_limits(read_load(a), limits);
    if (!why.empty()) why.insert(0, "A: ");
    if (why.empty()) {
      why = over_limits(read_load(b), limits);
      if (!why.empty()) why.insert(0, "B: ");
    }
    if (why.empty()) break;
    if (!paused) notice("pausing: " + why);
    paused = true;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  if (paused) notice("resuming");
}

}  // namespace twinlog::checks
