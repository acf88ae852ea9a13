// A run's results in the Prometheus text exposition format (0.0.4), for the node
// exporter's textfile collector: the collector may read the file at any moment,
// so it is written to a temporary file in the same directory and renamed over the
// old one (a rename within one file system is atomic: the collector sees the old
// file or the new one, never half of one).
//
// Every metric is a gauge: each holds the last run's value, not a count that
// grows across runs. Metrics (labels in braces):
//   twinlog_findings{command,code,severity}       findings of the last run by code
//   twinlog_findings_by_severity{command,severity} the same by severity, all three
//                                                  present (0 too) for alert rules
//   twinlog_replication_running{command,server}    1 when the server's channel from
//                                                  its peer has both threads running
//   twinlog_replication_lag_seconds{command,server} Seconds_Behind_Master
//   twinlog_last_run_timestamp_seconds{command}    when the run started (Unix time)
//   twinlog_run_duration_seconds{command}
//   twinlog_run_success{command}                   1 when the run completed
//   twinlog_rows_checked{command}, twinlog_bytes_checked{command}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/report/finding.h"

namespace twinlog::report {

struct ReplicationState {
  std::string server;  // "A": the master whose channel from its peer this is
  bool running = false;
  std::optional<uint64_t> lag_seconds;  // none while a thread is stopped
};

struct RunMetrics {
  std::string command;  // "validate", "audit"
  std::vector<Finding> findings;
  std::vector<ReplicationState> replication;
  double started = 0;   // Unix time, seconds
  double duration = 0;  // seconds
  bool success = false;
  std::optional<uint64_t> rows_checked, bytes_checked;
};

// The text format of `run`, one HELP and TYPE line per metric and a sample per
// label set, ending in a newline.
std::string render_metrics(const RunMetrics& run);

// Writes `text` to `path` atomically (PATH.tmp.PID, fsync, rename). Throws
// std::system_error naming the file when any step fails, leaving no temporary
// file behind.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace twinlog::report
