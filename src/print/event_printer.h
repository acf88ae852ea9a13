// Renders decoded events: mariadb-binlog's text (src/print/text_printer.h; by
// default as `mariadb-binlog -vv --base64-output=decode-rows` prints it) and JSON
// lines (one object per event, rows with typed values).
#pragma once

#include <string>

#include "src/print/text_printer.h"
#include "src/stream/event_stream.h"

namespace twinlog {

enum class OutputFormat { kText, kJsonLines };

class EventPrinter {
 public:
  explicit EventPrinter(OutputFormat format, TextOptions text = {})
      : format_(format), text_(text) {}
  // Appends the rendering of one event to `out`. Row values that fail to decode
  // throw SourceError (the caller reports file and offset).
  void print(const StreamEvent& event, std::string& out);
  // Appends what follows the last event (text: mariadb-binlog's closing lines).
  void finish(std::string& out);
  // The input stopped with an error after the events printed: text ends as
  // mariadb-binlog's does then (TextPrinter::finish_after_error); JSON gets nothing.
  void finish_after_error(std::string& out) {
    if (format_ == OutputFormat::kText) text_.finish_after_error(out);
  }
  bool is_text() const { return format_ == OutputFormat::kText; }
  // The `# at` line of an event --database / --table left out (text only).
  void print_position(const StreamEvent& event, std::string& out) {
    if (format_ == OutputFormat::kText) text_.print_position(event, out);
  }
  // A statement ended whose last rows event was not selected (TextPrinter).
  void end_statement(std::string& out) {
    if (format_ == OutputFormat::kText) text_.end_statement(out);
  }

 private:
  void print_json(const StreamEvent& se, std::string& out);

  OutputFormat format_;
  TextPrinter text_;
};

// "%y%m%d %k:%M:%S" in UTC, as mysqlbinlog prints event times (with TZ=UTC).
std::string format_event_time(uint32_t timestamp);
// "YYYY-MM-DD HH:MM:SS" in UTC.
std::string format_datetime_utc(uint32_t timestamp);

}  // namespace twinlog
