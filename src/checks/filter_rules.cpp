#include "src/checks/filter_rules.h"

#include <algorithm>

#include "protocol/ascii_case.h"

namespace twinlog::checks {
namespace {

using protocol::ascii_iequals;
using protocol::ascii_lower;

std::string rule_text(std::string_view option, const config::FilterEntry& e) {
  std::string text(option);
  text.append("=").append(e.value).append(" (").append(e.origin.text()).append(")");
  return text;
}

// A verdict that `e` decided: `why` leads the rule text ("not in ", "").
FilterVerdict decided_by(bool pass, std::string why, std::string_view option,
                         const config::FilterEntry& e, std::string_view after = {}) {
  FilterVerdict v;
  v.pass = pass;
  v.rule = std::move(why);
  v.rule.append(rule_text(option, e)).append(after);
  v.option.assign(option).append("=").append(e.value);
  v.source = e.origin.text();
  return v;
}

bool wild_from(std::string_view p, std::string_view t) {
  while (!p.empty()) {
    char c = p.front();
    if (c == '%') {
      while (!p.empty() && p.front() == '%') p.remove_prefix(1);
      if (p.empty()) return true;
      for (std::size_t i = 0; i <= t.size(); ++i) {
        if (wild_from(p, t.substr(i))) return true;
      }
      return false;
    }
    if (t.empty()) return false;
    if (c == '_') {
      p.remove_prefix(1);
      t.remove_prefix(1);
      continue;
    }
    if (c == '\\' && p.size() > 1) {
      p.remove_prefix(1);
      c = p.front();
    }
    if (ascii_lower(c) != ascii_lower(t.front())) return false;
    p.remove_prefix(1);
    t.remove_prefix(1);
  }
  return t.empty();
}

}  // namespace

bool wild_match(std::string_view pattern, std::string_view text) {
  return wild_from(pattern, text);
}

FilterRules::FilterRules(const config::ServerConfig& config)
    : config_(config),
      maria_(config.identity.flavor == protocol::Flavor::kMariaDB),
      fold_database_case_(!maria_ && config.lower_case_table_names.value != 0) {}

bool FilterRules::same_database(std::string_view a, std::string_view b) const {
  return fold_database_case_ ? ascii_iequals(a, b) : a == b;
}

FilterVerdict FilterRules::db_ok(const std::vector<config::FilterEntry>& do_list,
                                 const std::vector<config::FilterEntry>& ignore_list,
                                 std::string_view do_option, std::string_view ignore_option,
                                 std::optional<std::string_view> database) const {
  if (do_list.empty() && ignore_list.empty()) return {true, "no database rule"};
  if (!database && !maria_) return {true, "no default database (MySQL passes it)"};
  // MariaDB: no default database is compared as an empty name.
  std::string_view name = database.value_or(std::string_view());
  if (!do_list.empty()) {
    for (const auto& e : do_list) {
      if (same_database(e.value, name)) return decided_by(true, "", do_option, e);
    }
    return decided_by(false,
                      database ? "not in " : "no default database, and a do list: ", do_option,
                      do_list.front(), do_list.size() > 1 ? " and its other lines" : "");
  }
  for (const auto& e : ignore_list) {
    if (same_database(e.value, name)) return decided_by(false, "", ignore_option, e);
  }
  return {true, "not in the ignore list"};
}

FilterVerdict FilterRules::binlog_db_ok(std::optional<std::string_view> database) const {
  return db_ok(config_.binlog_do_db, config_.binlog_ignore_db, "binlog-do-db", "binlog-ignore-db",
               database);
}

FilterVerdict FilterRules::replicate_db_ok(std::optional<std::string_view> database) const {
  return db_ok(config_.replicate_do_db, config_.replicate_ignore_db, "replicate-do-db",
               "replicate-ignore-db", database);
}

std::string FilterRules::replica_database(std::string_view database) const {
  std::string name(database);
  if (config_.lower_case_table_names.value == 1) {
    for (char& c : name) c = ascii_lower(c);
  }
  return name;
}

std::optional<FilterVerdict> FilterRules::replicate_grant_tables_ok() const {
  // The grant tables in the order the servers list them for tables_ok: MariaDB
  // 10.4+ (sql_acl.cc enum_acl_tables, USER_TABLE last and named global_priv),
  // older MariaDB and MySQL with mysql.user first.
  static constexpr std::string_view kMaria104[] = {
      "db",         "tables_priv",  "columns_priv",  "host",
      "procs_priv", "proxies_priv", "roles_mapping", "global_priv"};
  static constexpr std::string_view kOlder[] = {"user",          "db",
                                                "tables_priv",   "columns_priv",
                                                "host",          "procs_priv",
                                                "proxies_priv",  "roles_mapping",
                                                "role_edges",    "default_roles",
                                                "global_grants", "password_history"};
  const bool maria104 =
      maria_ && (!config_.identity.version || config_.identity.version->at_least(10, 4, 0));
  std::optional<FilterVerdict> verdict;
  auto each = [&](std::string_view table) {
    FilterVerdict v = replicate_tables_ok({{"mysql", std::string(table)}});
    if (!verdict) {
      verdict = std::move(v);
      return true;
    }
    return v.pass == verdict->pass;
  };
  if (maria104) {
    for (auto t : kMaria104)
      if (!each(t)) return std::nullopt;
  } else {
    for (auto t : kOlder)
      if (!each(t)) return std::nullopt;
  }
  verdict->rule = "the grant tables it writes (mysql.*): " + verdict->rule;
  return verdict;
}

std::string FilterRules::rewrite_db(std::string_view database) const {
  for (const auto& r : config_.replicate_rewrite_db) {
    if (same_database(r.from, database)) return r.to;
  }
  return std::string(database);
}

bool FilterRules::has_table_rules() const {
  return !config_.replicate_do_table.empty() || !config_.replicate_ignore_table.empty() ||
         !config_.replicate_wild_do_table.empty() || !config_.replicate_wild_ignore_table.empty();
}

FilterVerdict FilterRules::replicate_tables_ok(const std::vector<TableName>& updated) const {
  if (!has_table_rules()) return {true, "no table rule"};
  auto key_of = [](const TableName& t) {
    std::string key = t.database;
    key.append(".").append(t.table);
    return key;
  };
  // do-table and ignore-table compare db.table whole; MariaDB without case,
  // MySQL by lower_case_table_names.
  auto same_table = [this](std::string_view rule, std::string_view key) {
    return maria_ || fold_database_case_ ? ascii_iequals(rule, key) : rule == key;
  };
  for (const auto& t : updated) {
    std::string key = key_of(t);
    for (const auto& e : config_.replicate_do_table) {
      if (same_table(e.value, key)) return decided_by(true, "", "replicate-do-table", e);
    }
    for (const auto& e : config_.replicate_ignore_table) {
      if (same_table(e.value, key)) return decided_by(false, "", "replicate-ignore-table", e);
    }
    for (const auto& e : config_.replicate_wild_do_table) {
      if (wild_match(e.value, key)) return decided_by(true, "", "replicate-wild-do-table", e);
    }
    for (const auto& e : config_.replicate_wild_ignore_table) {
      if (wild_match(e.value, key)) return decided_by(false, "", "replicate-wild-ignore-table", e);
    }
  }
  if (updated.empty()) return {false, "table rules exist and the statement updates no table"};
  if (!config_.replicate_do_table.empty()) {
    return decided_by(false, "no table rule matches, and ", "replicate-do-table",
                      config_.replicate_do_table.front(), " exists");
  }
  if (!config_.replicate_wild_do_table.empty()) {
    return decided_by(false, "no table rule matches, and ", "replicate-wild-do-table",
                      config_.replicate_wild_do_table.front(), " exists");
  }
  return {true, "no table rule matches and there is no do-table rule"};
}

FilterVerdict FilterRules::replicate_database_statement_ok(std::string_view name) const {
  FilterVerdict db = replicate_db_ok(name);
  if (!db.pass) return db;
  std::string key(name);
  key.append(".");
  for (const auto& e : config_.replicate_wild_do_table) {
    if (wild_match(e.value, key)) return decided_by(true, "", "replicate-wild-do-table", e);
  }
  for (const auto& e : config_.replicate_wild_ignore_table) {
    if (wild_match(e.value, key)) return decided_by(false, "", "replicate-wild-ignore-table", e);
  }
  if (!config_.replicate_wild_do_table.empty()) {
    return decided_by(false, "no wild table rule matches '" + key + "', and ",
                      "replicate-wild-do-table", config_.replicate_wild_do_table.front(),
                      " exists");
  }
  return db;
}

}  // namespace twinlog::checks
