// The timeline of the HTML page (src/report/html.h): transactions per origin
// server in each master's binlog over time, counted per minute while reading and
// merged into at most kBuckets bars at the end, so that memory grows with the
// minutes the binlogs span, not with their transactions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "src/report/html.h"
#include "src/stream/transaction.h"

namespace twinlog::audit {

class TimelineCollector {
 public:
  static constexpr std::size_t kBuckets = 120;
  // One transaction of `master`'s ("A" or "B") binlog, at its first timestamp.
  void add(const std::string& master, const TransactionSummary& t);
  report::Timeline timeline() const;

 private:
  // (master, origin server_id) -> minute (UTC seconds / 60) -> transactions
  std::map<std::pair<std::string, uint32_t>, std::map<uint32_t, uint64_t>> minutes_;
};

}  // namespace twinlog::audit
