// `twinlog audit --checksum`: after the binlogs, the tables themselves, compared
// on both live masters chunk by chunk with `twinlog checksum`'s engine
// (src/checks/checksum_run.h), read-only. Its findings join the audit's, and the
// explanation (explain.h) ties each difference to what the binlogs showed of it,
// or says that they show nothing: a write that never reached a binlog.
#pragma once

#include <cstdint>
#include <vector>

#include "src/checks/checksum_run.h"
#include "src/config/server_config.h"
#include "src/report/finding.h"
#include "src/server/connection.h"

namespace twinlog::audit {

struct TableComparison {
  std::vector<report::Finding> findings;
  uint64_t tables = 0;  // compared on both masters
  uint64_t chunks = 0, rows = 0;
};

// Every table of the databases the pair replicates, on both masters: a table on
// one master only, one whose definitions differ, one without a key (read whole),
// and the rows that differ. Throws ConnectionError when a master fails.
TableComparison compare_tables(Connection& a, Connection& b, const config::ServerConfig& config_a,
                               const config::ServerConfig& config_b,
                               const checks::ChecksumSettings& settings,
                               const checks::Notice& notice);

}  // namespace twinlog::audit
