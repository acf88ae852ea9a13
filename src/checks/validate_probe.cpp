#include "src/checks/validate_probe.h"

#include <unistd.h>

#include <cstdio>
#include <thread>
#include <vector>

#include "src/checks/filter_rules.h"
#include "src/report/concat.h"

namespace twinlog::checks {
namespace {

using Clock = std::chrono::steady_clock;
using report::Severity;

// How often the other master is asked for the row: often enough for a
// millisecond figure, rare enough not to load it.
constexpr auto kPollInterval = std::chrono::milliseconds(2);

// `from` logs changes to `database` and `to` applies them, under its own name.
bool carries(const config::ServerConfig& from, const config::ServerConfig& to,
             const std::string& database) {
  const FilterRules logs(from), applies(to);
  if (!logs.binlog_db_ok(database).pass) return false;
  if (applies.rewrite_db(database) != database) return false;
  if (!applies.replicate_db_ok(database).pass) return false;
  if (!applies.replicate_database_statement_ok(database).pass) return false;
  return applies.replicate_tables_ok({TableName{database, kProbeTable}}).pass;
}

// Names twinlog writes into SQL: the filters' database names are the user's.
std::string quoted_name(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

bool row_visible(Connection& c, const std::string& table, const std::string& marker) {
  auto rows = c.query("SELECT COUNT(*) FROM " + table + " WHERE marker = '" + marker + "'");
  return !rows.rows.empty() && !rows.rows[0].empty() && rows.rows[0][0].value_or("0") != "0";
}

// Polls until the other master shows (or no longer shows) the row; the time it
// took, or nullopt past the timeout.
std::optional<Clock::duration> wait_for(Connection& other, const std::string& table,
                                        const std::string& marker, bool present,
                                        Clock::time_point since,
                                        std::chrono::milliseconds timeout) {
  while (true) {
    if (row_visible(other, table, marker) == present) return Clock::now() - since;
    if (Clock::now() - since > timeout) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

bool table_exists(Connection& c, const std::string& database) {
  auto rows = c.query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                      database + "' AND TABLE_NAME = '" + kProbeTable + "'");
  return !rows.rows.empty() && !rows.rows[0].empty() && rows.rows[0][0].value_or("0") != "0";
}

std::string millis(Clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", std::chrono::duration<double, std::milli>(d).count());
  return buf;
}

}  // namespace

std::optional<std::string> probe_database(const config::ServerConfig& a,
                                          const config::ServerConfig& b) {
  std::vector<std::string> candidates;
  for (const auto* c : {&a, &b}) {
    for (const auto& e : c->binlog_do_db) candidates.push_back(e.value);
    for (const auto& e : c->replicate_do_db) candidates.push_back(e.value);
  }
  candidates.insert(candidates.end(), {"test", "twinlog"});
  for (const auto& db : candidates) {
    // A name the probe can quote as a string literal too (information_schema).
    if (db.empty() || db.find_first_of("'\\") != std::string::npos) continue;
    if (carries(a, b, db) && carries(b, a, db)) return db;
  }
  return std::nullopt;
}

ValidationCheck run_probe(Connection& a, Connection& b, const config::ServerConfig& a_config,
                          const config::ServerConfig& b_config, std::chrono::milliseconds timeout) {
  ValidationCheck check;
  check.group = "probe";
  check.name = "validate.probe";
  check.title = "a marker row replicates both ways";
  check.expected = "a row written on each master on the other within " +
                   std::to_string(timeout.count() / 1000) + " s, and removed again";
  check.why =
      "the settings can all be right and a write still not arrive; only a write "
      "shows that replication carries changes both ways now";
  auto fail = [&check](Severity severity, std::string code, std::string message,
                       std::string action) {
    check.add(severity, std::move(code), std::move(message), std::move(action));
  };
  const auto database = probe_database(a_config, b_config);
  if (!database) {
    check.found = "no database that both masters log and apply";
    fail(Severity::kError, "probe.no_database",
         "no database is replicated both ways by the filters (tried the do-db names, test, "
         "twinlog): the probe has nowhere to write",
         "Make the masters' filters replicate one database both ways.");
    return check;
  }
  const std::string table = quoted_name(*database) + "." + kProbeTable;
  std::string found = *database + "." + kProbeTable + ":";
  try {
    // USE first: in STATEMENT or MIXED format the filters test the default database.
    a.execute("USE " + quoted_name(*database));
    b.execute("USE " + quoted_name(*database));
    if (!table_exists(a, *database) || !table_exists(b, *database)) {
      a.execute(
          "CREATE TABLE IF NOT EXISTS " + std::string(kProbeTable) +
          " (marker VARCHAR(64) NOT NULL PRIMARY KEY, written_on CHAR(1) NOT NULL, written_at "
          "TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB COMMENT='twinlog "
          "validate --probe: marker rows, removed after each probe'");
      const auto since = Clock::now();
      while (!table_exists(b, *database)) {
        if (Clock::now() - since > timeout) {
          check.found = found + " created on A, never on B";
          fail(Severity::kError, "probe.not_replicated",
               "the probe table created on A did not reach B within the timeout",
               "Check that B's channel from A runs (the replication checks above).");
          return check;
        }
        std::this_thread::sleep_for(kPollInterval);
      }
    }
    const struct {
      Connection* from;
      Connection* to;
      const char *from_name, *to_name;
    } directions[] = {{&a, &b, "A", "B"}, {&b, &a, "B", "A"}};
    for (const auto& d : directions) {
      const std::string marker =
          report::concat("twinlog-", d.from_name, "-", std::to_string(::getpid()), "-",
                         std::to_string(Clock::now().time_since_epoch().count()));
      const auto written = Clock::now();
      d.from->execute(report::concat("INSERT INTO ", table, " (marker, written_on) VALUES ('",
                                     marker, "', '", d.from_name, "')"));
      const auto arrived = wait_for(*d.to, table, marker, true, written, timeout);
      const auto removing = Clock::now();
      d.from->execute(report::concat("DELETE FROM ", table, " WHERE marker = '", marker, "'"));
      if (!arrived) {
        found += report::concat(" ", d.from_name, "->", d.to_name, " not within ",
                                std::to_string(timeout.count()), " ms;");
        fail(Severity::kError, "probe.not_replicated",
             report::concat("a row written on ", d.from_name, " was not on ", d.to_name, " within ",
                            std::to_string(timeout.count()), " ms"),
             report::concat("Check ", d.to_name, "'s channel from ", d.from_name,
                            " (the replication checks above) and what its filters do to ",
                            *database, "."));
        continue;
      }
      const auto removed = wait_for(*d.to, table, marker, false, removing, timeout);
      found += report::concat(" ", d.from_name, "->", d.to_name, " ", millis(*arrived),
                              removed ? " (removal " + millis(*removed) + ")"
                                      : std::string(" (its removal did not arrive)"),
                              ";");
      if (!removed) {
        fail(Severity::kWarning, "probe.not_removed",
             report::concat("the probe row deleted on ", d.from_name, " is still on ", d.to_name),
             report::concat("DELETE FROM ", table, " WHERE marker = '", marker, "' on ", d.to_name,
                            " once replication has caught up."));
      }
    }
  } catch (const ConnectionError& e) {
    found += " stopped";
    fail(Severity::kError, "probe.failed", std::string("the probe failed: ") + e.what(),
         "Run the probe as a user that may create the table and insert and delete in it, or "
         "without --probe.");
  }
  if (found.back() == ';') found.pop_back();
  check.found = found;
  return check;
}

}  // namespace twinlog::checks
