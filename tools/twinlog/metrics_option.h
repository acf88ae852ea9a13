// --metrics FILE, as validate and audit take it: the run in the Prometheus text
// format (src/report/metrics.h) for the node exporter's textfile collector,
// written also after a failed run (twinlog_run_success 0): a scheduled run that
// cannot reach the pair is what an alert wants to know.
#pragma once

#include <boost/program_options.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "src/report/metrics.h"

namespace twinlog::cli {

// Adds --metrics FILE; `what` says what the command's metrics hold.
void add_metrics_option(boost::program_options::options_description& options, const char* what);

class MetricsOption {
 public:
  // Starts the run's clock. `command`: "validate", "audit".
  MetricsOption(const boost::program_options::variables_map& vm, std::string command);
  // The run's replication state and counts, filled in by the command.
  report::RunMetrics& run() { return run_; }
  // Writes FILE when --metrics was given, with `findings` and the time since the
  // start; false after printing why it could not ("twinlog audit: --metrics: ...").
  bool write(bool success, const std::vector<report::Finding>& findings);

 private:
  std::optional<std::string> path_;
  report::RunMetrics run_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace twinlog::cli
