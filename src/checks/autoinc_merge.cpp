// AutoIncrementCheck::merge: the audit's two readers' checks folded into one, as
// if one check had read A's binlog and then B's (autoinc_check.h).
#include <utility>

#include "src/checks/autoinc_check.h"

namespace twinlog::checks {

void AutoIncrementCheck::keep_for_merge() {
  keep_for_merge_ = true;
}

void AutoIncrementCheck::merge(AutoIncrementCheck&& later) {
  // later's tables and transactions go after this check's, as a reading of its
  // binlog after this one's would have numbered them.
  std::vector<uint32_t> table_of(later.table_names_.size());
  for (std::size_t t = 0; t < later.table_names_.size(); ++t) {
    const std::string& name = later.table_names_[t];
    auto it = table_index_.find(name);
    if (it == table_index_.end()) {
      it = table_index_.emplace(name, static_cast<uint32_t>(table_names_.size())).first;
      table_names_.push_back(name);
      keys_.emplace_back();
      statement_keys_.push_back({0, 0});
    }
    table_of[t] = it->second;
  }
  const auto base = static_cast<uint32_t>(transactions_.size());
  transactions_.insert(transactions_.end(), std::make_move_iterator(later.transactions_.begin()),
                       std::make_move_iterator(later.transactions_.end()));
  // What later judged alone (its sessions' overrides) comes after this check's.
  for (auto& [key, agg] : later.aggregates_) {
    auto [it, added] = aggregates_.try_emplace(key);
    if (added) {
      it->second = std::move(agg);
    } else {
      it->second.count += agg.count;
      it->second.last = std::move(agg.last);
    }
  }
  for (auto& [table, unknown] : later.unknown_columns_) {
    auto [it, added] = unknown_columns_.try_emplace(table, std::move(unknown));
    if (!added) it->second.first += unknown.first;
  }
  totals_.transactions += later.totals_.transactions;
  totals_.statement_ids += later.totals_.statement_ids;
  totals_.statements_partly += later.totals_.statements_partly;
  totals_.row_ids += later.totals_.row_ids;
  totals_.unchecked_rows += later.totals_.unchecked_rows;
  // Its keys in the order it read them: each judged unless this check's binlog
  // held it already, as close() does for one check reading both.
  for (auto& [in, txn] : later.firsts_) {
    in.table = table_of[in.table];
    Key& key = keys_[in.table][in.id];
    if (key.transaction[in.origin] != kNone) continue;
    key.transaction[in.origin] = base + txn;
    first_insert(in, base + txn, key);
  }
  later.firsts_.clear();
}

}  // namespace twinlog::checks
