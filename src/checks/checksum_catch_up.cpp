#include "src/checks/checksum_catch_up.h"

#include <charconv>
#include <map>

#include "src/checks/checksum_values.h"

namespace twinlog::checks {
namespace {

std::string literal(std::string_view text) {
  return sql_literal(ValueColumn{"", ValueKind::kText, 0}, text);
}

// ", 'name'" for a named connection or channel, nothing for the default one.
std::string connection_argument(const ReplicaConnection& connection) {
  if (connection.name.empty()) return "";
  return ", " + literal(connection.name);
}

struct Gtid {
  uint32_t domain = 0, server_id = 0;
  uint64_t sequence = 0;
};

std::optional<Gtid> parse_gtid(std::string_view text) {
  Gtid g;
  const char* p = text.data();
  const char* end = p + text.size();
  auto next = [&](auto& value, bool last) {
    auto [q, ec] = std::from_chars(p, end, value);
    if (ec != std::errc() || (last ? q != end : (q == end || *q != '-'))) return false;
    p = last ? q : q + 1;
    return true;
  };
  if (!next(g.domain, false) || !next(g.server_id, false) || !next(g.sequence, true))
    return std::nullopt;
  return g;
}

}  // namespace

std::string mariadb_wait_position(std::string_view binlog_state, uint32_t replica_server_id) {
  std::map<uint32_t, Gtid> highest;  // by domain, so that the list is in a stable order
  while (!binlog_state.empty()) {
    const auto comma = binlog_state.find(',');
    std::string_view item = binlog_state.substr(0, comma);
    binlog_state.remove_prefix(comma == std::string_view::npos ? binlog_state.size() : comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\n')) item.remove_prefix(1);
    const auto g = parse_gtid(item);
    if (!g || g->server_id == replica_server_id) continue;
    auto [it, added] = highest.emplace(g->domain, *g);
    if (!added && g->sequence > it->second.sequence) it->second = *g;
  }
  std::string out;
  for (const auto& [domain, g] : highest) {
    if (!out.empty()) out += ',';
    out.append(std::to_string(g.domain))
        .append("-")
        .append(std::to_string(g.server_id))
        .append("-")
        .append(std::to_string(g.sequence));
  }
  return out;
}

CatchUpWait catch_up_wait(const ServerFlavor& replica, uint32_t replica_server_id,
                          const ReplicaConnection& connection, const OriginPosition& origin,
                          unsigned timeout_seconds) {
  // A timeout of 0 means "wait forever" to MASTER_POS_WAIT (MariaDB and MySQL)
  // and to WAIT_FOR_EXECUTED_GTID_SET, but "do not wait" to MASTER_GTID_WAIT:
  // twinlog's 0 is "do not wait" whatever the statement.
  if (timeout_seconds == 0) return {WaitKind::kNothing, ""};
  const std::string timeout = std::to_string(timeout_seconds);
  if (connection.gtid && replica.is_mariadb()) {
    const std::string position = mariadb_wait_position(origin.gtids, replica_server_id);
    // MASTER_GTID_WAIT has no connection argument: gtid_slave_pos is one for all.
    if (position.empty()) return {WaitKind::kNothing, ""};
    return {WaitKind::kMariaDBGtid,
            "SELECT MASTER_GTID_WAIT(" + literal(position) + ", " + timeout + ")"};
  }
  if (connection.gtid && !origin.gtids.empty()) {
    return {WaitKind::kMySQLGtid,
            "SELECT WAIT_FOR_EXECUTED_GTID_SET(" + literal(origin.gtids) + ", " + timeout + ")"};
  }
  if (origin.file.empty() || origin.position.empty()) return {WaitKind::kNothing, ""};
  const bool source_names = !replica.is_mariadb() && replica.version.at_least(8, 0, 26);
  return {WaitKind::kPosition, std::string("SELECT ")
                                   .append(source_names ? "SOURCE_POS_WAIT(" : "MASTER_POS_WAIT(")
                                   .append(literal(origin.file))
                                   .append(", ")
                                   .append(origin.position)
                                   .append(", ")
                                   .append(timeout)
                                   .append(connection_argument(connection))
                                   .append(")")};
}

std::string wait_failure(WaitKind kind, const std::optional<std::string>& result) {
  if (kind == WaitKind::kNothing) return "";
  if (!result) return "is not replicating from it (replication stopped or not set up)";
  if (kind == WaitKind::kMySQLGtid) return *result == "0" ? "" : "timed out waiting";
  if (*result == "-1") return "timed out waiting";
  return "";
}

}  // namespace twinlog::checks
