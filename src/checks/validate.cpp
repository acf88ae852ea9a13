#include "src/checks/validate.h"

#include <algorithm>
#include <functional>
#include <map>
#include <span>
#include <utility>

#include "src/checks/autoinc_check.h"
#include "src/checks/filter_check.h"
#include "src/checks/filter_pair.h"
#include "src/checks/loop_check.h"
#include "src/checks/setting_evidence.h"
#include "src/report/concat.h"

namespace twinlog::checks {
namespace {

using config::ServerConfig;
using report::Finding;
using report::Severity;

std::string on_off(bool v) {
  return v ? "ON" : "OFF";
}
std::string number(uint64_t v) {
  return std::to_string(v);
}
std::string text(const std::string& v) {
  return v.empty() ? std::string("''") : v;
}
std::string show(bool v) {
  return on_off(v);
}
std::string show(uint64_t v) {
  return number(v);
}
std::string show(const std::string& v) {
  return text(v);
}

struct Side {
  std::string name;  // "A" or "B"
  const ServerConfig* config;
};

ValidationCheck make(std::string group, std::string name, std::string title, std::string found,
                     std::string expected, std::string why) {
  ValidationCheck c;
  c.group = std::move(group);
  c.name = std::move(name);
  c.title = std::move(title);
  c.found = std::move(found);
  c.expected = std::move(expected);
  c.why = std::move(why);
  return c;
}

// One finding per master whose setting is not what it should be.
template <class T>
void per_side(ValidationCheck& check, std::span<const Side> sides,
              config::Setting<T> ServerConfig::*setting, const std::string& option, const T& wanted,
              Severity severity, const std::string& code, const std::string& consequence,
              const std::string& action) {
  for (const Side& s : sides) {
    const auto& value = s.config->*setting;
    if (value.value == wanted) continue;
    const std::string shown = option + "=" + show(value.value);
    check.add(severity, code, report::concat(s.name, " has ", shown, ": ", consequence), action)
        .evidence.push_back(setting_evidence(s.name, shown, value.origin));
  }
}

std::string filter_list(const ServerConfig& c) {
  std::string out;
  auto add_list = [&out](const char* option, const std::vector<config::FilterEntry>& list) {
    for (const auto& e : list) out.append(out.empty() ? "" : ", ").append(option + ("=" + e.value));
  };
  add_list("binlog-do-db", c.binlog_do_db);
  add_list("binlog-ignore-db", c.binlog_ignore_db);
  add_list("replicate-do-db", c.replicate_do_db);
  add_list("replicate-ignore-db", c.replicate_ignore_db);
  add_list("replicate-do-table", c.replicate_do_table);
  add_list("replicate-ignore-table", c.replicate_ignore_table);
  add_list("replicate-wild-do-table", c.replicate_wild_do_table);
  add_list("replicate-wild-ignore-table", c.replicate_wild_ignore_table);
  for (const auto& r : c.replicate_rewrite_db)
    out.append(out.empty() ? "" : ", ").append("replicate-rewrite-db=" + r.from + "->" + r.to);
  return out.empty() ? std::string("no filter rules") : out;
}

bool mariadb_pair(const ServerConfig& a, const ServerConfig& b) {
  return a.identity.flavor == protocol::Flavor::kMariaDB &&
         b.identity.flavor == protocol::Flavor::kMariaDB;
}

// Which check answers an existing check's configuration finding; a code not named
// here (an option-file note) goes to "options read as written".
const std::map<std::string, std::string, std::less<>>& check_of_code() {
  static const std::map<std::string, std::string, std::less<>> kChecks = {
      {"config.same_server_id", "validate.server_ids"},
      {"config.server_id_zero", "validate.server_ids"},
      {"filter.asymmetric_rules", "validate.filter_symmetry"},
      {"config.filter_comma_list", "validate.filter_comma_lists"},
      {"config.same_server_id_replicated", "validate.loops"},
      {"loop.third_source", "validate.loops"},
      {"loop.ignore_server_ids", "validate.loops"},
      {"config.shared_gtid_domain", "validate.gtid_domain"},
      {"config.gtid_ignore_duplicates_off", "validate.gtid_ignore_duplicates"},
  };
  return kChecks;
}

// The evidence's server and source: two findings of one code about the same place
// are one finding (filters and loops both report equal server ids).
std::string place_of(const Finding& f) {
  std::string place = f.code;
  for (const auto& e : f.evidence) place += "|" + e.server + "|" + e.option_source;
  return place;
}

std::vector<ValidationCheck> setting_checks(const Side (&sides)[2]) {
  const ServerConfig& a = *sides[0].config;
  const ServerConfig& b = *sides[1].config;
  std::vector<ValidationCheck> out;

  out.push_back(make("servers", "validate.server_ids", "server ids distinct and valid",
                     both_settings(a.server_id, b.server_id, number),
                     "1 .. 4294967295, a different one on each master",
                     "a server skips every event carrying its own id: equal ids drop the "
                     "peer's changes, and id 0 refuses replicas"));

  auto& log_bin =
      out.emplace_back(make("binary log", "validate.log_bin", "log_bin on both masters",
                            both_settings(a.log_bin, b.log_bin, on_off), "ON on both",
                            "a master without a binlog gives its peer nothing to replicate"));
  per_side(log_bin, sides, &ServerConfig::log_bin, "log-bin", true, Severity::kError,
           "config.log_bin_off", "it writes no binlog, so its changes never reach its peer",
           "Set log-bin=mysql-bin in its option file and restart it.");

  auto& lsu = out.emplace_back(
      make("binary log", "validate.log_slave_updates", "log_slave_updates on both masters",
           both_settings(a.log_slave_updates, b.log_slave_updates, on_off), "ON on both",
           "without it a master's binlog lacks what it applied from its peer: its replicas, a "
           "point-in-time recovery from its binlogs and twinlog's audit miss half the changes"));
  per_side(lsu, sides, &ServerConfig::log_slave_updates, "log-slave-updates", true,
           Severity::kWarning, "config.log_slave_updates_off",
           "what it applies from its peer is not in its binlog, so its own replicas and a "
           "recovery from its binlogs miss those changes",
           "Set log-slave-updates on both masters (each skips its own events by server-id, "
           "so nothing loops).");

  auto& format = out.emplace_back(
      make("binary log", "validate.binlog_format", "binlog_format ROW",
           both_settings(a.binlog_format, b.binlog_format, text), "ROW on both",
           "a statement is filtered by its default database, not the tables it changes, and an "
           "unsafe one can apply differently on the peer; rows are filtered and applied as they "
           "were changed"));
  per_side(format, sides, &ServerConfig::binlog_format, "binlog_format", std::string("ROW"),
           Severity::kWarning, "config.binlog_format",
           "statements are replicated by their default database (a cross-database statement "
           "is skipped or applied by where USE pointed) and unsafe ones may apply differently",
           "Set binlog_format=ROW on both masters.");

  auto& checksum = out.emplace_back(
      make("binary log", "validate.binlog_checksum", "binlog_checksum CRC32",
           both_settings(a.binlog_checksum, b.binlog_checksum, text), "CRC32 on both",
           "without checksums a corrupted event in a binlog or relay log is applied as read"));
  per_side(checksum, sides, &ServerConfig::binlog_checksum, "binlog_checksum", std::string("CRC32"),
           Severity::kWarning, "config.binlog_checksum",
           "its events carry no checksum, so a corrupted event is replicated as read",
           "Set binlog_checksum=CRC32 on both masters.");

  auto& image = out.emplace_back(
      make("binary log", "validate.binlog_row_image", "binlog_row_image FULL",
           both_settings(a.binlog_row_image, b.binlog_row_image, text), "FULL on both",
           "with partial row images an update finds and overwrites a diverged row without the "
           "binlog showing what it held, and the rows of the two binlogs cannot be compared"));
  std::vector<Side> with_rows;  // a STATEMENT master logs no row images at all
  for (const Side& s : sides) {
    if (s.config->binlog_format.value != "STATEMENT") with_rows.push_back(s);
  }
  per_side(image, with_rows, &ServerConfig::binlog_row_image, "binlog_row_image",
           std::string("FULL"), Severity::kWarning, "config.binlog_row_image",
           "its row events hold only part of each row, so a diverged row is overwritten "
           "unseen and the two binlogs' rows cannot be compared",
           "Set binlog_row_image=FULL on both masters.");

  auto& sync = out.emplace_back(
      make("durability", "validate.sync_binlog", "sync_binlog=1",
           both_settings(a.sync_binlog, b.sync_binlog, number), "1 on both",
           "a crash can lose the end of a binlog whose transactions the peer already applied: "
           "the masters then hold different data and replication resumes past the gap"));
  per_side(sync, sides, &ServerConfig::sync_binlog, "sync_binlog", uint64_t{1}, Severity::kWarning,
           "config.sync_binlog", "a crash can lose binlogged transactions its peer already applied",
           "Set sync_binlog=1 on both masters.");

  auto& flush = out.emplace_back(make(
      "durability", "validate.innodb_flush_log_at_trx_commit", "innodb_flush_log_at_trx_commit=1",
      both_settings(a.innodb_flush_log_at_trx_commit, b.innodb_flush_log_at_trx_commit, number),
      "1 on both",
      "a crash can lose committed transactions that are already in the binlog and on the "
      "peer"));
  per_side(flush, sides, &ServerConfig::innodb_flush_log_at_trx_commit,
           "innodb_flush_log_at_trx_commit", uint64_t{1}, Severity::kWarning,
           "config.innodb_flush_log_at_trx_commit",
           "a crash can lose committed transactions its peer already has",
           "Set innodb_flush_log_at_trx_commit=1 on both masters.");
  return out;
}

}  // namespace

std::string_view status_name(CheckStatus s) {
  switch (s) {
    case CheckStatus::kFail:
      return "fail";
    case CheckStatus::kWarn:
      return "warn";
    case CheckStatus::kPass:
      break;
  }
  return "pass";
}

Finding& ValidationCheck::add(Severity severity, std::string code, std::string message,
                              std::string action) {
  return report::add_finding(findings, severity, std::move(code), std::move(message),
                             std::move(action));
}

CheckStatus ValidationCheck::status() const {
  CheckStatus s = CheckStatus::kPass;
  for (const auto& f : findings) {
    if (f.severity == Severity::kError) return CheckStatus::kFail;
    if (f.severity == Severity::kWarning) s = CheckStatus::kWarn;
  }
  return s;
}

std::vector<Finding> Validation::findings() const {
  std::vector<Finding> out;
  for (const auto& c : checks) out.insert(out.end(), c.findings.begin(), c.findings.end());
  return out;
}

Validation validate_configs(const ServerConfig& a, const ServerConfig& b) {
  const Side sides[2] = {{"A", &a}, {"B", &b}};
  Validation v;
  v.checks = setting_checks(sides);

  v.checks.push_back(
      make("auto-increment", "validate.auto_increment", "auto-increment classes of the pair",
           "A increment " + number(a.auto_increment_increment.value) + " offset " +
               number(a.auto_increment_offset.value) + "; B increment " +
               number(b.auto_increment_increment.value) + " offset " +
               number(b.auto_increment_offset.value),
           "increment >= 2 on both, a different offset on each, offset <= increment",
           "two masters handing out the same ids collide: a duplicate-key error stops "
           "replication, or, with errors skipped, the rows silently differ"));
  v.checks.push_back(make("filters", "validate.filter_symmetry",
                          "filter rules symmetric between the masters",
                          "A " + filter_list(a) + "; B " + filter_list(b),
                          "each master logs what the other applies, and the other way round",
                          "a change one master logs and the other does not apply (or the other "
                          "way round) exists on one side only"));
  v.checks.push_back(make("filters", "validate.filter_comma_lists",
                          "no comma list in a filter option", "",
                          "one database or table per option line",
                          "in an option file `replicate-ignore-db=mysql,information_schema` "
                          "names one database called \"mysql,information_schema\": the "
                          "databases meant are not filtered at all"));

  auto& skip = v.checks.emplace_back(
      make("filters", "validate.slave_skip_errors", "slave_skip_errors OFF",
           both_settings(a.slave_skip_errors, b.slave_skip_errors, text), "OFF on both",
           "a skipped error skips the whole rows event, the rows after the failing one too, and "
           "the replica still says Slave_SQL_Running: Yes while the masters drift apart"));
  for (const Side& s : sides) {
    const auto& setting = s.config->slave_skip_errors;
    if (setting.value.empty() || setting.value == "OFF") continue;
    // ddl_exist_errors skips only "already exists" / "does not exist" DDL errors.
    const bool ddl_only = setting.value == "ddl_exist_errors";
    skip.add(ddl_only ? Severity::kWarning : Severity::kError, "config.slave_skip_errors",
             s.name + " has slave_skip_errors=" + setting.value +
                 ": a failing row skips its whole rows event (the rows after it too), the replica "
                 "still says Yes, and the masters silently diverge",
             "Remove slave-skip-errors, fix what made the errors (auto-increment offsets, writes "
             "that reach one master only), then compare the tables.")
        .evidence.push_back(
            setting_evidence(s.name, "slave_skip_errors=" + setting.value, setting.origin));
  }

  v.checks.push_back(
      make("loops", "validate.loops", "nothing replicates round and round",
           "replicate-same-server-id A " + on_off(a.replicate_same_server_id.value) + ", B " +
               on_off(b.replicate_same_server_id.value) +
               (a.replica_channels.empty() && b.replica_channels.empty()
                    ? std::string("; no replica channels read")
                    : "; replica channels A " + number(a.replica_channels.size()) + ", B " +
                          number(b.replica_channels.size())),
           "each master skips its own events; every channel fed by the other master",
           "a transaction that comes back is applied again, and a third server's transactions "
           "reach each master twice"));

  const bool mariadb = mariadb_pair(a, b);
  v.checks.push_back(make("gtid", "validate.gtid_domain", "a gtid_domain_id per master",
                          mariadb ? both_settings(a.gtid_domain_id, b.gtid_domain_id, number)
                                  : std::string("MySQL: GTIDs carry each server's uuid"),
                          "a different gtid_domain_id on each master",
                          "in one domain both masters hand out the same sequence numbers: "
                          "neither binlog's GTIDs are in order and mariadb-binlog refuses the "
                          "files by default"));
  auto& strict = v.checks.emplace_back(
      make("gtid", "validate.gtid_strict_mode", "gtid_strict_mode fits the domains",
           mariadb ? both_settings(a.gtid_strict_mode, b.gtid_strict_mode, on_off)
                   : std::string("MySQL: no gtid_strict_mode"),
           "ON only with a gtid_domain_id per master, the same on both",
           "strict mode stops replication on a GTID out of order, which two masters writing one "
           "domain produce all the time"));
  if (mariadb && a.gtid_domain_id.value == b.gtid_domain_id.value) {
    for (const Side& s : sides) {
      const auto& setting = s.config->gtid_strict_mode;
      if (!setting.value) continue;
      strict
          .add(Severity::kError, "config.gtid_strict_mode",
               s.name + " has gtid_strict_mode=ON while both masters write GTID domain " +
                   number(a.gtid_domain_id.value) +
                   ": the peer's sequence numbers arrive out of order and stop its replication",
               "Give each master its own gtid_domain_id, or turn gtid_strict_mode off.")
          .evidence.push_back(setting_evidence(s.name, "gtid_strict_mode=ON", setting.origin));
    }
  } else if (mariadb && a.gtid_strict_mode.value != b.gtid_strict_mode.value) {
    strict
        .add(Severity::kWarning, "config.gtid_strict_mode",
             "gtid_strict_mode differs between the masters: one stops on a GTID out of order that "
             "the other logs",
             "Set gtid_strict_mode the same on both masters.")
        .evidence = {setting_evidence("A", "gtid_strict_mode=" + on_off(a.gtid_strict_mode.value),
                                      a.gtid_strict_mode.origin),
                     setting_evidence("B", "gtid_strict_mode=" + on_off(b.gtid_strict_mode.value),
                                      b.gtid_strict_mode.origin)};
  }
  v.checks.push_back(
      make("gtid", "validate.gtid_ignore_duplicates",
           "gtid_ignore_duplicates where a third server writes",
           mariadb ? both_settings(a.gtid_ignore_duplicates, b.gtid_ignore_duplicates, on_off)
                   : std::string("MySQL: not applicable"),
           "ON on both when a server outside the pair feeds it",
           "a transaction that reaches a master by two paths is applied twice"));

  auto& read_only = v.checks.emplace_back(
      make("writes", "validate.read_only", "read_only on neither master, or on one by design",
           both_settings(a.read_only, b.read_only, on_off),
           "OFF on both (writes to either), or ON on one (a standby that takes no writes)",
           "read_only on both leaves the applications no master to write to"));
  if (a.read_only.value && b.read_only.value) {
    read_only
        .add(Severity::kWarning, "config.read_only_both",
             "both masters are read_only: no application can write to either (replication still "
             "applies)",
             "Turn read_only off on the master that takes the writes (SET GLOBAL read_only=OFF and "
             "in its option file).")
        .evidence = {setting_evidence("A", "read_only=ON", a.read_only.origin),
                     setting_evidence("B", "read_only=ON", b.read_only.origin)};
  }

  v.checks.push_back(
      make("options", "validate.options", "every option read as written", "",
           "no line the server adjusts, refuses or does not read",
           "a line the server reads otherwise than written runs the server with a value "
           "nobody chose"));

  // The other checks' configuration findings, each under the check it answers.
  std::vector<Finding> existing = pair_findings(a, b);
  auto loops = loop_config_findings(a, b, false);
  existing.insert(existing.end(), loops.begin(), loops.end());
  auto autoinc = autoinc_config_findings(a, b);
  existing.insert(existing.end(), autoinc.begin(), autoinc.end());
  // Which check looks at the setting an option-file line gave ("A|a.cnf:6").
  std::map<std::string, std::string> setting_checks;
  for (const Side& side : sides) {
    const ServerConfig& c = *side.config;
    auto looks_at = [&](const config::SettingOrigin& origin, const char* check) {
      if (origin.kind != config::SettingOrigin::Kind::kOptionFile) return;
      setting_checks.emplace(side.name + "|" + origin.text(), check);
    };
    looks_at(c.server_id.origin, "validate.server_ids");
    looks_at(c.log_bin.origin, "validate.log_bin");
    looks_at(c.log_slave_updates.origin, "validate.log_slave_updates");
    looks_at(c.binlog_format.origin, "validate.binlog_format");
    looks_at(c.binlog_checksum.origin, "validate.binlog_checksum");
    looks_at(c.binlog_row_image.origin, "validate.binlog_row_image");
    looks_at(c.sync_binlog.origin, "validate.sync_binlog");
    looks_at(c.innodb_flush_log_at_trx_commit.origin, "validate.innodb_flush_log_at_trx_commit");
    looks_at(c.auto_increment_increment.origin, "validate.auto_increment");
    looks_at(c.auto_increment_offset.origin, "validate.auto_increment");
    looks_at(c.slave_skip_errors.origin, "validate.slave_skip_errors");
    looks_at(c.gtid_domain_id.origin, "validate.gtid_domain");
    looks_at(c.gtid_strict_mode.origin, "validate.gtid_strict_mode");
    looks_at(c.gtid_ignore_duplicates.origin, "validate.gtid_ignore_duplicates");
    looks_at(c.read_only.origin, "validate.read_only");
  }
  std::vector<std::string> seen;
  for (auto& f : existing) {
    const std::string place = place_of(f);
    if (std::find(seen.begin(), seen.end(), place) != seen.end()) continue;
    seen.push_back(place);
    std::string target = "validate.options";
    const auto note_of = setting_checks.find(f.evidence.empty() ? std::string()
                                                                : f.evidence[0].server + "|" +
                                                                      f.evidence[0].option_source);
    if (f.code.starts_with("config.") && note_of != setting_checks.end()) {
      target = note_of->second;  // a note on a line a check looks at: that check's
    } else if (f.code.starts_with("autoinc.")) {
      target = "validate.auto_increment";
    } else if (auto it = check_of_code().find(f.code); it != check_of_code().end()) {
      target = it->second;
    }
    for (auto& c : v.checks) {
      if (c.name == target) {
        c.findings.push_back(std::move(f));
        break;
      }
    }
  }
  for (auto& c : v.checks) {
    if (c.name != "validate.filter_comma_lists") continue;
    c.found = c.findings.empty() ? "no filter value holds a comma"
                                 : number(c.findings.size()) + " filter value(s) hold a comma";
  }
  auto& options = v.checks.back();
  const std::size_t notes = options.findings.size();
  options.found = notes == 0 ? "every setting read as written"
                             : number(notes) + " note(s) on how settings were read";
  return v;
}

}  // namespace twinlog::checks
