// The options that choose which events decode prints and stats counts, under
// mysqlbinlog's names where it has them: they fill SelectionRules
// (src/print/event_selection.h), which does the choosing.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "src/print/event_selection.h"

namespace twinlog::cli {

namespace po = boost::program_options;

// --start-datetime, -d/--database, --table, --server-id, --do-server-ids,
// --ignore-server-ids, --do-domain-ids, --ignore-domain-ids, -o/--offset,
// --include-gtids, --exclude-gtids, --stop-gtid (--start-gtid is a live option,
// which with files selects too).
void add_selection_options(po::options_description& options);

// Fills `rules` from those options; with `files` (not a server), --start-gtid too.
// Prints "COMMAND: problem" and returns false for a value that does not parse.
bool selection_filters_from(const po::variables_map& vm, bool files, SelectionRules& rules,
                            const char* command);

}  // namespace twinlog::cli
