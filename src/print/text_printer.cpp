#include "src/print/text_printer.h"

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <vector>

#include "src/print/binlog_statement.h"
#include "src/print/charset_names.h"
#include "src/print/event_description.h"
#include "src/print/event_printer.h"
#include "src/print/row_text.h"
#include "src/print/table_metadata_text.h"
#include "src/stream/transaction.h"

namespace twinlog {

using namespace protocol;

namespace {

constexpr const char* kDelimiter = "/*!*/;";
constexpr uint16_t kBinlogInUse = 0x0001;     // LOG_EVENT_BINLOG_IN_USE_F
constexpr uint16_t kThreadSpecific = 0x0004;  // LOG_EVENT_THREAD_SPECIFIC_F
constexpr uint16_t kSuppressUse = 0x0008;     // LOG_EVENT_SUPPRESS_USE_F
constexpr uint16_t kArtificial = 0x0020;      // LOG_EVENT_ARTIFICIAL_F

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

// "# at N", then the header line up to the tab before the description.
void append_position(const StreamEvent& se, std::string& out) {
  const EventView& v = *se.view;
  char buf[96];
  if (v.inner_index) {
    std::snprintf(buf, sizeof buf, "# at %" PRIu64 " (event %u inside the payload)\n", v.offset,
                  v.inner_index);
  } else {
    std::snprintf(buf, sizeof buf, "# at %" PRIu64 "\n", v.offset);
  }
  out += buf;
}

// A binlog v3 (MySQL 4.x) event carries where it starts; mariadb-binlog prints
// where it ends, as v4 events carry it.
uint64_t end_log_pos(const StreamEvent& se) {
  const EventHeader& h = se.view->header;
  if (se.format->binlog_version == 3 && h.type_code < 15 && h.log_pos != 0)
    return uint64_t{h.log_pos} + h.event_size;
  return h.log_pos;
}

void append_header_line(const StreamEvent& se, std::string& out) {
  const EventView& v = *se.view;
  char buf[160];
  std::snprintf(buf, sizeof buf, "#%s server id %u  end_log_pos %" PRIu64,
                format_event_time(v.header.timestamp).c_str(), v.header.server_id, end_log_pos(se));
  out += buf;
  // The checksum is printed whether or not it was verified, as mariadb-binlog does.
  if (se.checksum_verified ||
      (v.inner_index == 0 && se.format->checksum == ChecksumAlg::kCrc32 && v.raw.size() >= 4)) {
    std::snprintf(buf, sizeof buf, " CRC32 0x%08x", load_le32(v.raw.data() + v.raw.size() - 4));
    out += buf;
  }
  out += ' ';
}

// The common header --hexdump leaves out of an event's body lines: its length as
// the file's FORMAT_DESCRIPTION gives it. A binlog v1 / v3 file has none: its
// start and rotate events are dumped after a v4 header's 19 bytes, the other
// events whole (what mariadb-binlog does, seen on MySQL 4.x files).
std::size_t dumped_header(const StreamEvent& se) {
  if (se.format->binlog_version >= 4) return se.view->header_length;
  const bool control = std::holds_alternative<StartV3Event>(*se.event) ||
                       std::holds_alternative<RotateEvent>(*se.event);
  return control ? kHeaderLength : 0;
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

std::string xid_text(const XidData& xid) {
  return "X'" + hex_text(xid.gtrid) + "',X'" + hex_text(xid.bqual) + "'," +
         std::to_string(xid.format_id);
}

}  // namespace

void TextPrinter::start_file(const std::string& file, std::string& out) {
  if (!started_) {
    out +=
        "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;\n"
        "/*!40019 SET @@session.max_delayed_threads=0*/;\n"
        "/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/;\n";
    started_ = true;
  } else {
    end_file(out);
  }
  out += "DELIMITER /*!*/;\n";
  file_ = file;
  session_ = Session{};
}

void TextPrinter::end_file(std::string& out) {
  // A statement whose last rows event was not printed: what was held back.
  flush_head(out);
  out += body_;
  out += tail_;
  body_.clear();
  tail_.clear();
  out += "DELIMITER ;\n";
}

void TextPrinter::finish(std::string& out) {
  if (!started_) return;
  end_file(out);
  out +=
      "# End of log file\n"
      "ROLLBACK /* added by mysqlbinlog */;\n"
      "/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n"
      "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;\n";
  started_ = false;
}

void TextPrinter::flush_head(std::string& out) {
  out += head_;
  head_.clear();
}

void TextPrinter::print(const StreamEvent& event, std::string& out) {
  const StreamEvent& se = rewrite_.empty() ? event : rewrite_.apply(event);
  if (!started_ || *se.file != file_) start_file(*se.file, out);
  if (options_.short_form) {
    print_short(se, out);
    return;
  }
  append_position(se, out);
  if (!rewrite_.empty()) print_rewritten_use(se, out);
  const Event& e = *se.event;
  const bool hexdump =
      options_.hexdump && se.view->inner_index == 0 && se.view->raw.size() >= kHeaderLength;
  if (!annotate_raw_.empty()) {
    // mariadb-binlog prints an ANNOTATE_ROWS when the next event comes, and labels
    // its bytes with that event's position.
    append_hexdump(Bytes(annotate_raw_.data(), annotate_raw_.size()), se.view->offset,
                   dumped_header(se), head_);
    head_ += annotate_text_;
    annotate_raw_.clear();
  }
  append_header_line(se, head_);
  if (hexdump && std::holds_alternative<AnnotateRowsEvent>(e)) {
    annotate_raw_.assign(se.view->raw.begin(), se.view->raw.end());
    annotate_text_ = "\t";
    append_description(se, annotate_text_);
    annotate_text_ += '\n';
    return;
  }
  if (hexdump) {
    std::vector<std::byte> scratch;
    append_hexdump(mariadb_event_bytes(se, scratch), se.view->offset, dumped_header(se), head_);
  }
  head_ += '\t';
  if (const auto* f = std::get_if<FormatDescriptionEvent>(&e)) {
    print_format(se, f->format.create_timestamp != 0, out);
  } else if (const auto* s = std::get_if<StartV3Event>(&e)) {
    print_format(se, s->created != 0, out);
  } else if (const auto* q = std::get_if<QueryEvent>(&e)) {
    print_query(se, *q, out);
  } else if (const auto* l = std::get_if<ExecuteLoadQueryEvent>(&e)) {
    // The statement as the server ran it: mariadb-binlog's LOCAL INFILE names a
    // file it writes, which twinlog does not.
    print_query(se, l->query, out);
    out.append("# file_id: ").append(std::to_string(l->file_id)) += " \n";
  } else if (std::holds_alternative<MariaGtidEvent>(e)) {
    print_gtid(se, out);
  } else if (std::holds_alternative<AnnotateRowsEvent>(e)) {
    // Held until its table map is printed, as mariadb-binlog does.
    append_description(se, head_);
    head_ += '\n';
  } else if (std::holds_alternative<TableMapEvent>(e)) {
    print_table_map(se, out);
  } else if (std::holds_alternative<RowsEvent>(e)) {
    print_rows(se, out);
  } else {
    std::string description;
    append_description(se, description);
    // --skip-gtids: a MySQL GTID without its SET @@SESSION.GTID_NEXT line (MySQL's
    // mysqlbinlog --skip-gtids).
    if (options_.skip_gtids && std::holds_alternative<GtidEvent>(e))
      description.resize(std::min(description.size(), description.find('\n')));
    // An event whose text starts on a line of its own ends its header line
    // without the tab (mariadb-binlog's Incident and Unknown events).
    if (description.starts_with('\n')) head_.pop_back();
    head_ += description;
    head_ += '\n';
    flush_head(out);
  }
}

void TextPrinter::print_position(const StreamEvent& se, std::string& out) {
  if (!started_ || *se.file != file_) start_file(*se.file, out);
  if (!options_.short_form) append_position(se, out);
}

// --short-form: the statements only, without positions, headers and rows (what
// mariadb-binlog --short-form prints of each event).
void TextPrinter::print_short(const StreamEvent& se, std::string& out) {
  const Event& e = *se.event;
  const uint16_t flags = se.view->header.flags;
  auto created = [&] {
    if (const auto* f = std::get_if<FormatDescriptionEvent>(&e))
      return f->format.create_timestamp != 0;
    return std::get<StartV3Event>(e).created != 0;
  };
  if (std::holds_alternative<FormatDescriptionEvent>(e) ||
      std::holds_alternative<StartV3Event>(e)) {
    if (created() && !(flags & kArtificial)) out.append("ROLLBACK").append(kDelimiter) += '\n';
  } else if (const auto* q = std::get_if<QueryEvent>(&e)) {
    if (!rewrite_.empty()) print_rewritten_use(se, out);
    print_query_session(se, *q, out);
    out.append(q->query).append("\n").append(kDelimiter) += '\n';
  } else if (const auto* l = std::get_if<ExecuteLoadQueryEvent>(&e)) {
    print_query_session(se, l->query, out);
    out.append(l->query.query).append("\n").append(kDelimiter) += '\n';
  } else if (const auto* g = std::get_if<MariaGtidEvent>(&e)) {
    if ((g->flags & 0x40) && g->xid)
      out.append("XA START ").append(xid_text(*g->xid)).append(kDelimiter) += '\n';
    else if (!g->standalone())
      out.append("START TRANSACTION\n").append(kDelimiter) += '\n';
    session_.gtid_flags = g->flags;
  } else if (std::holds_alternative<AnnotateRowsEvent>(e)) {
    out += "# ";
    append_description(se, out);
    out += '\n';
  } else if (std::holds_alternative<IntvarEvent>(e) || std::holds_alternative<RandEvent>(e) ||
             std::holds_alternative<UserVarEvent>(e) || std::holds_alternative<XidEvent>(e) ||
             std::holds_alternative<XaPrepareEvent>(e)) {
    // Their text without its first line, the header's description.
    std::string text;
    append_description(se, text);
    out.append(text, text.find('\n') + 1) += '\n';
  }
}

// The start event: its creation, a ROLLBACK when the server wrote it at startup
// (a server that crashed left transactions open), and under --base64-output=auto
// the event itself, which the BINLOG statements after it need.
void TextPrinter::print_format(const StreamEvent& se, bool created, std::string& out) {
  const uint16_t flags = se.view->header.flags;
  append_description(se, head_);
  if (created) head_ += " at startup";
  head_ += '\n';
  if (flags & kBinlogInUse)
    head_ += "# Warning: this binlog is either in use or was not closed properly.\n";
  if (created && !(flags & kArtificial)) head_.append("ROLLBACK").append(kDelimiter) += '\n';
  if (encoded()) {
    head_ += "BINLOG '\n";
    append_event_base64(se, head_);
    head_.append("'").append(kDelimiter) += '\n';
  }
  flush_head(out);
}

void TextPrinter::print_query(const StreamEvent& se, const QueryEvent& q, std::string& out) {
  append_description(se, head_);
  head_ += '\n';
  print_query_session(se, q, head_);
  head_.append(q.query).append("\n").append(kDelimiter) += '\n';
  flush_head(out);
}

// --rewrite-db: a statement whose default database is renamed, and is not the
// session's already, gets `use TO` before its header line; the session keeps the
// name the binlog has, so that print_query_session prints no `use` of its own
// (mariadb-binlog's print_use_stmt).
void TextPrinter::print_rewritten_use(const StreamEvent& se, std::string& out) {
  const auto* q = std::get_if<QueryEvent>(se.event);
  if (!q || (se.view->header.flags & kSuppressUse) ||
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
  if ((flags & kSuppressUse) || keyword) {
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
  if (!m.thread_id_printed || ((flags & kThreadSpecific) && q.thread_id != m.thread_id)) {
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

// A MariaDB GTID: the session's parallel-replication, domain, server id and
// sequence number lines a replay needs (each only when it changed), then the
// transaction's start.
void TextPrinter::print_gtid(const StreamEvent& se, std::string& out) {
  const auto& g = std::get<MariaGtidEvent>(*se.event);
  const uint32_t server_id = se.view->header.server_id;
  Session& m = session_;
  append_description(se, head_);
  head_ += '\n';
  const bool allow_parallel = (g.flags & 0x08) != 0;
  if (!m.allow_parallel_printed || m.allow_parallel != allow_parallel) {
    head_.append("/*M!100101 SET @@session.skip_parallel_replication=")
        .append(allow_parallel ? "0" : "1")
        .append("*/")
        .append(kDelimiter) += '\n';
    m.allow_parallel = allow_parallel;
    m.allow_parallel_printed = true;
  }
  // --skip-gtids: no GTID lines, the replaying server gives the transaction a
  // GTID of its own.
  if (!options_.skip_gtids) print_gtid_lines(g, server_id);
  if ((g.flags & 0x40) && g.xid) {
    head_.append("XA START ").append(xid_text(*g.xid)).append(kDelimiter) += '\n';
  } else if (!g.standalone()) {
    head_.append("START TRANSACTION\n").append(kDelimiter) += '\n';
  }
  m.gtid_flags = g.flags;
  flush_head(out);
}

// The GTID's domain and server id (each when it changed) and sequence number, as
// session variables that make a replay log the transaction under the same GTID.
void TextPrinter::print_gtid_lines(const MariaGtidEvent& g, uint32_t server_id) {
  Session& m = session_;
  if (!m.domain_id_printed || m.domain_id != g.domain_id) {
    head_.append("/*M!100001 SET @@session.gtid_domain_id=")
        .append(std::to_string(g.domain_id))
        .append("*/")
        .append(kDelimiter) += '\n';
    m.domain_id = g.domain_id;
    m.domain_id_printed = true;
  }
  if (!m.server_id_printed || m.server_id != server_id) {
    head_.append("/*M!100001 SET @@session.server_id=")
        .append(std::to_string(server_id))
        .append("*/")
        .append(kDelimiter) += '\n';
    m.server_id = server_id;
    m.server_id_printed = true;
  }
  head_.append("/*M!100001 SET @@session.gtid_seq_no=")
      .append(std::to_string(g.seq_no))
      .append("*/")
      .append(kDelimiter) += '\n';
}

void TextPrinter::print_table_map(const StreamEvent& se, std::string& out) {
  if (options_.base64 == Base64Output::kNever)
    throw SourceError(*se.file, se.view->offset,
                      "--base64-output=never specified, but binlog contains a Table_map event "
                      "which must be printed in base64.");
  append_description(se, head_);
  head_ += '\n';
  if (options_.table_metadata) append_table_metadata(std::get<TableMapEvent>(*se.event), head_);
  flush_head(out);
  if (encoded()) append_event_base64(se, body_);
}

// A rows event: its header, base64 and rows wait for the statement's last rows
// event, then come out as one BINLOG statement after the headers, with the rows
// after it (mariadb-binlog's Rows_log_event::print_helper).
void TextPrinter::print_rows(const StreamEvent& se, std::string& out) {
  const auto& rows = std::get<RowsEvent>(*se.event);
  if (options_.base64 == Base64Output::kNever)
    throw SourceError(*se.file, se.view->offset,
                      "--base64-output=never specified, but binlog contains a rows event which "
                      "must be printed in base64.");
  append_description(se, head_);
  // A pre-GA rows event (MySQL 5.1, types 20-22) shows its STMT_END_F only beside
  // its base64 in mariadb-binlog (Old_rows_log_event::print_helper).
  constexpr std::string_view kStatementEnd = " flags: STMT_END_F";
  const uint8_t type = se.view->header.type_code;
  if (type >= 20 && type <= 22 && !encoded() && head_.ends_with(kStatementEnd))
    head_.resize(head_.size() - kStatementEnd.size());
  head_ += '\n';
  if (!rows.end_of_statement()) {
    if (encoded()) append_event_base64(se, body_);
    rows_ += append_rows_text(se, options_.verbosity, tail_);
    rows_held_ = true;
    return;
  }
  // The statement's last event goes straight to `out`, after what was held back.
  flush_head(out);
  if (encoded() && body_.size() + 2 * se.view->raw.size() + 64 < kBinlogStatementMax) {
    // The last event's base64 straight to `out`, after what was held back: the
    // statement is one BINLOG (base64 is less than twice the bytes).
    out.append("\nBINLOG '\n").append(body_);
    append_event_base64(se, out);
    out.append("'").append(kDelimiter) += '\n';
  } else if (encoded()) {
    append_event_base64(se, body_);
    append_binlog_statement(body_, out);
  }
  out += tail_;
  rows_ += append_rows_text(se, options_.verbosity, out);
  out += "# Number of rows: " + std::to_string(rows_) + "\n";
  body_.clear();
  tail_.clear();
  rows_ = 0;
  rows_held_ = false;
}

void TextPrinter::end_statement(std::string& out) {
  annotate_raw_.clear();
  if (!rows_held_) {
    head_.clear();
    return;
  }
  flush_head(out);
  if (encoded()) append_binlog_statement(body_, out);
  out += tail_;
  out += "# Number of rows: " + std::to_string(rows_) + "\n";
  body_.clear();
  tail_.clear();
  rows_ = 0;
  rows_held_ = false;
}

}  // namespace twinlog
