#include "src/config/replica_status.h"

#include <strings.h>

#include <charconv>
#include <initializer_list>

namespace twinlog::config {
namespace {

// The value of the first of `names` that is a column, or "".
std::string field(const std::vector<std::string>& columns,
                  const std::vector<std::optional<std::string>>& row,
                  std::initializer_list<const char*> names) {
  for (const char* name : names) {
    for (std::size_t i = 0; i < columns.size() && i < row.size(); ++i) {
      if (strcasecmp(columns[i].c_str(), name) == 0) return row[i].value_or("");
    }
  }
  return {};
}

template <class T>
T number(const std::string& text) {
  T value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

}  // namespace

std::vector<uint32_t> server_id_list(const std::string& text) {
  std::vector<uint32_t> ids;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    if (*p < '0' || *p > '9') {
      ++p;
      continue;
    }
    uint32_t id = 0;
    p = std::from_chars(p, end, id).ptr;
    ids.push_back(id);
  }
  return ids;
}

std::vector<ReplicaChannel> replica_channels_from(
    const std::vector<std::string>& columns,
    const std::vector<std::vector<std::optional<std::string>>>& rows, const std::string& source) {
  std::vector<ReplicaChannel> channels;
  for (const auto& row : rows) {
    ReplicaChannel& c = channels.emplace_back();
    c.name = field(columns, row, {"Connection_name", "Channel_Name"});
    c.master_server_id =
        number<uint32_t>(field(columns, row, {"Master_Server_Id", "Source_Server_Id"}));
    c.ignore_server_ids = server_id_list(field(columns, row, {"Replicate_Ignore_Server_Ids"}));
    c.last_sql_errno = number<uint32_t>(field(columns, row, {"Last_SQL_Errno"}));
    c.last_sql_error = field(columns, row, {"Last_SQL_Error"});
    c.relay_master_log_file =
        field(columns, row, {"Relay_Master_Log_File", "Relay_Source_Log_File"});
    c.exec_master_log_pos =
        number<uint64_t>(field(columns, row, {"Exec_Master_Log_Pos", "Exec_Source_Log_Pos"}));
    c.master_host = field(columns, row, {"Master_Host", "Source_Host"});
    c.master_port = number<uint32_t>(field(columns, row, {"Master_Port", "Source_Port"}));
    c.master_user = field(columns, row, {"Master_User", "Source_User"});
    c.io_running = field(columns, row, {"Slave_IO_Running", "Replica_IO_Running"});
    c.sql_running = field(columns, row, {"Slave_SQL_Running", "Replica_SQL_Running"});
    c.last_io_errno = number<uint32_t>(field(columns, row, {"Last_IO_Errno"}));
    c.last_io_error = field(columns, row, {"Last_IO_Error"});
    const std::string behind =
        field(columns, row, {"Seconds_Behind_Master", "Seconds_Behind_Source"});
    if (!behind.empty()) c.seconds_behind_master = number<uint64_t>(behind);
    c.gtid_io_pos = field(columns, row, {"Gtid_IO_Pos"});
    c.source = source;
  }
  return channels;
}

}  // namespace twinlog::config
