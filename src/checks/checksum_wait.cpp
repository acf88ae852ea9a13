#include "src/checks/checksum_wait.h"

#include <charconv>
#include <chrono>
#include <future>
#include <thread>

#include "src/checks/checksum_catch_up.h"
#include "src/report/concat.h"
#include "src/server/server_statements.h"

namespace twinlog::checks {
namespace {

// One master as the other waits for it, and as it waits for the other.
struct Side {
  ServerFlavor flavor;
  OriginPosition position;
  std::vector<ReplicaConnection> connections;
};

std::optional<uint64_t> number(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || p != text->data() + text->size()) return std::nullopt;
  return v;
}

std::string column_text(const Connection::Rows& rows, std::size_t row, std::string_view name) {
  const int i = rows.column(name);
  if (i < 0 || !rows.rows[row][static_cast<std::size_t>(i)]) return "";
  return *rows.rows[row][static_cast<std::size_t>(i)];
}

Side read_side(Connection& c) {
  Side side;
  side.flavor = server_flavor(c.server_version());
  const auto statements = statements_for(side.flavor);
  auto id = c.query("SELECT @@server_id");
  if (!id.rows.empty())
    side.position.server_id = static_cast<uint32_t>(number(id.rows[0][0]).value_or(0));
  auto status = c.query(statements.binlog_status);
  if (!status.rows.empty()) {
    side.position.file = column_text(status, 0, "File");
    side.position.position = column_text(status, 0, "Position");
  }
  auto gtids = c.query(side.flavor.is_mariadb()
                           ? "SELECT @@gtid_binlog_state"
                           : "SELECT IF(@@global.gtid_mode = 'ON', @@global.gtid_executed, '')");
  if (!gtids.rows.empty() && gtids.rows[0][0]) side.position.gtids = *gtids.rows[0][0];
  auto replica = c.query(statements.replica_status);
  for (std::size_t r = 0; r < replica.rows.size(); ++r) {
    ReplicaConnection rc;
    rc.name = side.flavor.is_mariadb() ? column_text(replica, r, "Connection_name")
                                       : column_text(replica, r, "Channel_Name");
    rc.source_server_id = static_cast<uint32_t>(
        number(column_text(replica, r, statements.source_id_column)).value_or(0));
    const std::string using_gtid = column_text(replica, r, "Using_Gtid");
    rc.gtid = side.flavor.is_mariadb() ? !using_gtid.empty() && using_gtid != "No"
                                       : column_text(replica, r, "Auto_Position") == "1";
    side.connections.push_back(std::move(rc));
  }
  return side;
}

// "" when caught up, else why not.
std::string wait_for(Connection& connection, const Side& replica, const Side& origin,
                     unsigned timeout_seconds) {
  const ReplicaConnection* from = nullptr;
  for (const auto& rc : replica.connections) {
    if (rc.source_server_id == origin.position.server_id) from = &rc;
  }
  if (from == nullptr) return "does not replicate from it";
  const CatchUpWait wait = catch_up_wait(replica.flavor, replica.position.server_id, *from,
                                         origin.position, timeout_seconds);
  if (wait.kind == WaitKind::kNothing) return "";
  auto rows = connection.query(wait.sql);
  const std::optional<std::string> result = rows.rows.empty() ? std::nullopt : rows.rows[0][0];
  const std::string failure = wait_failure(wait.kind, result);
  return failure.empty() ? failure : report::concat(failure, ": ", wait.sql);
}

std::string where(const Side& side) {
  std::string out =
      side.position.file.empty() ? "?" : side.position.file + ":" + side.position.position;
  if (!side.position.gtids.empty()) out.append(", GTIDs ").append(side.position.gtids);
  return out;
}

}  // namespace

void wait_caught_up(Connection& a, Connection& b, unsigned timeout_seconds, const Notice& notice) {
  const Side side_a = read_side(a);
  const Side side_b = read_side(b);
  auto on_b =
      std::async(std::launch::async, [&] { return wait_for(b, side_b, side_a, timeout_seconds); });
  const std::string on_a = wait_for(a, side_a, side_b, timeout_seconds);
  const std::string b_result = on_b.get();
  if (!on_a.empty()) notice(report::concat("A ", on_a, " (B's binlog at ", where(side_b), ")"));
  if (!b_result.empty())
    notice(report::concat("B ", b_result, " (A's binlog at ", where(side_a), ")"));
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
