#include "tools/twinlog/report_options.h"

#include <iostream>

namespace twinlog::cli {

namespace po = boost::program_options;

void add_report_options(po::options_description& options, const char* format_help) {
  options.add_options()("format", po::value<std::string>()->default_value("text"), format_help)(
      "fail-on", po::value<std::string>()->default_value("error"),
      "exit 1 when a finding is at or above this severity: info, warning or error")(
      "verify-checksum", "verify CRC32 of every event (default)")(
      "no-verify-checksum", "do not verify CRC32 (read past checksum mismatches)");
}

std::optional<ReportOptions> report_options_from(const po::variables_map& vm, const char* command) {
  ReportOptions r;
  const auto format = report::parse_format(vm["format"].as<std::string>());
  if (!format) {
    std::cerr << command << ": --format must be text, jsonl or json, not '"
              << vm["format"].as<std::string>() << "'\n";
    return std::nullopt;
  }
  const auto fail_on = report::parse_severity(vm["fail-on"].as<std::string>());
  if (!fail_on) {
    std::cerr << command << ": --fail-on must be info, warning or error, not '"
              << vm["fail-on"].as<std::string>() << "'\n";
    return std::nullopt;
  }
  r.format = *format;
  r.fail_on = *fail_on;
  r.stream.verify_checksum = !vm.count("no-verify-checksum");
  return r;
}

}  // namespace twinlog::cli
