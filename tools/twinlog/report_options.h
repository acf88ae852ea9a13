// The options every check command takes for its report, parsed one way: --format,
// --fail-on, and whether to verify the events' checksums.
#pragma once

#include <boost/program_options.hpp>
#include <optional>

#include "src/report/finding.h"
#include "src/report/render.h"
#include "src/stream/event_stream.h"

namespace twinlog::cli {

struct ReportOptions {
  report::Format format = report::Format::kText;
  report::Severity fail_on = report::Severity::kError;
  StreamOptions stream;
};

// Adds --format (`format_help` says what each format holds), --fail-on,
// --verify-checksum and --no-verify-checksum.
void add_report_options(boost::program_options::options_description& options,
                        const char* format_help);

// The parsed options; nullopt after printing "COMMAND: --format must be ..." to
// stderr for a value that is not one.
std::optional<ReportOptions> report_options_from(const boost::program_options::variables_map& vm,
                                                 const char* command);

}  // namespace twinlog::cli
