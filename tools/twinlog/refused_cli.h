// The mysqlbinlog and mysql client options twinlog does not take. A DBA types them
// from habit; each is refused by name, with why and what to use instead, never
// ignored (an ignored --disable-log-bin would replay into the binlog).
#pragma once

#include <boost/program_options.hpp>
#include <string>

namespace twinlog::cli {

namespace po = boost::program_options;

// For parsing only (--help does not list them): the refused options that `options`
// does not define itself (capture's --compress is its own).
po::options_description refused_options(const po::options_description& options);

// Throws po::error for the first refused option given, naming it and the way.
void refuse_given(const po::options_description& options, const po::variables_map& vm);

// One line for --help: the names refused, and that --NAME says why.
std::string refused_help(const po::options_description& options);

}  // namespace twinlog::cli
