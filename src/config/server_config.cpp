#include "src/config/server_config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <functional>
#include <limits>
#include <string_view>

#include "protocol/ascii_case.h"

namespace twinlog::config {
namespace {

using protocol::Flavor;

std::string canonical(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

using protocol::ascii_iequals;
using protocol::ascii_lower;

// What a special prefix did to the option (my_getopt's special_opt_prefix).
enum class Prefix : uint8_t { kNone, kLoose, kSkip, kDisable, kEnable, kMaximum };

struct Range {
  uint64_t min = 0, max = std::numeric_limits<uint64_t>::max();
};

// One option line being applied.
struct Applied {
  const OptionLine* line = nullptr;
  std::string name;                  // canonical, prefix removed
  std::optional<std::string> value;  // as given (for skip/enable: see bool_value)
  Prefix prefix = Prefix::kNone;
  SettingOrigin origin;
};

class Applier {
 public:
  explicit Applier(ServerConfig& config) : c_(config) {}

  // True when `name` (canonical) is an option this applier models.
  bool models(const std::string& name) const { return handler(name) != nullptr; }

  void apply(const Applied& a) { (this->*handler(a.name))(a); }

 private:
  using Handler = void (Applier::*)(const Applied&);

  Handler handler(const std::string& name) const {
    struct Entry {
      std::string_view name;
      Handler handler;
    };
    static constexpr std::array kEntries{
        Entry{"server_id", &Applier::server_id},
        Entry{"log_bin", &Applier::log_bin},
        Entry{"log_slave_updates", &Applier::log_slave_updates},
        Entry{"log_replica_updates", &Applier::log_slave_updates},  // MySQL 8.0.26+
        Entry{"replicate_same_server_id", &Applier::replicate_same_server_id},
        Entry{"binlog_format", &Applier::binlog_format},
        Entry{"binlog_row_image", &Applier::binlog_row_image},
        Entry{"binlog_checksum", &Applier::binlog_checksum},
        Entry{"sync_binlog", &Applier::sync_binlog},
        Entry{"innodb_flush_log_at_trx_commit", &Applier::innodb_flush},
        Entry{"auto_increment_increment", &Applier::auto_increment_increment},
        Entry{"auto_increment_offset", &Applier::auto_increment_offset},
        Entry{"lower_case_table_names", &Applier::lower_case_table_names},
        Entry{"gtid_domain_id", &Applier::gtid_domain_id},
        Entry{"gtid_strict_mode", &Applier::gtid_strict_mode},
        Entry{"gtid_ignore_duplicates", &Applier::gtid_ignore_duplicates},
        Entry{"read_only", &Applier::read_only},
        Entry{"slave_skip_errors", &Applier::slave_skip_errors},
        Entry{"replica_skip_errors", &Applier::slave_skip_errors},  // MySQL 8.0.26+
        Entry{"binlog_do_db", &Applier::binlog_do_db},
        Entry{"binlog_ignore_db", &Applier::binlog_ignore_db},
        Entry{"replicate_do_db", &Applier::replicate_do_db},
        Entry{"replicate_ignore_db", &Applier::replicate_ignore_db},
        Entry{"replicate_do_table", &Applier::replicate_do_table},
        Entry{"replicate_ignore_table", &Applier::replicate_ignore_table},
        Entry{"replicate_wild_do_table", &Applier::replicate_wild_do_table},
        Entry{"replicate_wild_ignore_table", &Applier::replicate_wild_ignore_table},
        Entry{"replicate_rewrite_db", &Applier::replicate_rewrite_db},
    };
    for (const auto& e : kEntries) {
      if (e.name == name) return e.handler;
    }
    return nullptr;
  }

  void note(const Applied& a, std::string code, const std::string& message) {
    c_.notes.push_back({std::move(code), a.origin.text() + ": " + message, a.origin});
  }
  // The server stops at startup with this line.
  void refused(const Applied& a, const std::string& why) {
    note(a, "config.refused_value", why + "; the server refuses to start with this line");
  }

  // skip- / disable- hand the option "0" (and `skip-x=0` "1"), enable- "1"
  // (and `enable-x=0` "0"), whatever its type: my_getopt's disabled_my_option.
  static std::optional<std::string> effective_value(const Applied& a) {
    bool zero = a.value && *a.value == "0";
    if (a.prefix == Prefix::kSkip || a.prefix == Prefix::kDisable) return zero ? "1" : "0";
    if (a.prefix == Prefix::kEnable) return zero ? "0" : "1";
    return a.value;
  }

  // A boolean's value: a bare name is ON.
  std::optional<bool> bool_value(const Applied& a) {
    std::optional<std::string> value = effective_value(a);
    if (!value) return true;
    for (std::string_view t : {"1", "on", "true"}) {
      if (ascii_iequals(*value, t)) return true;
    }
    for (std::string_view f : {"0", "off", "false"}) {
      if (ascii_iequals(*value, f)) return false;
    }
    note(a, "config.bad_boolean",
         "boolean value '" + *value + "' of " + a.name +
             " is not 1/ON/TRUE or 0/OFF/FALSE; the server sets it to OFF");
    return false;
  }

  void set_bool(Setting<bool>& s, const Applied& a) {
    if (auto v = bool_value(a)) s = {*v, a.origin};
  }

  // An unsigned number with my_getopt's suffixes, clamped into `range`.
  void set_number(Setting<uint64_t>& s, const Applied& a, Range range) {
    std::optional<std::string> value = effective_value(a);
    if (!value) {
      refused(a, a.name + " needs a value");
      return;
    }
    const std::string& text = *value;
    if (!text.empty() && text.front() == '-') {
      refused(a, "'" + text + "' is not an unsigned value for " + a.name);
      return;
    }
    uint64_t n = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, n);
    bool overflow = ec == std::errc::result_out_of_range;
    if (overflow) {
      n = std::numeric_limits<uint64_t>::max();
      while (p != end && std::isdigit(static_cast<unsigned char>(*p))) ++p;
    }
    if (p != end) {
      static constexpr std::string_view kSuffixes = "KMGTPE";
      auto at = kSuffixes.find(static_cast<char>(std::toupper(static_cast<unsigned char>(*p))));
      if (at == std::string_view::npos || p + 1 != end) {
        refused(a, "unknown suffix '" + std::string(p, end) + "' in value '" + text + "' of " +
                       a.name + " (legal: K, M, G, T, P, E)");
        return;
      }
      for (std::size_t i = 0; i <= at; ++i) {
        overflow = overflow || n > std::numeric_limits<uint64_t>::max() / 1024;
        n = overflow ? std::numeric_limits<uint64_t>::max() : n * 1024;
      }
    }
    uint64_t clamped = std::clamp(n, range.min, range.max);
    if (clamped != n || overflow) {
      note(a, "config.value_adjusted",
           a.name + " = " + text + " is outside " + std::to_string(range.min) + ".." +
               std::to_string(range.max) + "; the server uses " + std::to_string(clamped));
    }
    s = {clamped, a.origin};
  }

  // One of `names` in any letter case, or its index.
  void set_enum(Setting<std::string>& s, const Applied& a, std::vector<std::string_view> names) {
    std::optional<std::string> value = effective_value(a);
    if (!value || value->empty()) {
      refused(a, a.name + " needs a value");
      return;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (ascii_iequals(*value, names[i]) || *value == std::to_string(i)) {
        s = {std::string(names[i]), a.origin};
        return;
      }
    }
    std::string list;
    for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
    refused(a, "'" + *value + "' is not a value of " + a.name + " (" + list + ")");
  }

  void add_name(std::vector<FilterEntry>& list, const Applied& a) {
    std::optional<std::string> value = effective_value(a);
    if (!value) {
      refused(a, a.name + " needs a value");
      return;
    }
    if (a.origin.kind == SettingOrigin::Kind::kOptionFile &&
        value->find(',') != std::string::npos) {
      note(a, "config.filter_comma_list",
           a.name + "=" + *value + " names ONE database called '" + *value +
               "' in an option file, not a list; write one " + a.line->name + " line per database");
    }
    list.push_back({*value, a.origin});
  }

  // db.table (wildcards allowed for the wild rules): the server refuses a rule
  // without a dot.
  void add_table(std::vector<FilterEntry>& list, const Applied& a) {
    std::optional<std::string> value = effective_value(a);
    if (!value || value->find('.') == std::string::npos) {
      refused(a, "could not add table rule '" + value.value_or("") + "': it needs DB.TABLE");
      return;
    }
    list.push_back({*value, a.origin});
  }

  void server_id(const Applied& a) { set_number(c_.server_id, a, {0, 4294967295ull}); }
  void log_bin(const Applied& a) {
    if (a.origin.kind == SettingOrigin::Kind::kLiveVariable) {  // the variable: ON / OFF
      set_bool(c_.log_bin, a);
      return;
    }
    // A string option with an optional argument (the base name): off only when
    // a prefix handed it "0" (mysqld compares the argument with disabled_my_option;
    // a typed `log-bin=0` is a base name).
    bool off = a.prefix != Prefix::kNone && effective_value(a) == "0";
    c_.log_bin = {!off, a.origin};
  }
  void log_slave_updates(const Applied& a) { set_bool(c_.log_slave_updates, a); }
  void replicate_same_server_id(const Applied& a) { set_bool(c_.replicate_same_server_id, a); }
  void binlog_format(const Applied& a) {
    set_enum(c_.binlog_format, a, {"MIXED", "STATEMENT", "ROW"});
  }
  void binlog_row_image(const Applied& a) {
    // MariaDB 10.11 refuses FULL_NODUP (tried); MariaDB 11.4 documents it.
    bool nodup = c_.identity.flavor == Flavor::kMariaDB && c_.identity.version &&
                 c_.identity.version->at_least(11, 4, 0);
    if (nodup) {
      set_enum(c_.binlog_row_image, a, {"MINIMAL", "NOBLOB", "FULL", "FULL_NODUP"});
    } else {
      set_enum(c_.binlog_row_image, a, {"MINIMAL", "NOBLOB", "FULL"});
    }
  }
  void binlog_checksum(const Applied& a) { set_enum(c_.binlog_checksum, a, {"NONE", "CRC32"}); }
  void sync_binlog(const Applied& a) { set_number(c_.sync_binlog, a, {0, 4294967295ull}); }
  void innodb_flush(const Applied& a) { set_number(c_.innodb_flush_log_at_trx_commit, a, {0, 3}); }
  void auto_increment_increment(const Applied& a) {
    set_number(c_.auto_increment_increment, a, {1, 65535});
  }
  void auto_increment_offset(const Applied& a) {
    set_number(c_.auto_increment_offset, a, {1, 65535});
  }
  // 2 (store as given, compare in lower case) is for case-insensitive file
  // systems: on Linux's the server logs a warning and uses 0 (mariadbd
  // --verbose --help shows 0 for lower_case_table_names=2 here).
  void lower_case_table_names(const Applied& a) {
    set_number(c_.lower_case_table_names, a, {0, 2});
    if (c_.lower_case_table_names.value == 2) {
      note(a, "config.value_adjusted",
           "lower_case_table_names=2 is for case-insensitive file systems; on Linux the server "
           "uses 0");
      c_.lower_case_table_names.value = 0;
    }
  }
  void gtid_domain_id(const Applied& a) { set_number(c_.gtid_domain_id, a, {0, 4294967295ull}); }
  void gtid_strict_mode(const Applied& a) { set_bool(c_.gtid_strict_mode, a); }
  void gtid_ignore_duplicates(const Applied& a) { set_bool(c_.gtid_ignore_duplicates, a); }
  void read_only(const Applied& a) { set_bool(c_.read_only, a); }
  void slave_skip_errors(const Applied& a) {
    std::optional<std::string> value = effective_value(a);
    if (!value) {
      refused(a, a.name + " needs a value");
      return;
    }
    c_.slave_skip_errors = {*value, a.origin};
  }
  void binlog_do_db(const Applied& a) { add_name(c_.binlog_do_db, a); }
  void binlog_ignore_db(const Applied& a) { add_name(c_.binlog_ignore_db, a); }
  void replicate_do_db(const Applied& a) { add_name(c_.replicate_do_db, a); }
  void replicate_ignore_db(const Applied& a) { add_name(c_.replicate_ignore_db, a); }
  void replicate_do_table(const Applied& a) { add_table(c_.replicate_do_table, a); }
  void replicate_ignore_table(const Applied& a) { add_table(c_.replicate_ignore_table, a); }
  void replicate_wild_do_table(const Applied& a) { add_table(c_.replicate_wild_do_table, a); }
  void replicate_wild_ignore_table(const Applied& a) {
    add_table(c_.replicate_wild_ignore_table, a);
  }
  // FROM->TO, spaces around either side dropped; both must be non-empty.
  void replicate_rewrite_db(const Applied& a) {
    std::string value = effective_value(a).value_or("");
    std::string_view v = value;
    std::size_t arrow = v.find("->");
    auto trim = [](std::string_view s) {
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
      return s;
    };
    if (arrow == std::string_view::npos || trim(v.substr(0, arrow)).empty() ||
        trim(v.substr(arrow + 2)).empty()) {
      refused(a, "bad syntax in replicate-rewrite-db '" + std::string(v) + "' (expected FROM->TO)");
      return;
    }
    c_.replicate_rewrite_db.push_back(
        {std::string(trim(v.substr(0, arrow))), std::string(trim(v.substr(arrow + 2))), a.origin});
  }

  ServerConfig& c_;
};

// Splits a special prefix off `name` (canonical): "skip_log_bin" -> kSkip, "log_bin".
std::pair<Prefix, std::string> split_prefix(const std::string& name) {
  static constexpr std::pair<std::string_view, Prefix> kPrefixes[] = {
      {"loose_", Prefix::kLoose},   {"skip_", Prefix::kSkip},       {"disable_", Prefix::kDisable},
      {"enable_", Prefix::kEnable}, {"maximum_", Prefix::kMaximum},
  };
  for (const auto& [text, prefix] : kPrefixes) {
    if (name.starts_with(text)) return {prefix, name.substr(text.size())};
  }
  return {Prefix::kNone, name};
}

std::string version_text(const protocol::ServerVersion& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
}

}  // namespace

std::string SettingOrigin::text() const {
  switch (kind) {
    case Kind::kOptionFile:
      return file.text();
    case Kind::kLiveVariable:
      return variable;
    case Kind::kDefault:
      break;
  }
  return "the server's default";
}

std::vector<std::string> server_option_groups(const ServerIdentity& identity) {
  // mysqld.cc load_default_groups. MariaDB 10.11 (tried with --print-defaults):
  // mysqld, server, mysqld-X.Y, mariadb, mariadb-X.Y, mariadbd, client-server,
  // galera (Debian's build has WSREP). MySQL 8: mysqld, server, mysqld-X.Y.
  std::vector<std::string> groups{"mysqld", "server"};
  if (identity.version) groups.push_back("mysqld-" + version_text(*identity.version));
  if (identity.flavor == Flavor::kMariaDB) {
    groups.emplace_back("mariadb");
    if (identity.version) groups.push_back("mariadb-" + version_text(*identity.version));
    groups.emplace_back("mariadbd");
    groups.emplace_back("client-server");
    groups.emplace_back("galera");
  }
  return groups;
}

ServerConfig default_server_config(const ServerIdentity& identity) {
  // MariaDB 10.11's defaults (mariadbd --no-defaults --verbose --help); MySQL 8
  // differs in binlog_format (ROW since 5.7.7), sync_binlog (1 since 5.7.7) and
  // log_replica_updates (ON since 8.0.3).
  ServerConfig c;
  c.identity = identity;
  bool mysql8 =
      identity.flavor == Flavor::kMySQL && identity.version && identity.version->at_least(8, 0, 3);
  c.server_id.value = 1;
  c.log_bin.value =
      identity.flavor == Flavor::kMySQL && identity.version && identity.version->at_least(8, 0, 0);
  c.log_slave_updates.value = mysql8;
  c.binlog_format.value = identity.flavor == Flavor::kMySQL ? "ROW" : "MIXED";
  c.binlog_row_image.value = "FULL";
  c.binlog_checksum.value = "CRC32";
  c.sync_binlog.value = identity.flavor == Flavor::kMySQL ? 1 : 0;
  c.innodb_flush_log_at_trx_commit.value = 1;
  c.auto_increment_increment.value = 1;
  c.auto_increment_offset.value = 1;
  c.slave_skip_errors.value = "OFF";
  return c;
}

ServerConfig server_config_from_options(const OptionFiles& files, const ServerIdentity& identity) {
  ServerConfig config = default_server_config(identity);
  std::vector<std::string> groups = server_option_groups(identity);
  auto read_by_server = [&](const std::string& group) {
    return std::any_of(groups.begin(), groups.end(),
                       [&](const std::string& g) { return ascii_iequals(g, group); });
  };
  Applier applier(config);
  std::vector<std::string> unread_version_groups;
  for (const OptionLine& line : files.options) {
    if (!read_by_server(line.group)) {
      bool versioned = line.group.starts_with("mysqld-") || line.group.starts_with("mariadb-");
      if (versioned && std::find(unread_version_groups.begin(), unread_version_groups.end(),
                                 line.group) == unread_version_groups.end()) {
        unread_version_groups.push_back(line.group);
        config.notes.push_back(
            {"config.version_group_not_read",
             line.origin.text() + ": group [" + line.group + "] is read only by server version " +
                 line.group.substr(line.group.find('-') + 1) +
                 (identity.version ? ", not by " + version_text(*identity.version)
                                   : " (this server's version is not known)"),
             {SettingOrigin::Kind::kOptionFile, line.origin, {}}});
      }
      continue;
    }
    Applied a{&line,
              canonical(line.name),
              line.value,
              Prefix::kNone,
              {SettingOrigin::Kind::kOptionFile, line.origin, {}}};
    // my_getopt: the whole name first; only an unknown name is tried without a
    // special prefix, repeatedly ("loose-skip-log-bin").
    std::string rest = a.name;
    while (!applier.models(rest)) {
      auto [prefix, stripped] = split_prefix(rest);
      if (prefix == Prefix::kNone) break;
      if (prefix != Prefix::kLoose) a.prefix = prefix;
      rest = stripped;
    }
    // maximum-X sets X's upper bound, not its value.
    if (!applier.models(rest) || a.prefix == Prefix::kMaximum) {
      config.other.push_back(line);
      continue;
    }
    a.name = rest;
    applier.apply(a);
  }
  return config;
}

ServerConfig server_config_from_variables(const std::vector<LiveVariable>& variables,
                                          const ServerIdentity& identity) {
  ServerConfig config = default_server_config(identity);
  Applier applier(config);
  // The filter variables join their rules with commas.
  static constexpr std::string_view kLists[] = {"binlog_do_db",
                                                "binlog_ignore_db",
                                                "replicate_do_db",
                                                "replicate_ignore_db",
                                                "replicate_do_table",
                                                "replicate_ignore_table",
                                                "replicate_wild_do_table",
                                                "replicate_wild_ignore_table",
                                                "replicate_rewrite_db"};
  for (const LiveVariable& v : variables) {
    std::string name = canonical(v.name);
    for (char& c : name) c = ascii_lower(c);
    if (!applier.models(name)) continue;
    OptionLine line;
    line.name = v.name;
    line.value = v.value;
    SettingOrigin origin;
    origin.kind = SettingOrigin::Kind::kLiveVariable;
    origin.variable = v.source;
    bool list = std::find(std::begin(kLists), std::end(kLists), name) != std::end(kLists);
    if (!list) {
      applier.apply(Applied{&line, name, v.value, Prefix::kNone, origin});
      continue;
    }
    std::vector<std::string> rules;
    std::string_view rest = v.value;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      rules.emplace_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    for (const auto& rule : rules) {
      applier.apply(Applied{&line, name, rule, Prefix::kNone, origin});
    }
    if (rules.size() > 1) {
      config.notes.push_back(
          {"config.live_list_split",
           v.source + ": " + v.name + " = " + v.value + " read as " + std::to_string(rules.size()) +
               " rules; the server joins its rules with commas, so a database name that holds a "
               "comma (an option-file line such as replicate-ignore-db=a,b) cannot be told from "
               "two rules: read the option file to be sure",
           origin});
    }
  }
  return config;
}

ServerConfig read_server_config(const std::string& path, const ServerIdentity& identity) {
  OptionFiles files = read_option_files(path);
  ServerConfig config = server_config_from_options(files, identity);
  for (const auto& w : files.warnings) {
    config.notes.push_back({"config.option_file_skipped", w, {}});
  }
  return config;
}

}  // namespace twinlog::config
