// Renders decoded events: text close to `mysqlbinlog -vv --base64-output=decode-rows`
// (positions, headers, statements, pseudo-SQL rows with types) and JSON lines (one
// object per event, rows with typed values).
#pragma once

#include <string>

#include "src/stream/event_stream.h"

namespace twinlog {

enum class OutputFormat { kText, kJsonLines };

class EventPrinter {
 public:
  explicit EventPrinter(OutputFormat format) : format_(format) {}
  // Appends the rendering of one event to `out`. Row values that fail to decode
  // throw SourceError (the caller reports file and offset).
  void print(const StreamEvent& event, std::string& out);

 private:
  void print_text(const StreamEvent& se, std::string& out);
  void print_statement_text(const protocol::QueryEvent& query, uint32_t timestamp,
                            std::string& out);
  void print_json(const StreamEvent& se, std::string& out);

  OutputFormat format_;
  std::string last_database_;  // text: `use db` printed when it changes
};

// "%y%m%d %H:%M:%S" in UTC, as mysqlbinlog prints event times (with TZ=UTC).
std::string format_event_time(uint32_t timestamp);
// "YYYY-MM-DD HH:MM:SS" in UTC.
std::string format_datetime_utc(uint32_t timestamp);

}  // namespace twinlog
