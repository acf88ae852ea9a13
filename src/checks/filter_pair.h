// The findings `twinlog filters` makes from the two masters' configurations
// alone, before any binlog is read.
#pragma once

#include <vector>

#include "src/config/server_config.h"
#include "src/report/finding.h"

namespace twinlog::checks {

// Findings about the two configurations alone: comma lists in option-file filter
// values, filter rules that are not symmetric between the masters, both masters in
// one GTID domain, equal server ids.
std::vector<report::Finding> pair_findings(const config::ServerConfig& a,
                                           const config::ServerConfig& b);

}  // namespace twinlog::checks
