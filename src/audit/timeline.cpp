#include "src/audit/timeline.h"

#include <algorithm>
#include <limits>

namespace twinlog::audit {

void TimelineCollector::add(const std::string& master, const TransactionSummary& t) {
  if (t.first_timestamp == 0) return;  // no time to place it at
  ++minutes_[{master, t.server_id}][t.first_timestamp / 60];
}

report::Timeline TimelineCollector::timeline() const {
  report::Timeline out;
  uint32_t first = std::numeric_limits<uint32_t>::max(), last = 0;
  for (const auto& [key, per_minute] : minutes_) {
    first = std::min(first, per_minute.begin()->first);
    last = std::max(last, per_minute.rbegin()->first);
  }
  if (minutes_.empty()) return out;
  const uint64_t span = uint64_t{last} - first + 1;  // minutes
  const uint64_t per_bucket = (span + kBuckets - 1) / kBuckets;
  out.start = first * 60;
  out.bucket_seconds = static_cast<uint32_t>(per_bucket * 60);
  out.buckets = static_cast<std::size_t>((span + per_bucket - 1) / per_bucket);
  for (const auto& [key, per_minute] : minutes_) {
    report::TimelineSeries& s = out.series.emplace_back();
    s.master = key.first;
    s.origin_server_id = key.second;
    s.counts.assign(out.buckets, 0);
    for (const auto& [minute, n] : per_minute) s.counts[(minute - first) / per_bucket] += n;
  }
  return out;
}

}  // namespace twinlog::audit
