#include "src/print/event_description.h"

#include <cstdio>

#include "protocol/event_type.h"
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

void describe(const FormatDescriptionEvent& e, const EventView&, std::string& out) {
  out += "Start: binlog v " + std::to_string(e.format.binlog_version) + ", server v " +
         e.format.server_version + " created " + format_event_time(e.format.create_timestamp);
}

void describe(const StartV3Event& e, const EventView&, std::string& out) {
  out += "Start: binlog v " + std::to_string(e.binlog_version) + ", server v " +
         std::string(e.server_version.substr(0, e.server_version.find('\0')));
}

void describe(const QueryEvent& e, const EventView&, std::string& out) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "Query\tthread_id=%u\texec_time=%u\terror_code=%u", e.thread_id,
                e.exec_time, e.error_code);
  out += buf;
  if (e.status.xid) out += "\txid=" + std::to_string(*e.status.xid);
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

void describe(const UserVarEvent& e, const EventView&, std::string& out) {
  out += "User_var\nSET @`" + std::string(e.name) + "`" +
         (e.is_null ? ":=NULL" : ":=0x" + hex_text(e.value)) + "/*!*/;";
}

void describe(const XidEvent& e, const EventView&, std::string& out) {
  out += "Xid = " + std::to_string(e.xid) + "\nCOMMIT/*!*/;";
}

void describe(const StopEvent&, const EventView&, std::string& out) {
  out += "Stop";
}

void describe(const IncidentEvent& e, const EventView&, std::string& out) {
  out += "Incident: " + std::string(e.incident == 1 ? "LOST_EVENTS" : std::to_string(e.incident)) +
         " " + std::string(e.message);
}

void describe(const HeartbeatEvent& e, const EventView&, std::string& out) {
  out += "Heartbeat " + std::string(e.log_file) +
         (e.position ? " pos: " + std::to_string(*e.position) : "");
}

void describe(const TableMapEvent& e, const EventView&, std::string& out) {
  out += "Table_map: " + quoted_table_name(e.database, e.table) + " mapped to number " +
         std::to_string(e.table_id);
}

void describe(const RowsEvent& e, const EventView& v, std::string& out) {
  out += event_type_name(v.original_type_code ? v.original_type_code : v.header.type_code);
  out += ": table id " + std::to_string(e.table_id);
  if (e.end_of_statement()) out += " flags: STMT_END_F";
}

// Statement texts can be megabytes (a multi-row INSERT): appended in place.
void describe(const AnnotateRowsEvent& e, const EventView&, std::string& out) {
  out.append("Annotate_rows:\n#Q> ").append(e.query);
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

void describe(const MariaGtidEvent& e, const EventView& v, std::string& out) {
  std::string s = "GTID " + format_gtid(e, v.header.server_id);
  if (e.commit_id) s += " cid=" + std::to_string(*e.commit_id);
  if (e.flags & 0x20) s += " ddl";
  if (e.flags & 0x04) s += " trans";
  s += e.standalone()
           ? ""
           : "\n/*!100001 SET @@session.gtid_domain_id=" + std::to_string(e.domain_id) +
                 "*//*!*/;\n/*!100001 SET @@session.server_id=" +
                 std::to_string(v.header.server_id) +
                 "*//*!*/;\n/*!100001 SET @@session.gtid_seq_no=" + std::to_string(e.seq_no) +
                 "*//*!*/;\nSTART TRANSACTION\n/*!*/;";
  out += s;
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
  out += std::string("XA PREPARE") + (e.one_phase ? " ONE PHASE" : "") +
         " format_id=" + std::to_string(e.xid.format_id);
}

void describe(const StartEncryptionEvent& e, const EventView&, std::string& out) {
  out += "Start_encryption: scheme " + std::to_string(e.scheme) + ", key version " +
         std::to_string(e.key_version) + " (the rest of this binlog is encrypted)";
}

void describe(const UnknownEvent& e, const EventView& v, std::string& out) {
  out += "Unknown event type " + std::to_string(e.type_code) + " (" +
         std::to_string(v.header.event_size) + " bytes)\n# raw: " + hex_text(v.raw);
}

}  // namespace

void append_description(const StreamEvent& se, std::string& out) {
  std::visit([&](const auto& e) { describe(e, *se.view, out); }, *se.event);
}

std::string hex_text(Bytes bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (std::byte b : bytes) {
    s.push_back(kDigits[std::to_integer<uint8_t>(b) >> 4]);
    s.push_back(kDigits[std::to_integer<uint8_t>(b) & 0xf]);
  }
  return s;
}

std::string quoted_table_name(std::string_view db, std::string_view table) {
  std::string s = "`";
  s.append(db).append("`.`").append(table).append("`");
  return s;
}

}  // namespace twinlog
