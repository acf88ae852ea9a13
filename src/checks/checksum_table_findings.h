// The findings `twinlog checksum` and `twinlog audit --checksum` give about a
// table before any row is compared: on one master only, defined differently on
// the two, or without a key to chunk along.
#pragma once

#include "src/checks/checksum_tables.h"
#include "src/report/finding.h"

namespace twinlog::checks {

report::Finding table_only_on(const QualifiedTable& t, const char* has, const char* lacks);
report::Finding definition_differs(const ChecksumTable& a, const ChecksumTable& b);
report::Finding no_key(const ChecksumTable& t);

}  // namespace twinlog::checks
