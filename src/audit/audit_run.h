// `twinlog audit`'s reading: each master's binlog read once, both at the same
// time (one thread each), every check of that binlog fed from the one pass
// (filters, loops, auto-increment, the timeline, the stream digests of
// checks/diff_run.h, whose diff.* findings are the audit's too);
// where each reading stopped is kept for the next audit (audit_state.h). The
// pair's configuration is validate's (src/checks/validate.h), checked once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/audit/audit_state.h"
#include "src/config/server_config.h"
#include "src/report/finding.h"
#include "src/report/html.h"
#include "src/stream/event_stream.h"
#include "src/stream/transaction.h"

namespace twinlog::audit {

struct AuditMaster {
  std::string name;  // "A" or "B"
  const config::ServerConfig* config = nullptr;
  std::optional<SourceOpener> binlogs;  // none: its binlogs are not read
  // Where the last audit stopped: the events before it are skipped (a binlog
  // file named before it, or the same file before its position).
  std::optional<MasterMark> from;
};

// What one master's pass read.
struct MasterRead {
  std::string name;
  bool read = false;  // its binlogs were given
  uint64_t transactions = 0, events = 0, bytes = 0;
  uint64_t skipped_events = 0;  // events before `from`: the last audit read them
  // Its own transactions from before the pair replicated, not compared with the
  // peer's binlog (checks::Start::kFromReplication).
  uint64_t before_replication = 0;
  std::optional<MasterMark> end;  // just past its last complete transaction
  std::string error;              // what stopped the reading, if anything did
};

struct AuditResult {
  std::vector<report::Finding> findings;
  MasterRead masters[2];
  report::Timeline timeline;
  // A binlog held transactions of a server id neither master's: the settings that
  // let such a transaction loop matter (loop_config_findings).
  bool third_source = false;
};

// Whether binlog file `a` comes before `b` ("mysql-bin.000009" before
// "mysql-bin.000010", and before "mysql-bin.1000000"): by the number after the
// last dot, then by name. Folders are ignored.
bool binlog_file_before(std::string_view a, std::string_view b);

// Reads A's and B's binlogs at the same time (one of them alone when the other's
// are not given). `warn` receives each stream's warnings, one call at a time.
AuditResult run_audit(const AuditMaster& a, const AuditMaster& b, const StreamOptions& options,
                      const std::function<void(const StreamWarning&)>& warn);

}  // namespace twinlog::audit
