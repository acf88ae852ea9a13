#include "src/print/event_description.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "protocol/decimal.h"
#include "protocol/event_type.h"
#include "src/print/charset_names.h"
#include "src/print/event_printer.h"
#include "src/stream/transaction.h"

namespace twinlog {

using namespace protocol;

namespace {

// What an event type without a description of its own prints: its name.
template <class T>
void describe(const T&, const EventView& v, std::string& out) {
  const std::string_view name = event_type_name(v.header.type_code);
  out += name.empty() ? event_type_label(v.header.type_code) : std::string(name);
}

// mariadb-binlog prints the event's own time after "created" (the created field
// only decides " at startup", which the text printer adds).
void describe(const FormatDescriptionEvent& e, const EventView& v, std::string& out) {
  out += "Start: binlog v " + std::to_string(e.format.binlog_version) + ", server v " +
         e.format.server_version + " created " + format_event_time(v.header.timestamp);
}

void describe(const StartV3Event& e, const EventView& v, std::string& out) {
  out += "Start: binlog v " + std::to_string(e.binlog_version) + ", server v " +
         std::string(e.server_version.substr(0, e.server_version.find('\0'))) + " created " +
         format_event_time(v.header.timestamp);
}

void describe(const QueryEvent& e, const EventView& v, std::string& out) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s\tthread_id=%u\texec_time=%u\terror_code=%u\txid=%" PRIu64,
                v.compressed() ? "Query_compressed" : "Query", e.thread_id, e.exec_time,
                e.error_code, e.status.xid.value_or(0));
  out += buf;
}

void describe(const ExecuteLoadQueryEvent& e, const EventView&, std::string& out) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "Execute_load_query\tthread_id=%u\texec_time=%u\terror_code=%u\txid=%" PRIu64,
                e.query.thread_id, e.query.exec_time, e.query.error_code,
                e.query.status.xid.value_or(0));
  out += buf;
}

// On a line of its own after the header's (Append_block_log_event::print).
void describe(const AppendBlockEvent& e, const EventView&, std::string& out) {
  out.append(e.type_code == 17 ? "\n#Begin_load_query" : "\n#Append_block")
      .append(": file_id: ")
      .append(std::to_string(e.file_id))
      .append("  block_len: ")
      .append(std::to_string(e.block.size()));
}

void describe(const RotateEvent& e, const EventView&, std::string& out) {
  out += "Rotate to " + std::string(e.next_file) + "  pos: " + std::to_string(e.position);
}

void describe(const IntvarEvent& e, const EventView&, std::string& out) {
  out += std::string("Intvar\n") +
         (e.kind == IntvarEvent::kLastInsertId ? "SET LAST_INSERT_ID=" : "SET INSERT_ID=") +
         std::to_string(e.value) + "/*!*/;";
}

void describe(const RandEvent& e, const EventView&, std::string& out) {
  out += "Rand\nSET @@RAND_SEED1=" + std::to_string(e.seed1) +
         ", @@RAND_SEED2=" + std::to_string(e.seed2) + "/*!*/;";
}

// The value typed as mariadb-binlog prints it, so that a replay sets the same
// variable: a number as a number, a string as hex with its character set and
// collation (User_var_log_event::print).
std::string user_var_value(const UserVarEvent& e) {
  const Bytes v = e.value;
  switch (e.value_type) {
    case 1: {  // REAL_RESULT
      if (v.size() < 8) break;
      double d;
      std::memcpy(&d, v.data(), 8);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.14g", d);
      return buf;
    }
    case 2: {  // INT_RESULT
      if (v.size() < 8) break;
      const uint64_t u = load_le64(v.data());
      return (e.flags & 0x01) ? std::to_string(u) : std::to_string(static_cast<int64_t>(u));
    }
    case 4: {  // DECIMAL_RESULT: precision, scale, the binary decimal
      if (v.size() < 2) break;
      auto text = decode_decimal(v.subspan(2), std::to_integer<unsigned>(v[0]),
                                 std::to_integer<unsigned>(v[1]), 0);
      if (text) return *text;
      break;
    }
    case 0: {  // STRING_RESULT
      const std::string_view charset = charset_name(e.charset);
      if (charset.empty()) return "???";
      return "_" + std::string(charset) + " " + (v.empty() ? "\"\"" : "0x" + hex_upper(v)) +
             " COLLATE `" + std::string(collation_name(e.charset)) + "`";
    }
    default:
      break;
  }
  return "0x" + hex_text(v);
}

