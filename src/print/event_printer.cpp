#include "src/print/event_printer.h"

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <vector>

#include "protocol/row_image.h"
#include "protocol/column_type.h"
#include "protocol/value_text.h"
#include "src/print/json_writer.h"
#include "src/stream/transaction.h"

namespace twinlog {

using namespace protocol;

namespace {

std::string hex(Bytes bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (std::byte b : bytes) {
    s.push_back(kDigits[std::to_integer<uint8_t>(b) >> 4]);
    s.push_back(kDigits[std::to_integer<uint8_t>(b) & 0xf]);
  }
  return s;
}

std::string quoted_name(std::string_view db, std::string_view table) {
  std::string s = "`";
  s.append(db).append("`.`").append(table).append("`");
  return s;
}

// Text: one line describing the event after the common header line.
std::string describe(const StreamEvent& se) {
  const EventView& v = *se.view;
  return std::visit(
      [&](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        char buf[256];
        if constexpr (std::is_same_v<T, FormatDescriptionEvent>) {
          return "Start: binlog v " + std::to_string(e.format.binlog_version) + ", server v " +
                 e.format.server_version + " created " + format_event_time(e.format.create_timestamp);
        } else if constexpr (std::is_same_v<T, StartV3Event>) {
          return "Start: binlog v " + std::to_string(e.binlog_version) + ", server v " +
                 std::string(e.server_version.substr(0, e.server_version.find('\0')));
        } else if constexpr (std::is_same_v<T, QueryEvent>) {
          std::snprintf(buf, sizeof buf, "Query\tthread_id=%u\texec_time=%u\terror_code=%u", e.thread_id,
                        e.exec_time, e.error_code);
          std::string s = buf;
          if (e.status.xid) s += "\txid=" + std::to_string(*e.status.xid);
          return s;
        } else if constexpr (std::is_same_v<T, RotateEvent>) {
          return "Rotate to " + std::string(e.next_file) + "  pos: " + std::to_string(e.position);
        } else if constexpr (std::is_same_v<T, IntvarEvent>) {
          return std::string("Intvar\n") + (e.kind == IntvarEvent::kLastInsertId ? "SET LAST_INSERT_ID=" : "SET INSERT_ID=") +
                 std::to_string(e.value) + "/*!*/;";
        } else if constexpr (std::is_same_v<T, RandEvent>) {
          return "Rand\nSET @@RAND_SEED1=" + std::to_string(e.seed1) + ", @@RAND_SEED2=" + std::to_string(e.seed2) + "/*!*/;";
        } else if constexpr (std::is_same_v<T, UserVarEvent>) {
          return "User_var\nSET @`" + std::string(e.name) + "`" + (e.is_null ? ":=NULL" : ":=0x" + hex(e.value)) + "/*!*/;";
        } else if constexpr (std::is_same_v<T, XidEvent>) {
          return "Xid = " + std::to_string(e.xid) + "\nCOMMIT/*!*/;";
        } else if constexpr (std::is_same_v<T, StopEvent>) {
          return "Stop";
        } else if constexpr (std::is_same_v<T, IncidentEvent>) {
          return "Incident: " + std::string(e.incident == 1 ? "LOST_EVENTS" : std::to_string(e.incident)) +
                 " " + std::string(e.message);
        } else if constexpr (std::is_same_v<T, HeartbeatEvent>) {
          return "Heartbeat " + std::string(e.log_file) + (e.position ? " pos: " + std::to_string(*e.position) : "");
        } else if constexpr (std::is_same_v<T, TableMapEvent>) {
          return "Table_map: " + quoted_name(e.database, e.table) + " mapped to number " + std::to_string(e.table_id);
        } else if constexpr (std::is_same_v<T, RowsEvent>) {
          std::string s(event_type_name(v.original_type_code ? v.original_type_code : v.header.type_code));
          s += ": table id " + std::to_string(e.table_id);
          if (e.end_of_statement()) s += " flags: STMT_END_F";
          return s;
        } else if constexpr (std::is_same_v<T, GtidEvent>) {
          return e.anonymous ? std::string("Anonymous_GTID\tlast_committed=") + std::to_string(e.last_committed.value_or(0)) +
                                   "\tsequence_number=" + std::to_string(e.sequence_number.value_or(0)) +
                                   "\nSET @@SESSION.GTID_NEXT= 'ANONYMOUS'/*!*/;"
                             : "GTID\tlast_committed=" + std::to_string(e.last_committed.value_or(0)) +
                                   "\tsequence_number=" + std::to_string(e.sequence_number.value_or(0)) +
                                   "\nSET @@SESSION.GTID_NEXT= '" + format_gtid(e) + "'/*!*/;";
        } else if constexpr (std::is_same_v<T, MariaGtidEvent>) {
          std::string s = "GTID " + format_gtid(e, v.header.server_id);
          if (e.commit_id) s += " cid=" + std::to_string(*e.commit_id);
          if (e.flags & 0x20) s += " ddl";
          if (e.flags & 0x04) s += " trans";
          s += e.standalone() ? "" : "\n/*!100001 SET @@session.gtid_domain_id=" + std::to_string(e.domain_id) +
                                         "*//*!*/;\n/*!100001 SET @@session.server_id=" +
                                         std::to_string(v.header.server_id) + "*//*!*/;\n/*!100001 SET @@session.gtid_seq_no=" +
                                         std::to_string(e.seq_no) + "*//*!*/;\nSTART TRANSACTION\n/*!*/;";
          return s;
        } else if constexpr (std::is_same_v<T, MariaGtidListEvent>) {
          std::string s = "Gtid list [";
          for (std::size_t i = 0; i < e.gtids.size(); ++i) {
            if (i) s += ",\n# ";
            s += std::to_string(e.gtids[i].domain_id) + "-" + std::to_string(e.gtids[i].server_id) + "-" +
                 std::to_string(e.gtids[i].seq_no);
          }
          return s + "]";
        } else if constexpr (std::is_same_v<T, BinlogCheckpointEvent>) {
          return "Binlog checkpoint " + std::string(e.file);
        } else if constexpr (std::is_same_v<T, PreviousGtidsEvent>) {
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
          return s;
        } else if constexpr (std::is_same_v<T, TransactionPayloadEvent>) {
          return "Transaction_Payload\tpayload_size=" + std::to_string(e.payload_size) +
                 "\tcompression_type=" + (e.compression_type == 0 ? "ZSTD" : "NONE") +
                 "\tuncompressed_size=" + std::to_string(e.uncompressed_size);
        } else if constexpr (std::is_same_v<T, XaPrepareEvent>) {
          return std::string("XA PREPARE") + (e.one_phase ? " ONE PHASE" : "") + " format_id=" + std::to_string(e.xid.format_id);
        } else if constexpr (std::is_same_v<T, StartEncryptionEvent>) {
          return "Start_encryption: scheme " + std::to_string(e.scheme) + ", key version " + std::to_string(e.key_version) +
                 " (the rest of this binlog is encrypted)";
        } else if constexpr (std::is_same_v<T, UnknownEvent>) {
          return "Unknown event type " + std::to_string(e.type_code) + " (" + std::to_string(v.header.event_size) +
                 " bytes)\n# raw: " + hex(v.raw);
        } else {
          std::string s(event_type_name(v.header.type_code));
          return s.empty() ? event_type_label(v.header.type_code) : s;
        }
      },
      *se.event);
}

// describe(), except that statement texts, which can be megabytes (a multi-row
// INSERT), are appended in place rather than copied through a string.
void append_description(const StreamEvent& se, std::string& out) {
  if (const auto* a = std::get_if<AnnotateRowsEvent>(se.event)) {
    out.append("Annotate_rows:\n#Q> ").append(a->query);
  } else if (const auto* q = std::get_if<RowsQueryEvent>(se.event)) {
    out.append("Rows_query\n# ").append(q->query);
  } else {
    out += describe(se);
  }
}

// The parts of a text row line that depend only on the column, built once per
// rows event rather than once per cell:
//   ###   @N=<value> /* name TYPE meta=M nullable=1 is_null=0 */
struct TextColumn {
  std::string prefix;   // "###   @N="
  std::string comment;  // " /* name TYPE meta=M nullable=1 is_null="
};

std::vector<TextColumn> text_columns(const TableMapEvent& table) {
  std::vector<TextColumn> out(table.columns.size());
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& column = table.columns[i];
    out[i].prefix = "###   @" + std::to_string(i + 1) + "=";
    std::string& c = out[i].comment;
    c = " /* ";
    if (!column.name.empty()) c.append(column.name).append(" ");
    c += column_type_text(column) + " meta=" + std::to_string(column.meta) +
         " nullable=" + (column.nullable ? "1" : "0") + " is_null=";
  }
  return out;
}

void append_image_text(std::string& out, const std::string& file, const RowReader& reader,
                       const std::vector<TextColumn>& columns, const RowImage& image) {
  for (const Cell& cell : image.cells) {
    const TextColumn& text = columns[cell.column];
    out += text.prefix;
    if (cell.is_null) {
      out += "NULL";
    } else {
      if (auto error = append_sql_text(out, reader, cell)) throw SourceError(file, error->offset, error->message);
    }
    out += text.comment;
    out += cell.is_null ? "1 */\n" : "0 */\n";
  }
}

// Each column's JSON key after a comma, with its quotes and colon (,"name":), built
// once per rows event; a column without a name in the table map is "@N".
std::vector<std::string> json_keys(const TableMapEvent& table) {
  std::vector<std::string> keys(table.columns.size());
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& column = table.columns[i];
    keys[i] = ",";  // the separator before every member but the first
    append_json_string(keys[i], column.name.empty() ? "@" + std::to_string(i + 1) : std::string(column.name));
    keys[i].push_back(':');
  }
  return keys;
}

