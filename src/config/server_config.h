// One server's replication-relevant configuration, read from its option files as
// that server would read them (or, later, from a live server's variables), with
// where every value came from so that a finding can quote it.
//
// How an option line becomes a setting follows the servers' my_getopt
// (handle_options), checked against `mariadbd --verbose --help`:
//   - names compare with '-' and '_' alike, letter case significant;
//   - a name that is not an option is tried without a "loose-", "skip-",
//     "disable-", "enable-" or "maximum-" prefix: skip / disable turn a boolean off
//     (and `skip-x=0` on again), enable turns it on, loose only hushes the error;
//   - a boolean is 1 / ON / TRUE or 0 / OFF / FALSE in any case; anything else
//     is OFF with a warning; a bare boolean name is ON;
//   - a number takes a K, M, G, T, P or E suffix, and is clamped into its range
//     with a warning;
//   - the last line wins for a value, filter options accumulate one NAME per line:
//     in an option file `replicate-ignore-db=mysql,information_schema` is one
//     database called "mysql,information_schema" (a comma list only in SET GLOBAL);
//   - unknown options are kept as they are, never an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/format_description.h"
#include "src/config/option_file.h"
#include "src/config/replica_status.h"

namespace twinlog::config {

// Where a setting's value came from.
struct SettingOrigin {
  enum class Kind : uint8_t { kDefault, kOptionFile, kLiveVariable };
  Kind kind = Kind::kDefault;
  OptionOrigin file;     // kOptionFile
  std::string variable;  // kLiveVariable: "SHOW VARIABLES server_id", ...
  // "master-a.cnf:7", "SHOW VARIABLES server_id" or "the server's default".
  std::string text() const;
};

template <class T>
struct Setting {
  T value{};
  SettingOrigin origin;
};

// One entry of a filter list (binlog-do-db, replicate-do-table, ...).
struct FilterEntry {
  std::string value;
  SettingOrigin origin;
};

// replicate-rewrite-db=FROM->TO
struct RewriteRule {
  std::string from, to;
  SettingOrigin origin;
};

// Something about the configuration worth telling: a value the server adjusts or
// does not recognise, a group it does not read, an option given twice.
struct ConfigNote {
  std::string code;     // config.value_adjusted, config.bad_boolean, ...
  std::string message;  // one line
  SettingOrigin origin;
};

// Which server reads the files: its option groups depend on flavor and version.
struct ServerIdentity {
  protocol::Flavor flavor = protocol::Flavor::kMariaDB;
  std::optional<protocol::ServerVersion> version;  // unknown: version groups are not read
};

struct ServerConfig {
  ServerIdentity identity;
  Setting<uint64_t> server_id;
  Setting<bool> log_bin;
  Setting<bool> log_slave_updates;
  Setting<bool> replicate_same_server_id;
  Setting<std::string> binlog_format;     // upper case: ROW, STATEMENT, MIXED
  Setting<std::string> binlog_row_image;  // FULL, MINIMAL, NOBLOB, FULL_NODUP
  Setting<std::string> binlog_checksum;   // NONE, CRC32
  Setting<uint64_t> sync_binlog;
  Setting<uint64_t> innodb_flush_log_at_trx_commit;
  Setting<uint64_t> auto_increment_increment;
  Setting<uint64_t> auto_increment_offset;
  Setting<uint64_t> lower_case_table_names;
  Setting<uint64_t> gtid_domain_id;
  Setting<bool> gtid_strict_mode;
  Setting<bool> gtid_ignore_duplicates;
  Setting<bool> read_only;
  Setting<std::string> slave_skip_errors;  // "OFF", "1062", "all", ...

  std::vector<FilterEntry> binlog_do_db, binlog_ignore_db;
  std::vector<FilterEntry> replicate_do_db, replicate_ignore_db;
  std::vector<FilterEntry> replicate_do_table, replicate_ignore_table;
  std::vector<FilterEntry> replicate_wild_do_table, replicate_wild_ignore_table;
  std::vector<RewriteRule> replicate_rewrite_db;

  std::vector<OptionLine> other;  // options twinlog does not model, kept as read
  std::vector<ConfigNote> notes;
  // A live server's replica channels (empty from option files, which do not hold
  // CHANGE MASTER's settings).
  std::vector<ReplicaChannel> replica_channels;
};

// The servers' defaults for `identity` (every origin kDefault).
ServerConfig default_server_config(const ServerIdentity& identity);

// The option groups `identity`'s server daemon reads, in the server's order.
std::vector<std::string> server_option_groups(const ServerIdentity& identity);

// Applies the lines of the groups the server reads, in file order.
ServerConfig server_config_from_options(const OptionFiles& files, const ServerIdentity& identity);

// A server variable as a live server reports it, with the statement that did.
struct LiveVariable {
  std::string name;    // "server_id", "replicate_do_db", "binlog_do_db", ...
  std::string value;   // as reported: ON / OFF, numbers, comma-joined lists
  std::string source;  // "SHOW GLOBAL VARIABLES server_id", "SHOW MASTER STATUS Binlog_Do_DB"
};

// The same settings from a live server's variables. Filter lists are split at
// their commas (as SET GLOBAL reads them), with a note that an option file's
// comma-holding name cannot be told apart.
ServerConfig server_config_from_variables(const std::vector<LiveVariable>& variables,
                                          const ServerIdentity& identity);

// Reads `path` (and its includes) as `identity`'s server would. Throws
// OptionFileError for a file the server would refuse.
ServerConfig read_server_config(const std::string& path, const ServerIdentity& identity);

}  // namespace twinlog::config
