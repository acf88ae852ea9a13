// The session lines mariadb-binlog prints before a statement (use, SET TIMESTAMP,
// pseudo_thread_id, the flags2 options, sql_mode, auto_increment, character sets,
// time zone, lc_time_names, collation_database), each only when it differs from
// what the file's previous statements set; and --rewrite-db's `use`.
#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>

#include "src/print/binlog_statement.h"
#include "src/print/charset_names.h"
#include "src/print/event_description.h"
#include "src/print/text_printer.h"

namespace twinlog {

using namespace protocol;

namespace {

// The session options a QUERY event's flags2 carries (the server's OPTION_* bits),
// in the order mariadb-binlog prints them; `inverted` when the variable is the
// bit's negation (OPTION_NO_FOREIGN_KEY_CHECKS is foreign_key_checks=0).
struct SessionOption {
  uint32_t bit;
  bool inverted;
  const char* name;
};
constexpr uint32_t kIfExists = 1u << 28, kExplicitDefaults = 1u << 24, kInsertHistory = 1u << 30;
constexpr SessionOption kSessionOptions[] = {
    {1u << 26, true, "@@session.foreign_key_checks"},
    {1u << 14, false, "@@session.sql_auto_is_null"},
    {1u << 27, true, "@@session.unique_checks"},
    {1u << 19, true, "@@session.autocommit"},
    {1u << 15, true, "@@session.check_constraint_checks"},
    {kIfExists, false, "@@session.sql_if_exists"},
    {kExplicitDefaults, false, "@@session.explicit_defaults_for_timestamp"},
    {kInsertHistory, false, "@@session.system_versioning_insert_history"},
};

// The flags2 bits mariadb-binlog trusts in a file, by the version of the server
// that wrote it (Format_description_log_event::options_written_to_bin_log):
// sql_if_exists from MariaDB 10.5.2, explicit_defaults_for_timestamp from the
// releases that log it (10.11.5 here; the corpus test holds the line), the rest
// always.
uint32_t options_written(const FormatDescription& f) {
  uint32_t mask = (1u << 26) | (1u << 14) | (1u << 27) | (1u << 19) | (1u << 15) | kInsertHistory;
  if (!f.is_mariadb() || !f.version.at_least(10, 5, 2)) return mask;
  mask |= kIfExists;
  const ServerVersion& v = f.version;
  const bool later = v.major > 10 || (v.major == 10 && v.minor >= 11 && v.at_least(10, 11, 5));
  if (later) mask |= kExplicitDefaults;
  return mask;
}

// Query_log_event::is_trans_keyword: a prefix of BEGIN or COMMIT (compared to the
// query's length), SAVEPOINT or ROLLBACK (any case, at the start); inside an XA
// transaction, XA statements.
bool is_trans_keyword(std::string_view q, bool xa) {
  auto starts_nocase = [&](std::string_view word) {
    if (q.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (std::toupper(static_cast<unsigned char>(q[i])) != word[i]) return false;
    }
    return true;
  };
  if (xa) return starts_nocase("XA ");
  return std::string_view("BEGIN").starts_with(q) || std::string_view("COMMIT").starts_with(q) ||
         starts_nocase("SAVEPOINT") || starts_nocase("ROLLBACK");
}

}  // namespace

// --rewrite-db: a statement whose default database is renamed, and is not the
// session's already, gets `use TO` before its header line; the session keeps the
// name the binlog has, so that print_query_session prints no `use` of its own
// (mariadb-binlog's print_use_stmt).
void TextPrinter::print_rewritten_use(const StreamEvent& se, std::string& out) {
  const auto* q = std::get_if<QueryEvent>(se.event);
  if (!q || (se.view->header.flags & kFlagSuppressUse) ||
      is_trans_keyword(q->query, (session_.gtid_flags & 0xc0) != 0) || session_.db == q->database)
    return;
  const std::string* to = rewrite_.renamed(q->database);
  if (!to) return;
  out.append("use ").append(quoted_identifier(*to)).append(kDelimiter) += '\n';
  session_.db = std::string(q->database);
}

// The session lines before a statement, each only when it differs from what the
// file's previous statements set (Query_log_event::print_query_header).
void TextPrinter::print_query_session(const StreamEvent& se, const QueryEvent& q,
                                      std::string& out) {
  const QueryStatusVars& s = q.status;
  Session& m = session_;
  const uint16_t flags = se.view->header.flags;
  // mariadb-binlog reads a transaction keyword as if it carried
  // LOG_EVENT_SUPPRESS_USE_F (5.0 binlogs did not set it), and keeps the database.
  const bool keyword = is_trans_keyword(q.query, (m.gtid_flags & 0xc0) != 0);
  if ((flags & kFlagSuppressUse) || keyword) {
    if (!keyword) m.db.clear();
  } else if (m.db != q.database) {
    m.db = std::string(q.database);
    if (!m.db.empty()) {
      out += "use ";
      out += quoted_identifier(m.db);
      out.append(kDelimiter) += '\n';
    }
  }
  out += "SET TIMESTAMP=" + std::to_string(se.view->header.timestamp);
  // MariaDB's Q_HRNOW: the statement's microseconds (NOW(6) replays them).
  if (s.hrnow && *s.hrnow > 0 && *s.hrnow <= 999999) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ".%06" PRIu64, *s.hrnow);
    out += buf;
  }
  out.append(kDelimiter) += '\n';
  if (!m.thread_id_printed || ((flags & kFlagThreadSpecific) && q.thread_id != m.thread_id)) {
    // --short-form prints a fixed id, so that outputs compare.
    out.append("SET @@session.pseudo_thread_id=")
        .append(std::to_string(options_.short_form ? 999999999u : q.thread_id))
        .append(kDelimiter) += '\n';
    m.thread_id = q.thread_id;
    m.thread_id_printed = true;
  }
  if (s.flags2) {
    const uint32_t changed = m.flags2_known ? (m.flags2 ^ *s.flags2) : ~0u;
    m.flags2_known = true;
    if (changed) {
      const uint32_t written = options_written(*se.format);
      out += "SET ";
      bool comma = false;
      for (const SessionOption& o : kSessionOptions) {
        if (!(changed & o.bit & written)) continue;
        if (comma) out += ", ";
        const bool set = (*s.flags2 & o.bit) != 0;
        out.append(o.name).append(set != o.inverted ? "=1" : "=0");
        comma = true;
      }
      out.append(kDelimiter) += '\n';
      m.flags2 = *s.flags2;
    }
  }
  if (s.sql_mode && (!m.sql_mode_known || m.sql_mode != *s.sql_mode)) {
    out.append("SET @@session.sql_mode=").append(std::to_string(*s.sql_mode)).append(kDelimiter) +=
        '\n';
    m.sql_mode = *s.sql_mode;
    m.sql_mode_known = true;
  }
  const uint32_t increment = s.auto_increment ? s.auto_increment->increment : 1;
  const uint32_t offset = s.auto_increment ? s.auto_increment->offset : 1;
  if (increment != m.auto_increment_increment || offset != m.auto_increment_offset) {
    out.append("SET @@session.auto_increment_increment=")
        .append(std::to_string(increment))
        .append(", @@session.auto_increment_offset=")
        .append(std::to_string(offset))
        .append(kDelimiter) += '\n';
    m.auto_increment_increment = increment;
    m.auto_increment_offset = offset;
  }
  if (s.charset) {
    const uint16_t cs[3] = {s.charset->client, s.charset->connection, s.charset->server};
    if (!m.charset_known || !std::equal(cs, cs + 3, m.charset)) {
      const std::string_view name = charset_name(cs[0]);
      if (!name.empty())
        out.append("/*!\\C ").append(name).append(" */").append(kDelimiter) += '\n';
      else
        out += "# Ignored (Unknown charset) ";
      out.append("SET @@session.character_set_client=")
          .append(name.empty() ? std::string_view("Unknown") : name)
          .append(",@@session.collation_connection=")
          .append(std::to_string(cs[1]))
          .append(",@@session.collation_server=")
          .append(std::to_string(cs[2]))
          .append(kDelimiter) += '\n';
      std::copy(cs, cs + 3, m.charset);
      m.charset_known = true;
    }
  }
  if (s.time_zone && !s.time_zone->empty() && m.time_zone != *s.time_zone) {
    m.time_zone = std::string(*s.time_zone);
    out.append("SET @@session.time_zone='").append(m.time_zone).append("'").append(kDelimiter) +=
        '\n';
  }
  const uint32_t lc_time_names = s.lc_time_names.value_or(0);
  if (lc_time_names != m.lc_time_names) {
    out.append("SET @@session.lc_time_names=")
        .append(std::to_string(lc_time_names))
        .append(kDelimiter) += '\n';
    m.lc_time_names = lc_time_names;
  }
  const uint32_t collation_database = s.charset_database.value_or(0);
  if (collation_database != m.collation_database) {
    out.append("SET @@session.collation_database=")
        .append(collation_database ? std::to_string(collation_database) : "DEFAULT")
        .append(kDelimiter) += '\n';
    m.collation_database = collation_database;
  }
}

}  // namespace twinlog
