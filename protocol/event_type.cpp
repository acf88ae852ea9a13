#include "protocol/event_type.h"

#include <array>

namespace twinlog::protocol {
namespace {

struct Names {
  std::string_view name;      // mysqlbinlog's
  std::string_view constant;  // the servers' enum constant
};

constexpr Names kNone{};

constexpr std::array<Names, 43> kMysql{{
    {"Unknown", "UNKNOWN_EVENT"},
    {"Start_v3", "START_EVENT_V3"},
    {"Query", "QUERY_EVENT"},
    {"Stop", "STOP_EVENT"},
    {"Rotate", "ROTATE_EVENT"},
    {"Intvar", "INTVAR_EVENT"},
    {"Load", "LOAD_EVENT"},
    {"Slave", "SLAVE_EVENT"},
    {"Create_file", "CREATE_FILE_EVENT"},
    {"Append_block", "APPEND_BLOCK_EVENT"},
    {"Exec_load", "EXEC_LOAD_EVENT"},
    {"Delete_file", "DELETE_FILE_EVENT"},
    {"New_load", "NEW_LOAD_EVENT"},
    {"RAND", "RAND_EVENT"},
    {"User var", "USER_VAR_EVENT"},
    {"Format_desc", "FORMAT_DESCRIPTION_EVENT"},
    {"Xid", "XID_EVENT"},
    {"Begin_load_query", "BEGIN_LOAD_QUERY_EVENT"},
    {"Execute_load_query", "EXECUTE_LOAD_QUERY_EVENT"},
    {"Table_map", "TABLE_MAP_EVENT"},
    {"Write_rows_event_old", "PRE_GA_WRITE_ROWS_EVENT"},
    {"Update_rows_event_old", "PRE_GA_UPDATE_ROWS_EVENT"},
    {"Delete_rows_event_old", "PRE_GA_DELETE_ROWS_EVENT"},
    {"Write_rows_v1", "WRITE_ROWS_EVENT_V1"},
    {"Update_rows_v1", "UPDATE_ROWS_EVENT_V1"},
    {"Delete_rows_v1", "DELETE_ROWS_EVENT_V1"},
    {"Incident", "INCIDENT_EVENT"},
    {"Heartbeat", "HEARTBEAT_LOG_EVENT"},
    {"Ignorable", "IGNORABLE_LOG_EVENT"},
    {"Rows_query", "ROWS_QUERY_LOG_EVENT"},
    {"Write_rows", "WRITE_ROWS_EVENT"},
    {"Update_rows", "UPDATE_ROWS_EVENT"},
    {"Delete_rows", "DELETE_ROWS_EVENT"},
    {"Gtid", "GTID_LOG_EVENT"},
    {"Anonymous_Gtid", "ANONYMOUS_GTID_LOG_EVENT"},
    {"Previous_gtids", "PREVIOUS_GTIDS_LOG_EVENT"},
    {"Transaction_context", "TRANSACTION_CONTEXT_EVENT"},
    {"View_change", "VIEW_CHANGE_EVENT"},
    {"XA_prepare", "XA_PREPARE_LOG_EVENT"},
    {"Update_rows_partial", "PARTIAL_UPDATE_ROWS_EVENT"},
    {"Transaction_payload", "TRANSACTION_PAYLOAD_EVENT"},
    {"Heartbeat_v2", "HEARTBEAT_LOG_EVENT_V2"},
    {"Gtid_tagged", "GTID_TAGGED_LOG_EVENT"},
}};

constexpr std::array<Names, 12> kMaria{{
    {"Annotate_rows", "MARIA_ANNOTATE_ROWS_EVENT"},
    {"Binlog_checkpoint", "MARIA_BINLOG_CHECKPOINT_EVENT"},
    {"Gtid", "MARIA_GTID_EVENT"},
    {"Gtid_list", "MARIA_GTID_LIST_EVENT"},
    {"Start_encryption", "MARIA_START_ENCRYPTION_EVENT"},
    {"Query_compressed", "MARIA_QUERY_COMPRESSED_EVENT"},
    {"Write_rows_compressed_v1", "MARIA_WRITE_ROWS_COMPRESSED_EVENT_V1"},
    {"Update_rows_compressed_v1", "MARIA_UPDATE_ROWS_COMPRESSED_EVENT_V1"},
    {"Delete_rows_compressed_v1", "MARIA_DELETE_ROWS_COMPRESSED_EVENT_V1"},
    {"Write_rows_compressed", "MARIA_WRITE_ROWS_COMPRESSED_EVENT"},
    {"Update_rows_compressed", "MARIA_UPDATE_ROWS_COMPRESSED_EVENT"},
    {"Delete_rows_compressed", "MARIA_DELETE_ROWS_COMPRESSED_EVENT"},
}};

const Names& lookup(uint8_t code) {
  if (code < kMysql.size()) return kMysql[code];
  if (code >= 160 && code < 160 + kMaria.size()) return kMaria[code - 160];
  return kNone;
}

}  // namespace

std::string_view event_type_name(uint8_t code) {
  return lookup(code).name;
}
std::string_view event_type_constant(uint8_t code) {
  return lookup(code).constant;
}
std::string event_type_label(uint8_t code) {
  const std::string_view name = event_type_constant(code);
  return name.empty() ? "UNKNOWN_" + std::to_string(code) : std::string(name);
}
bool is_known_event_type(uint8_t code) {
  return code != 0 && !lookup(code).name.empty();
}

}  // namespace twinlog::protocol
