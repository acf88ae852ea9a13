// The findings `twinlog checksum` and `twinlog audit --checksum` give about a
// table before any row is compared: on one master only, defined differently on
// the two, or without a key to chunk along.
#pragma once

#include <vector>

#include "src/checks/checksum_tables.h"
#include "src/report/finding.h"

namespace twinlog::checks {

report::Finding table_only_on(const QualifiedTable& t, const char* has, const char* lacks);
report::Finding definition_differs(const ChecksumTable& a, const ChecksumTable& b);
report::Finding no_key(const ChecksumTable& t);

// `twinlog checksum` reads the tables only: to each finding of rows or tables
// that differ it adds that `twinlog audit --checksum`, which reads both
// masters' binlogs as well, names the cause. The audit's own findings carry
// that cause and are left as they are.
void point_to_audit_for_cause(std::vector<report::Finding>& findings);

}  // namespace twinlog::checks
