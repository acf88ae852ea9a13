// One self-contained HTML page for people: a DBA opens it, or mails it, and sees
// the verdict first, then the findings grouped by cause with their evidence (a
// divergence the audit explained under its cause, Finding::cause; the others under
// the check that found them), then a timeline of both masters' binlogs
// (transactions per origin server over time, with the moments the findings point
// at). No script, no external asset: inline CSS and SVG only, so that it shows
// the same in a mail client, offline, years on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/report/finding.h"

namespace twinlog::report {

// Transactions per origin server in equal time buckets, for one master's binlog.
struct TimelineSeries {
  std::string master;            // "A" or "B": whose binlog
  uint32_t origin_server_id;     // whose transactions
  std::vector<uint64_t> counts;  // one per bucket, from Timeline::start
};

struct Timeline {
  uint32_t start = 0;           // UTC seconds of the first bucket
  uint32_t bucket_seconds = 0;  // 0: no timeline (nothing with a time was read)
  std::size_t buckets = 0;
  std::vector<TimelineSeries> series;
};

struct HtmlPage {
  std::string title;  // "twinlog audit: 127.0.0.1:3306 and 127.0.0.1:3307"
  // Lines under the title: what was read, when, with which options.
  std::vector<std::string> facts;
  std::vector<Finding> findings;
  Timeline timeline;
};

// The verdict a page opens with, from the worst severity: "Divergence or a fault
// found", "Warnings to look at", "Healthy".
std::string verdict_of(const Summary& summary);

void render_html(const HtmlPage& page, std::string& out);

}  // namespace twinlog::report