void append_image_json(std::string& out, const std::string& file, const RowReader& reader,
                       const std::vector<std::string>& keys, const RowImage& image) {
  out += '{';
  bool first = true;
  for (const Cell& cell : image.cells) {
    out.append(keys[cell.column], first ? 1 : 0);
    first = false;
    if (cell.is_null) {
      out += "null";
      continue;
    }
    if (auto error = append_json(out, reader, cell)) throw SourceError(file, error->offset, error->message);
  }
  out += '}';
}

}  // namespace

std::string format_event_time(uint32_t timestamp) {
  std::time_t t = timestamp;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%y%m%d %H:%M:%S", &tm);
  return buf;
}

std::string format_datetime_utc(uint32_t timestamp) {
  std::time_t t = timestamp;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

void EventPrinter::print(const StreamEvent& event, std::string& out) {
  if (format_ == OutputFormat::kText) print_text(event, out);
  else print_json(event, out);
}

void EventPrinter::print_text(const StreamEvent& se, std::string& out) {
  const EventView& v = *se.view;
  char buf[160];
  if (v.inner_index) {
    std::snprintf(buf, sizeof buf, "# at %" PRIu64 " (event %u inside the payload)\n", v.offset, v.inner_index);
  } else {
    std::snprintf(buf, sizeof buf, "# at %" PRIu64 "\n", v.offset);
  }
  out += buf;
  std::snprintf(buf, sizeof buf, "#%s server id %u  end_log_pos %u", format_event_time(v.header.timestamp).c_str(),
                v.header.server_id, v.header.log_pos);
  out += buf;
  if (se.checksum_verified) {
    std::snprintf(buf, sizeof buf, " CRC32 0x%08x", load_le32(v.raw.data() + v.raw.size() - 4));
    out += buf;
  }
  out += " \t";
  append_description(se, out);
  out += "\n";
  if (const auto* q = std::get_if<QueryEvent>(se.event)) {
    if (!q->database.empty() && q->database != last_database_) {
      last_database_ = std::string(q->database);
      out += "use `" + last_database_ + "`/*!*/;\n";
    }
    out += "SET TIMESTAMP=" + std::to_string(v.header.timestamp) + "/*!*/;\n";
    if (q->status.auto_increment) {
      out += "SET @@session.auto_increment_increment=" + std::to_string(q->status.auto_increment->increment) +
             ", @@session.auto_increment_offset=" + std::to_string(q->status.auto_increment->offset) + "/*!*/;\n";
    }
    out.append(q->query).append("\n/*!*/;\n");
  } else if (std::holds_alternative<RowsEvent>(*se.event)) {
    print_text_rows(se, out);
  }
}

void EventPrinter::print_text_rows(const StreamEvent& se, std::string& out) {
  const auto& rows = std::get<RowsEvent>(*se.event);
  if (!se.table) {
    out += "# rows not decoded: no TABLE_MAP for table id " + std::to_string(rows.table_id) + "\n";
    return;
  }
  const TableMapEvent& table = *se.table;
  const std::string name = quoted_name(table.database, table.table);
  RowReader reader(rows, table, rows_offset(*se.view, rows));
  RowChange row;
  uint64_t count = 0;
  const std::string& file = *se.file;
  const std::vector<TextColumn> columns = text_columns(table);
  while (reader.next(row)) {
    ++count;
    switch (rows.kind) {
      case RowsKind::kWrite:
        out.append("### INSERT INTO ").append(name).append("\n### SET\n");
        append_image_text(out, file, reader, columns, row.after);
        break;
      case RowsKind::kDelete:
        out.append("### DELETE FROM ").append(name).append("\n### WHERE\n");
        append_image_text(out, file, reader, columns, row.before);
        break;
      case RowsKind::kUpdate:
      case RowsKind::kPartialUpdate:
        out.append("### UPDATE ").append(name).append("\n### WHERE\n");
        append_image_text(out, file, reader, columns, row.before);
        out += "### SET\n";
        append_image_text(out, file, reader, columns, row.after);
        break;
    }
  }
  if (reader.failed()) throw SourceError(*se.file, reader.error().offset, reader.error().message);
  out += "# Number of rows: " + std::to_string(count) + "\n";
}

void EventPrinter::print_json(const StreamEvent& se, std::string& out) {
  const EventView& v = *se.view;
  JsonObject obj(out);
  obj.str("file", *se.file).num("pos", v.offset);
  if (v.inner_index) obj.num("inner_index", v.inner_index);
  obj.num("end_log_pos", v.header.log_pos)
      .num("timestamp", v.header.timestamp)
      .str("type", event_type_label(v.header.type_code))
      .num("type_code", v.header.type_code)
      .num("server_id", v.header.server_id)
      .num("size", v.header.event_size)
      .num("flags", v.header.flags);
  if (v.original_type_code) obj.str("compressed_as", event_type_constant(v.original_type_code));
  obj.str("checksum", se.checksum_verified ? "ok" : "none");
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, FormatDescriptionEvent>) {
          obj.num("binlog_version", e.format.binlog_version)
              .str("server_version", e.format.server_version)
              .str("flavor", e.format.is_mariadb() ? "MariaDB" : "MySQL")
              .str("checksum_alg", e.format.checksum == ChecksumAlg::kCrc32 ? "CRC32" : "NONE");
        } else if constexpr (std::is_same_v<T, QueryEvent>) {
          obj.num("thread_id", e.thread_id).num("exec_time", e.exec_time).num("error_code", e.error_code);
          obj.str("database", e.database).str("query", e.query);
          if (e.status.auto_increment) {
            obj.num("auto_increment_increment", e.status.auto_increment->increment)
                .num("auto_increment_offset", e.status.auto_increment->offset);
          }
          if (e.status.has_updated_db_names) {
            std::string& o = obj.raw("updated_db_names");
            o.push_back('[');
            for (std::size_t i = 0; i < e.status.updated_db_names.size(); ++i) {
              if (i) o.push_back(',');
              append_json_string(o, e.status.updated_db_names[i]);
            }
            o.push_back(']');
          }
        } else if constexpr (std::is_same_v<T, RotateEvent>) {
          obj.str("next_file", e.next_file).num("position", e.position);
        } else if constexpr (std::is_same_v<T, IntvarEvent>) {
          obj.str("kind", e.kind == IntvarEvent::kLastInsertId ? "LAST_INSERT_ID" : "INSERT_ID").num("value", e.value);
        } else if constexpr (std::is_same_v<T, XidEvent>) {
          obj.num("xid", e.xid);
        } else if constexpr (std::is_same_v<T, TableMapEvent>) {
          obj.num("table_id", e.table_id).str("database", e.database).str("table", e.table);
          std::string& o = obj.raw("columns");
          o.push_back('[');
          for (std::size_t i = 0; i < e.columns.size(); ++i) {
            if (i) o.push_back(',');
            JsonObject c(o);
            if (!e.columns[i].name.empty()) c.str("name", e.columns[i].name);
            c.str("type", column_type_text(e.columns[i])).num("meta", e.columns[i].meta).boolean("nullable", e.columns[i].nullable);
            if (e.columns[i].is_unsigned) c.boolean("unsigned", *e.columns[i].is_unsigned);
            c.close();
          }
          o.push_back(']');
        } else if constexpr (std::is_same_v<T, RowsEvent>) {
          obj.num("table_id", e.table_id).boolean("stmt_end", e.end_of_statement());
          if (se.table) obj.str("database", se.table->database).str("table", se.table->table);
          print_json_rows(se, obj.raw("rows"));
        } else if constexpr (std::is_same_v<T, GtidEvent>) {
          obj.str("gtid", e.anonymous ? "ANONYMOUS" : format_gtid(e));
          if (e.last_committed) obj.snum("last_committed", *e.last_committed);
          if (e.sequence_number) obj.snum("sequence_number", *e.sequence_number);
          if (e.transaction_length) obj.num("transaction_length", *e.transaction_length);
        } else if constexpr (std::is_same_v<T, MariaGtidEvent>) {
          obj.str("gtid", format_gtid(e, v.header.server_id)).num("gtid_flags", e.flags).boolean("standalone", e.standalone());
          if (e.commit_id) obj.num("commit_id", *e.commit_id);
        } else if constexpr (std::is_same_v<T, MariaGtidListEvent>) {
          std::string& o = obj.raw("gtids");
          o.push_back('[');
          for (std::size_t i = 0; i < e.gtids.size(); ++i) {
            if (i) o.push_back(',');
            append_json_string(o, std::to_string(e.gtids[i].domain_id) + "-" + std::to_string(e.gtids[i].server_id) +
                                      "-" + std::to_string(e.gtids[i].seq_no));
          }
          o.push_back(']');
        } else if constexpr (std::is_same_v<T, AnnotateRowsEvent> || std::is_same_v<T, RowsQueryEvent>) {
          obj.str("query", e.query);
        } else if constexpr (std::is_same_v<T, TransactionPayloadEvent>) {
          obj.str("compression", e.compression_type == 0 ? "ZSTD" : "NONE")
              .num("payload_size", e.payload_size)
              .num("uncompressed_size", e.uncompressed_size);
        } else if constexpr (std::is_same_v<T, IncidentEvent>) {
          obj.num("incident", e.incident).str("message", e.message);
        } else if constexpr (std::is_same_v<T, BinlogCheckpointEvent>) {
          obj.str("checkpoint_file", e.file);
        } else if constexpr (std::is_same_v<T, UnknownEvent>) {
          obj.boolean("unknown", true).str("raw_hex", hex(v.raw));
        } else if constexpr (std::is_same_v<T, StartEncryptionEvent>) {
          obj.boolean("encrypted", true).num("key_version", e.key_version);
        }
      },
      *se.event);
  obj.close();
  out.push_back('\n');
}

void EventPrinter::print_json_rows(const StreamEvent& se, std::string& out) {
  const auto& rows = std::get<RowsEvent>(*se.event);
  if (!se.table) {
    out += "null";
    return;
  }
  RowReader reader(rows, *se.table, rows_offset(*se.view, rows));
  RowChange row;
  const std::vector<std::string> keys = json_keys(*se.table);
  out.push_back('[');
  bool first = true;
  while (reader.next(row)) {
    if (!first) out.push_back(',');
    first = false;
    JsonObject r(out);
    if (row.has_before) append_image_json(r.raw("before"), *se.file, reader, keys, row.before);
    if (row.has_after) append_image_json(r.raw("after"), *se.file, reader, keys, row.after);
    r.close();
  }
  if (reader.failed()) throw SourceError(*se.file, reader.error().offset, reader.error().message);
  out.push_back(']');
}

}  // namespace twinlog