void describe(const UserVarEvent& e, const EventView&, std::string& out) {
  out += "User_var\nSET @" + quoted_identifier(e.name) +
         ":=" + (e.is_null ? std::string("NULL") : user_var_value(e)) + "/*!*/;";
}

void describe(const XidEvent& e, const EventView&, std::string& out) {
  out += "Xid = " + std::to_string(e.xid) + "\nCOMMIT/*!*/;";
}

void describe(const StopEvent&, const EventView&, std::string& out) {
  out += "Stop";
}

void describe(const IncidentEvent& e, const EventView&, std::string& out) {
  out +=
      "\n# Incident: " + std::string(e.incident == 1 ? "LOST_EVENTS" : std::to_string(e.incident)) +
      "\nRELOAD DATABASE; # Shall generate syntax error";
}

void describe(const HeartbeatEvent& e, const EventView&, std::string& out) {
  out += "Heartbeat " + std::string(e.log_file) +
         (e.position ? " pos: " + std::to_string(*e.position) : "");
}

void describe(const TableMapEvent& e, const EventView&, std::string& out) {
  out += "Table_map: " + quoted_table_name(e.database, e.table) + " mapped to number " +
         std::to_string(e.table_id);
}

// mariadb-binlog names a rows event by its kind, v1 and v2 alike.
void describe(const RowsEvent& e, const EventView& v, std::string& out) {
  static constexpr const char* kNames[] = {"Write", "Update", "Delete", "Update"};
  out += kNames[static_cast<int>(e.kind)];
  // MySQL 5.1's pre-GA rows events (types 20-22) are mariadb-binlog's "_rows_old".
  const bool pre_ga = v.header.type_code >= 20 && v.header.type_code <= 22;
  out += v.compressed() ? "_compressed_rows" : pre_ga ? "_rows_old" : "_rows";
  out += ": table id " + std::to_string(e.table_id);
  if (e.end_of_statement()) out += " flags: STMT_END_F";
}

// Where `c` is next in `q` from `from` on, or q.size().
std::size_t next_of(std::string_view q, char c, std::size_t from) {
  if (from >= q.size()) return q.size();
  const void* p = std::memchr(q.data() + from, c, q.size() - from);
  return p ? static_cast<std::size_t>(static_cast<const char*>(p) - q.data()) : q.size();
}

// Statement texts can be megabytes (a multi-row INSERT): appended in place.
// One "#Q> " line per line of the statement, blank lines left out. The line ends
// are found with memchr, each kind once per stretch it spans: a byte-by-byte
// scan for either cost 9% of decode's text CPU on a file of multi-row INSERTs.
void describe(const AnnotateRowsEvent& e, const EventView&, std::string& out) {
  out.append("Annotate_rows:");
  const std::string_view q = e.query;
  std::size_t begin = 0, lf = next_of(q, '\n', 0), cr = next_of(q, '\r', 0);
  while (begin < q.size()) {
    while (begin < q.size() && (q[begin] == '\r' || q[begin] == '\n')) ++begin;
    if (begin == q.size()) break;
    if (lf < begin) lf = next_of(q, '\n', begin);
    if (cr < begin) cr = next_of(q, '\r', begin);
    const std::size_t end = std::min(lf, cr);
    out.append("\n#Q> ").append(q.substr(begin, end - begin));
    begin = end;
  }
}

void describe(const RowsQueryEvent& e, const EventView&, std::string& out) {
  out.append("Rows_query\n# ").append(e.query);
}

void describe(const GtidEvent& e, const EventView&, std::string& out) {
  out += e.anonymous ? std::string("Anonymous_GTID\tlast_committed=") +
                           std::to_string(e.last_committed.value_or(0)) +
                           "\tsequence_number=" + std::to_string(e.sequence_number.value_or(0)) +
                           "\nSET @@SESSION.GTID_NEXT= 'ANONYMOUS'/*!*/;"
                     : "GTID\tlast_committed=" + std::to_string(e.last_committed.value_or(0)) +
                           "\tsequence_number=" + std::to_string(e.sequence_number.value_or(0)) +
                           "\nSET @@SESSION.GTID_NEXT= '" + format_gtid(e) + "'/*!*/;";
}

