#include "src/checks/filter_pair.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "src/checks/filter_rules.h"
#include "src/checks/setting_evidence.h"

namespace twinlog::checks {

namespace {

using report::Evidence;
using report::Finding;
using report::Severity;

Severity note_severity(const std::string& code) {
  if (code == "config.refused_value") return Severity::kError;
  if (code == "config.bad_boolean" || code == "config.value_adjusted" ||
      code == "config.filter_comma_list")
    return Severity::kWarning;
  return Severity::kInfo;
}

// A setting both masters hold with the same value, where they must differ.
void shared_setting(std::vector<Finding>& out, Severity severity, std::string code,
                    std::string message, const std::string& option, const config::SettingOrigin& a,
                    const config::SettingOrigin& b, std::string action) {
  Finding& f =
      report::add_finding(out, severity, std::move(code), std::move(message), std::move(action));
  f.evidence.push_back(setting_evidence("A", option, a));
  f.evidence.push_back(setting_evidence("B", option, b));
}

struct Named {
  const config::ServerConfig* config;
  std::string name;
};

void comma_lists(const Named& s, std::vector<Finding>& out) {
  const std::pair<const char*, const std::vector<config::FilterEntry>*> lists[] = {
      {"binlog-do-db", &s.config->binlog_do_db},
      {"binlog-ignore-db", &s.config->binlog_ignore_db},
      {"replicate-do-db", &s.config->replicate_do_db},
      {"replicate-ignore-db", &s.config->replicate_ignore_db}};
  for (const auto& [option, list] : lists) {
    for (const auto& e : *list) {
      if (e.origin.kind != config::SettingOrigin::Kind::kOptionFile ||
          e.value.find(',') == std::string::npos) {
        continue;
      }
      std::string meant;
      std::string_view rest = e.value;
      while (!rest.empty()) {
        std::size_t comma = rest.find(',');
        if (!meant.empty()) meant += ", ";
        meant.append(option).append("=").append(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
      Finding f;
      f.severity = Severity::kWarning;
      f.code = "config.filter_comma_list";
      f.message = s.name + "'s " + option + "=" + e.value + " names ONE database called '" +
                  e.value + "'; the server does not apply the rule to any of the databases listed";
      f.evidence.push_back(setting_evidence(s.name, std::string(option) + "=" + e.value, e.origin));
      f.action = "If the list was meant, write one line per database: " + meant +
                 " (SET GLOBAL reads a comma list; an option file does not).";
      out.push_back(std::move(f));
    }
  }
}

// The database names either side's database rules mention.
std::vector<std::string> mentioned_databases(const config::ServerConfig& a,
                                             const config::ServerConfig& b) {
  std::vector<std::string> names;
  for (const auto* c : {&a, &b}) {
    for (const auto* list :
         {&c->binlog_do_db, &c->binlog_ignore_db, &c->replicate_do_db, &c->replicate_ignore_db}) {
      for (const auto& e : *list) names.push_back(e.value);
    }
    for (const auto& r : c->replicate_rewrite_db) {
      names.push_back(r.from);
      names.push_back(r.to);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// What `from` logs and `to` then applies, database by database.
void asymmetry(const Named& from, const Named& to, std::vector<Finding>& out) {
  FilterRules logs(*from.config), applies(*to.config);
  for (const std::string& db : mentioned_databases(*from.config, *to.config)) {
    const FilterVerdict logged = logs.binlog_db_ok(db);
    const FilterVerdict applied = applies.replicate_db_ok(applies.rewrite_db(db));
    if (logged.pass == applied.pass) continue;
    if (!logged.pass && applied.option.empty()) continue;  // nothing on `to` asks for it
    Finding f;
    f.severity = Severity::kWarning;
    f.code = "filter.asymmetric_rules";
    if (logged.pass) {
      f.message = from.name + " logs changes to database " + db + " but " + to.name +
                  " does not apply them (" + applied.rule + ")";
      f.action = "Make " + from.name + "'s binlog rules and " + to.name +
                 "'s replicate rules name the same databases, or the two masters drift apart "
                 "in " +
                 db + ".";
    } else {
      f.message = to.name + " replicates database " + db + " (" + applied.rule + ") but " +
                  from.name + " does not log it (" + logged.rule + ")";
      f.action = "Either " + from.name + " should log " + db + " too, or " + to.name;
      f.action.append("'s rule is a leftover: changes to ").append(db).append(" on ");
      f.action.append(from.name).append(" never reach ").append(to.name).append(".");
    }
    for (const auto& [server, verdict] : {std::pair{&from.name, &logged}, {&to.name, &applied}}) {
      if (verdict->option.empty()) continue;
      Evidence e;
      e.server = *server;
      e.option = verdict->option;
      e.option_source = verdict->source;
      f.evidence.push_back(std::move(e));
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

std::vector<Finding> pair_findings(const config::ServerConfig& a, const config::ServerConfig& b) {
  std::vector<Finding> out;
  const Named na{&a, "A"}, nb{&b, "B"};
  for (const Named& s : {na, nb}) {
    for (const auto& n : s.config->notes) {
      if (n.code == "config.filter_comma_list") continue;  // below, with what was meant
      Finding& f =
          report::add_finding(out, note_severity(n.code), n.code, s.name + ": " + n.message,
                              n.code == "config.refused_value"
                                  ? "Fix the line: the server does not start with it."
                                  : "Check that the server runs with the value you meant.");
      f.evidence.push_back(setting_evidence(s.name, {}, n.origin));
    }
    comma_lists(s, out);
  }
  if (a.server_id.value == b.server_id.value) {
    shared_setting(out, Severity::kError, "config.same_server_id",
                   "both masters have server-id=" + std::to_string(a.server_id.value) +
                       ": each skips the other's events as its own",
                   "server-id", a.server_id.origin, b.server_id.origin,
                   "Give every server of the pair its own server-id.");
  }
  if (a.identity.flavor == protocol::Flavor::kMariaDB &&
      b.identity.flavor == protocol::Flavor::kMariaDB &&
      a.gtid_domain_id.value == b.gtid_domain_id.value) {
    shared_setting(
        out, Severity::kWarning, "config.shared_gtid_domain",
        "both masters write GTID domain " + std::to_string(a.gtid_domain_id.value) +
            ": their sequence numbers collide and neither binlog's GTIDs are in order",
        "gtid_domain_id", a.gtid_domain_id.origin, b.gtid_domain_id.origin,
        "Set gtid_domain_id to a different value on each master (for example 1 on A, 2 on B).");
  }
  asymmetry(na, nb, out);
  asymmetry(nb, na, out);
  return out;
}

}  // namespace twinlog::checks
