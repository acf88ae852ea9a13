#include "src/print/event_printer.h"

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <vector>

#include "protocol/column_type.h"
#include "protocol/row_image.h"
#include "protocol/value_text.h"
#include "src/print/event_description.h"
#include "src/print/json_writer.h"
#include "src/stream/transaction.h"

namespace twinlog {

using namespace protocol;

namespace {

// Each column's JSON key after a comma, with its quotes and colon (,"name":), built
// once per rows event; a column without a name in the table map is "@N".
std::vector<std::string> json_keys(const TableMapEvent& table) {
  // Each key is built from scratch and appended to, not assigned "," nor made of
  // "@" + std::to_string: GCC 12 at -O3 reports a false -Wrestrict inside both
  // (GCC bugs 105329 and 105651).
  std::vector<std::string> keys;
  keys.reserve(table.columns.size());
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& column = table.columns[i];
    std::string name = column.name.empty() ? std::string("@") : std::string(column.name);
    if (column.name.empty()) name.append(std::to_string(i + 1));
    std::string key(1, ',');  // the separator before every member but the first
    append_json_string(key, name);
    key.push_back(':');
    keys.push_back(std::move(key));
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
    if (auto error = append_json(out, reader, cell))
      throw SourceError(file, error->offset, error->message);
  }
  out += '}';
}

void append_rows_json(const StreamEvent& se, std::string& out) {
  const auto& rows = std::get<RowsEvent>(*se.event);
  if (!se.table) {
    out += "null";
    return;
  }
  RowReader reader(rows, *se.table, rows_offset(*se.view, rows), se.table_layouts);
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

// JSON: the members every event has.
void json_header(JsonObject& obj, const StreamEvent& se) {
  const EventView& v = *se.view;
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
}

// JSON: the members of one event type, after the header's; none for the types
// without a template of their own.
template <class T>
void json_fields(JsonObject&, const T&, const StreamEvent&) {}

void json_fields(JsonObject& obj, const FormatDescriptionEvent& e, const StreamEvent&) {
  obj.num("binlog_version", e.format.binlog_version)
      .str("server_version", e.format.server_version)
      .str("flavor", e.format.is_mariadb() ? "MariaDB" : "MySQL")
      .str("checksum_alg", e.format.checksum == ChecksumAlg::kCrc32 ? "CRC32" : "NONE");
}

void json_fields(JsonObject& obj, const QueryEvent& e, const StreamEvent&) {
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
}

void json_fields(JsonObject& obj, const RotateEvent& e, const StreamEvent&) {
  obj.str("next_file", e.next_file).num("position", e.position);
}

void json_fields(JsonObject& obj, const IntvarEvent& e, const StreamEvent&) {
  obj.str("kind", e.kind == IntvarEvent::kLastInsertId ? "LAST_INSERT_ID" : "INSERT_ID")
      .num("value", e.value);
}

void json_fields(JsonObject& obj, const XidEvent& e, const StreamEvent&) {
  obj.num("xid", e.xid);
}

void json_fields(JsonObject& obj, const TableMapEvent& e, const StreamEvent&) {
  obj.num("table_id", e.table_id).str("database", e.database).str("table", e.table);
  std::string& o = obj.raw("columns");
  o.push_back('[');
  for (std::size_t i = 0; i < e.columns.size(); ++i) {
    if (i) o.push_back(',');
    JsonObject c(o);
    if (!e.columns[i].name.empty()) c.str("name", e.columns[i].name);
    c.str("type", column_type_text(e.columns[i]))
        .num("meta", e.columns[i].meta)
        .boolean("nullable", e.columns[i].nullable);
    if (e.columns[i].is_unsigned) c.boolean("unsigned", *e.columns[i].is_unsigned);
    c.close();
  }
  o.push_back(']');
}

void json_fields(JsonObject& obj, const RowsEvent& e, const StreamEvent& se) {
  obj.num("table_id", e.table_id).boolean("stmt_end", e.end_of_statement());
  if (se.table) obj.str("database", se.table->database).str("table", se.table->table);
  append_rows_json(se, obj.raw("rows"));
}

void json_fields(JsonObject& obj, const GtidEvent& e, const StreamEvent&) {
  obj.str("gtid", e.anonymous ? "ANONYMOUS" : format_gtid(e));
  if (e.last_committed) obj.snum("last_committed", *e.last_committed);
  if (e.sequence_number) obj.snum("sequence_number", *e.sequence_number);
  if (e.transaction_length) obj.num("transaction_length", *e.transaction_length);
}

void json_fields(JsonObject& obj, const MariaGtidEvent& e, const StreamEvent& se) {
  const EventView& v = *se.view;
  obj.str("gtid", format_gtid(e, v.header.server_id))
      .num("gtid_flags", e.flags)
      .boolean("standalone", e.standalone());
  if (e.commit_id) obj.num("commit_id", *e.commit_id);
}

void json_fields(JsonObject& obj, const MariaGtidListEvent& e, const StreamEvent&) {
  std::string& o = obj.raw("gtids");
  o.push_back('[');
  for (std::size_t i = 0; i < e.gtids.size(); ++i) {
    if (i) o.push_back(',');
    append_json_string(o, std::to_string(e.gtids[i].domain_id) + "-" +
                              std::to_string(e.gtids[i].server_id) + "-" +
                              std::to_string(e.gtids[i].seq_no));
  }
  o.push_back(']');
}

void json_fields(JsonObject& obj, const AnnotateRowsEvent& e, const StreamEvent&) {
  obj.str("query", e.query);
}

void json_fields(JsonObject& obj, const RowsQueryEvent& e, const StreamEvent&) {
  obj.str("query", e.query);
}

void json_fields(JsonObject& obj, const TransactionPayloadEvent& e, const StreamEvent&) {
  obj.str("compression", e.compression_type == 0 ? "ZSTD" : "NONE")
      .num("payload_size", e.payload_size)
      .num("uncompressed_size", e.uncompressed_size);
}

void json_fields(JsonObject& obj, const IncidentEvent& e, const StreamEvent&) {
  obj.num("incident", e.incident).str("message", e.message);
}

void json_fields(JsonObject& obj, const BinlogCheckpointEvent& e, const StreamEvent&) {
  obj.str("checkpoint_file", e.file);
}

void json_fields(JsonObject& obj, const UnknownEvent&, const StreamEvent& se) {
  obj.boolean("unknown", true).str("raw_hex", hex_text(se.view->raw));
}

void json_fields(JsonObject& obj, const StartEncryptionEvent& e, const StreamEvent&) {
  obj.boolean("encrypted", true).num("key_version", e.key_version);
}

// `timestamp` in UTC, through strftime's `format`.
std::string utc_text(uint32_t timestamp, const char* format) {
  std::time_t t = timestamp;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

}  // namespace

// mysqlbinlog's "%02d%02d%02d %2d:%02d:%02d": the hour padded with a blank.
std::string format_event_time(uint32_t timestamp) {
  std::time_t t = timestamp;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d %2d:%02d:%02d", tm.tm_year % 100, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string format_datetime_utc(uint32_t timestamp) {
  return utc_text(timestamp, "%Y-%m-%d %H:%M:%S");
}

void EventPrinter::print(const StreamEvent& event, std::string& out) {
  if (format_ == OutputFormat::kText)
    text_.print(event, out);
  else
    print_json(event, out);
}

void EventPrinter::finish(std::string& out) {
  if (format_ == OutputFormat::kText) text_.finish(out);
}

void EventPrinter::print_json(const StreamEvent& se, std::string& out) {
  JsonObject obj(out);
  json_header(obj, se);
  std::visit([&](const auto& e) { json_fields(obj, e, se); }, *se.event);
  obj.close();
  out.push_back('\n');
}

}  // namespace twinlog
