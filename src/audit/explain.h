// The audit's explanation: every divergence `twinlog audit` found (a diff.* finding:
// a transaction or rows event one binlog has and the other lacks, copies that
// differ; a checksum.* finding: rows the tables hold differently) tied to its cause
// where the other findings of the same run show one, and to the transactions
// involved (Finding::cause). The causes, most direct first:
//   - a skipped error: the master that lacks the transaction runs with
//     slave_skip_errors (config.slave_skip_errors), and the error it skipped is
//     an auto-increment collision on the same transaction or table (autoinc.collision);
//   - an auto-increment collision alone (the replica stopped, or will);
//   - a filtered statement: a filter finding (filter.cross_db_skipped,
//     applied_to_excluded, ...) on the same transaction or table;
//   - a loop: a loop finding on the same transaction, or any loop for a table;
//   - for rows the tables hold differently while no binlog finding touches their
//     table: a write that never reached a binlog (sql_log_bin=0, or a statement
//     the binlog filters kept out), with the auto-increment gap it left if any.
// A divergence none of these explains gets kUnexplained, saying so.
// Nothing is read here but the findings: the explanation is only as good as the
// checks that ran, and says which findings it rests on (Cause::codes).
#pragma once

#include <vector>

#include "src/report/finding.h"

namespace twinlog::audit {

// Sets the cause of every divergence in `findings` that has none yet; the other
// findings are left as they are. Call it once every finding of the run is in.
void explain(std::vector<report::Finding>& findings);

// Whether `code` names a divergence the explanation gives a cause to.
bool is_divergence(const std::string& code);

}  // namespace twinlog::audit
