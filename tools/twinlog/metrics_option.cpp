#include "tools/twinlog/metrics_option.h"

#include <iostream>
#include <system_error>

namespace twinlog::cli {

void add_metrics_option(boost::program_options::options_description& options, const char* what) {
  options.add_options()("metrics", boost::program_options::value<std::string>()->value_name("FILE"),
                        what);
}

MetricsOption::MetricsOption(const boost::program_options::variables_map& vm, std::string command)
    : started_(std::chrono::steady_clock::now()) {
  if (vm.count("metrics")) path_ = vm["metrics"].as<std::string>();
  run_.command = std::move(command);
  run_.started =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool MetricsOption::write(bool success, const std::vector<report::Finding>& findings) {
  if (!path_) return true;
  run_.success = success;
  run_.findings = findings;
  run_.duration =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  try {
    report::write_file_atomically(*path_, report::render_metrics(run_));
  } catch (const std::system_error& e) {
    std::cerr << "twinlog " << run_.command << ": --metrics: " << e.what() << "\n";
    return false;
  }
  return true;
}

}  // namespace twinlog::cli
