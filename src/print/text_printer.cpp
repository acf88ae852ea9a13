#include "src/print/text_printer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <vector>

#include "src/print/binlog_statement.h"
#include "src/print/event_description.h"
#include "src/print/event_printer.h"
#include "src/print/load_text.h"
#include "src/print/row_text.h"
#include "src/print/table_metadata_text.h"
#include "src/stream/transaction.h"

namespace twinlog {

using namespace protocol;

namespace {

void append_decimal(std::string& out, uint64_t v) {
  char buf[20];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// "# at N" (printed for every event: std::to_chars, where snprintf's format
// parsing cost more than the digits).
void append_position(const StreamEvent& se, std::string& out) {
  const EventView& v = *se.view;
  out += "# at ";
  append_decimal(out, v.offset);
  if (v.inner_index) {
    out += " (event ";
    append_decimal(out, v.inner_index);
    out += " inside the payload)";
  }
  out += '\n';
}

// A binlog v3 (MySQL 4.x) event carries where it starts; mariadb-binlog prints
// where it ends, as v4 events carry it.
uint64_t end_log_pos(const StreamEvent& se) {
  const EventHeader& h = se.view->header;
  if (se.format->binlog_version == 3 && h.type_code < 15 && h.log_pos != 0)
    return uint64_t{h.log_pos} + h.event_size;
  return h.log_pos;
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

std::string xid_text(const XidData& xid) {
  return "X'" + hex_text(xid.gtrid) + "',X'" + hex_text(xid.bqual) + "'," +
         std::to_string(xid.format_id);
}

// MariaDB's START_ENCRYPTION as mariadb-binlog prints it; the events after it
// cannot be read without the server's key.
void append_encryption_lines(const StartEncryptionEvent& e, std::string& out) {
  out.append("# Encryption scheme: ").append(std::to_string(e.scheme));
  out.append(", key_version: ").append(std::to_string(e.key_version));
  out.append(", nonce: ").append(hex_text(e.nonce));
  out += "\n# The rest of the binlog is encrypted!\n";
}

}  // namespace

// The header line up to the tab before the description. The events of a second
// share their time's text.
void TextPrinter::append_header_line(const StreamEvent& se, std::string& out) {
  const EventView& v = *se.view;
  if (time_text_.empty() || v.header.timestamp != time_of_) {
    time_text_ = format_event_time(v.header.timestamp);
    time_of_ = v.header.timestamp;
  }
  out += '#';
  out += time_text_;
  out += " server id ";
  append_decimal(out, v.header.server_id);
  out += "  end_log_pos ";
  append_decimal(out, end_log_pos(se));
  // The checksum is printed whether or not it was verified, as mariadb-binlog does.
  if (se.checksum_verified ||
      (v.inner_index == 0 && se.format->checksum == ChecksumAlg::kCrc32 && v.raw.size() >= 4)) {
    static constexpr char kDigits[] = "0123456789abcdef";
    const uint32_t crc = load_le32(v.raw.data() + v.raw.size() - 4);
    char hex[8];
    for (int i = 0; i < 8; ++i) hex[i] = kDigits[(crc >> (28 - 4 * i)) & 0xf];
    out.append(" CRC32 0x").append(hex, sizeof hex);
  }
  out += ' ';
}

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

void TextPrinter::finish_after_error(std::string& out) {
  head_.clear();
  body_.clear();
  tail_.clear();
  rows_ = 0;
  rows_held_ = false;
  annotate_raw_.clear();
  finish(out);
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
  if (const auto* s = std::get_if<StartEncryptionEvent>(&e)) {
    // Without a header line, also under --hexdump (Start_encryption_log_event::print).
    append_encryption_lines(*s, out);
    return;
  }
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
  } else if (const auto* c = std::get_if<LoadEvent>(&e); c && c->file_id) {
    print_create_file(se, *c, out);
  } else if (const auto* x = std::get_if<ExecLoadEvent>(&e)) {
    print_exec_load(se, *x, out);
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
    if (created() && !(flags & kFlagArtificial)) out.append("ROLLBACK").append(kDelimiter) += '\n';
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
  } else if (const auto* s = std::get_if<StartEncryptionEvent>(&e)) {
    append_encryption_lines(*s, out);
  } else if (const auto* c = std::get_if<LoadEvent>(&e); c && c->file_id) {
    hold_create_file(se, *c);
  } else if (const auto* x = std::get_if<ExecLoadEvent>(&e)) {
    // The LOAD DATA a MySQL 4.x Exec_load runs, as mariadb-binlog prints it then.
    const auto it = loads_.find(x->file_id);
    if (x->type_code == 10 && it != loads_.end()) append_load_lines(it->second, false, out);
    loads_.erase(x->file_id);
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
  if (flags & kFlagBinlogInUse)
    head_ += "# Warning: this binlog is either in use or was not closed properly.\n";
  if (created && !(flags & kFlagArtificial)) head_.append("ROLLBACK").append(kDelimiter) += '\n';
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
    rows_ += row_text_.append(se, options_.verbosity, tail_);
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
  rows_ += row_text_.append(se, options_.verbosity, out);
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

// MySQL 4.x's LOAD DATA: the CREATE_FILE event is kept until the EXEC_LOAD that
// runs it (or the DELETE_FILE that drops it), by file id, as mariadb-binlog's
// Load_log_processor keeps it.
TextPrinter::HeldLoad& TextPrinter::hold_create_file(const StreamEvent& se, const LoadEvent& c) {
  HeldLoad& held = loads_[*c.file_id];
  held.header.clear();
  append_header_line(se, held.header);
  held.query_line.assign("\tQuery\tthread_id=")
      .append(std::to_string(c.thread_id))
      .append("\texec_time=")
      .append(std::to_string(c.exec_time)) += '\n';
  held.raw.clear();
  if (options_.hexdump) {
    std::vector<std::byte> scratch;
    const Bytes bytes = mariadb_event_bytes(se, scratch);
    held.raw.assign(bytes.begin(), bytes.end());
    held.dumped_header = dumped_header(se);
  }
  held.database = std::string(c.database);
  held.thread_id = c.thread_id;
  held.thread_specific = (se.view->header.flags & kFlagThreadSpecific) != 0;
  held.statement.clear();
  append_load_data(c, held.statement);
  held.file_lines.assign("# file_id: ")
      .append(std::to_string(*c.file_id))
      .append("  block_len: ")
      .append(std::to_string(c.block.size())) += '\n';
  return held;
}

// Create_file's own text: its statement commented out (mariadb-binlog has not
// written the file yet), which leaves the session's database as it was.
void TextPrinter::print_create_file(const StreamEvent& se, const LoadEvent& c, std::string& out) {
  const HeldLoad& held = hold_create_file(se, c);
  head_.append(held.query_line, 1);
  append_load_lines(held, true, head_);
  head_ += held.file_lines;
  flush_head(out);
}

// Exec_load's line, then the Create_file it runs with its header, its statement
// uncommented and the session's database updated; Delete_file's line.
void TextPrinter::print_exec_load(const StreamEvent& se, const ExecLoadEvent& x, std::string& out) {
  head_.pop_back();  // its text starts on a line of its own
  head_.append(x.type_code == 10 ? "\n#Exec_load: file_id=" : "\n#Delete_file: file_id=")
      .append(std::to_string(x.file_id)) += '\n';
  const auto it = loads_.find(x.file_id);
  if (x.type_code == 10 && it != loads_.end()) {
    head_ += it->second.header;
    if (!it->second.raw.empty()) {
      append_hexdump(Bytes(it->second.raw.data(), it->second.raw.size()), se.view->offset,
                     it->second.dumped_header, head_);
    }
    head_ += it->second.query_line;
    append_load_lines(it->second, false, head_);
    head_ += it->second.file_lines;
  }
  if (it != loads_.end()) loads_.erase(it);
  flush_head(out);
}

void TextPrinter::append_load_lines(const HeldLoad& held, bool commented, std::string& out) {
  const std::string_view prefix = commented ? "# " : "";
  if (held.database != session_.db) {
    if (!held.database.empty())
      out.append(prefix)
          .append("use ")
          .append(quoted_identifier(held.database))
          .append(kDelimiter) += '\n';
    if (!commented) session_.db = held.database;
  }
  if (held.thread_specific) {
    out.append(prefix)
        .append("SET @@session.pseudo_thread_id=")
        .append(std::to_string(held.thread_id))
        .append(kDelimiter) += '\n';
  }
  out.append(prefix).append("LOAD DATA ").append(held.statement).append(kDelimiter) += '\n';
}

}  // namespace twinlog