// The header's flags; the session lines after it are the text printer's.
void describe(const MariaGtidEvent& e, const EventView& v, std::string& out) {
  out += "GTID " + format_gtid(e, v.header.server_id);
  if (e.commit_id) out += " cid=" + std::to_string(*e.commit_id);
  if (e.flags & 0x20) out += " ddl";
  if (e.flags & 0x04) out += " trans";
  if (e.flags & 0x10) out += " waited";
  if (e.flags_extra & 0x02) out += " START ALTER";
}

void describe(const MariaGtidListEvent& e, const EventView&, std::string& out) {
  std::string s = "Gtid list [";
  for (std::size_t i = 0; i < e.gtids.size(); ++i) {
    if (i) s += ",\n# ";
    s += std::to_string(e.gtids[i].domain_id) + "-" + std::to_string(e.gtids[i].server_id) + "-" +
         std::to_string(e.gtids[i].seq_no);
  }
  out += s + "]";
}

void describe(const BinlogCheckpointEvent& e, const EventView&, std::string& out) {
  out += "Binlog checkpoint " + std::string(e.file);
}

void describe(const PreviousGtidsEvent& e, const EventView&, std::string& out) {
  std::string s = "Previous-GTIDs\n# ";
  for (std::size_t i = 0; i < e.sets.size(); ++i) {
    if (i) s += ",\n# ";
    s += format_uuid(e.sets[i].sid);
    if (!e.sets[i].tag.empty()) s.append(":").append(e.sets[i].tag);
    for (const auto& iv : e.sets[i].intervals) {
      // append, not "literal" + std::string: GCC 12 at -O3 reports a false
      // -Wrestrict inside that operator+ (GCC bug 105651).
      s.append(":").append(std::to_string(iv.start));
      if (iv.end - 1 != iv.start) s.append("-").append(std::to_string(iv.end - 1));
    }
  }
  out += s;
}

void describe(const TransactionPayloadEvent& e, const EventView&, std::string& out) {
  out += "Transaction_Payload\tpayload_size=" + std::to_string(e.payload_size) +
         "\tcompression_type=" + (e.compression_type == 0 ? "ZSTD" : "NONE") +
         "\tuncompressed_size=" + std::to_string(e.uncompressed_size);
}

void describe(const XaPrepareEvent& e, const EventView&, std::string& out) {
  const std::string xid = "X'" + hex_text(e.xid.gtrid) + "',X'" + hex_text(e.xid.bqual) + "'," +
                          std::to_string(e.xid.format_id);
  out += "XID = " + xid + "\nXA PREPARE " + xid + "\n/*!*/;";
}

void describe(const UnknownEvent& e, const EventView& v, std::string& out) {
  out += "Unknown event type " + std::to_string(e.type_code) + " (" +
         std::to_string(v.header.event_size) + " bytes)\n# raw: " + hex_text(v.raw);
}

}  // namespace

void append_description(const StreamEvent& se, std::string& out) {
  std::visit([&](const auto& e) { describe(e, *se.view, out); }, *se.event);
}

namespace {

std::string hex_with(Bytes bytes, const char* digits) {
  std::string s;
  s.reserve(bytes.size() * 2);
  for (std::byte b : bytes) {
    s.push_back(digits[std::to_integer<uint8_t>(b) >> 4]);
    s.push_back(digits[std::to_integer<uint8_t>(b) & 0xf]);
  }
  return s;
}

}  // namespace

std::string hex_upper(Bytes bytes) {
  return hex_with(bytes, "0123456789ABCDEF");
}

std::string hex_text(Bytes bytes) {
  return hex_with(bytes, "0123456789abcdef");
}

// A string in quotes with mariadb-binlog's escapes (pretty_print_str): newline,
// return, backslash, backspace, tab, the quote and NUL.
void append_escaped_string(std::string& out, std::string_view s, char quote) {
  out.push_back(quote);
  for (char c : s) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back(quote);
}

std::string quoted_identifier(std::string_view name) {
  std::string s = "`";
  for (char c : name) {
    if (c == '`') s.push_back('`');
    s.push_back(c);
  }
  s.push_back('`');
  return s;
}

std::string quoted_table_name(std::string_view db, std::string_view table) {
  std::string s = "`";
  s.append(db).append("`.`").append(table).append("`");
  return s;
}

}  // namespace twinlog
