// Which events of a stream decode prints (and stats counts), chosen as mysqlbinlog
// chooses them: by position and time, and under --database / --table / --server-id
// by what each event names. EventSelection judges one event at a time;
// SelectedPrinter is decode's output, which holds an ANNOTATE_ROWS back until the
// filter has seen its rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "src/print/event_printer.h"
#include "src/stream/event_stream.h"

namespace twinlog {

struct SelectionRules {
  // With files: the first file starts at start_position, the last one stops at
  // stop_position; a stream from a server has chosen its own start and stop.
  std::string first_file, last_file;
  uint64_t start_position = 0;
  std::optional<uint64_t> stop_position;
  std::optional<uint32_t> start_time, stop_time;  // seconds since the epoch
  std::optional<std::string> database;
  std::optional<std::string> table;  // "db.t"
  std::optional<uint32_t> server_id;
};

// A statement mysqlbinlog keeps under --database whatever its default database,
// because it frames a transaction (mysqlbinlog's own rule; see the definition).
bool is_transaction_keyword(std::string_view query);

class EventSelection {
 public:
  enum class Verdict {
    kStop,  // at or past the stop: read no further
    kSkip,  // not selected
    kHold,  // an ANNOTATE_ROWS under --database / --table: its rows decide (SelectedPrinter)
    kTake,  // selected
  };

  explicit EventSelection(SelectionRules rules) : rules_(std::move(rules)) {}
  Verdict judge(const StreamEvent& se) const;

 private:
  bool past_stop(const StreamEvent& se) const;
  bool selected(const StreamEvent& se) const;
  bool table_selected(const protocol::TableMapEvent* table) const;

  SelectionRules rules_;
};

class SelectedPrinter {
 public:
  SelectedPrinter(EventSelection selection, EventPrinter printer)
      : selection_(std::move(selection)), printer_(std::move(printer)) {}
  // Appends `se` to `out` when it is selected, with the ANNOTATE_ROWS held back for
  // it when it is the first TABLE_MAP selected in that statement. False once past
  // the stop: the caller reads no further.
  bool print(const StreamEvent& se, std::string& out);
  // Appends what follows the last event printed (EventPrinter::finish).
  void finish(std::string& out) { printer_.finish(out); }

 private:
  EventSelection selection_;
  EventPrinter printer_;
  std::string held_;  // the held-back ANNOTATE_ROWS, rendered (the event is gone by then)
};

}  // namespace twinlog
