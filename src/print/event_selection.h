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
#include <vector>

#include "protocol/gtid_set.h"
#include "src/print/event_printer.h"
#include "src/stream/event_stream.h"

namespace twinlog {

// GTIDs as --include-gtids / --exclude-gtids take them: MariaDB GTIDs one by one
// ("0-1-5,0-2-7"; a MariaDB GtidSet would be a position per domain, not a list),
// or a MySQL GTID set ("uuid:1-5:9").
class GtidList {
 public:
  static protocol::Result<GtidList> parse(std::string_view text);
  bool contains(const protocol::Gtid& gtid) const;

 private:
  std::vector<protocol::MariaGtid> maria_;
  protocol::GtidSet mysql_;
};

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
  // mysqlbinlog's --do-server-ids / --ignore-server-ids: by each event's server_id.
  std::vector<uint32_t> server_ids, ignore_server_ids;
  // mariadb-binlog's --do-domain-ids / --ignore-domain-ids: by the GTID's domain.
  std::vector<uint32_t> domain_ids, ignore_domain_ids;
  // mysqlbinlog's --offset: the first N events read (from start_position, the
  // format description counted) are not shown, the format description excepted.
  uint64_t offset = 0;
  // By the GTID an event goes with, the last GTID event's (events before the first
  // are kept): only those in include_gtids, none in exclude_gtids, only those after the
  // position start_gtid (a GTID set as a replica's position: per MariaDB domain, or
  // MySQL's executed set), and up to the position stop_gtid (per MariaDB domain,
  // included), after which the stream stops once every domain named has passed it.
  std::optional<GtidList> include_gtids, exclude_gtids;
  std::optional<protocol::GtidSet> start_gtid, stop_gtid;
  // --force-read: a start_position inside an event starts at the next event (else
  // it is an error, as a read from there is in mariadb-binlog).
  bool start_inside_event = false;
};

// A statement mysqlbinlog keeps under --database whatever its default database,
// because it frames a transaction (mysqlbinlog's own rule; see the definition).
bool is_transaction_keyword(std::string_view query);

class EventSelection {
 public:
  enum class Verdict {
    kStop,  // at or past the stop: read no further
    kSkip,  // not selected
    // Left out by --database / --table: mariadb-binlog has printed its `# at` line
    // by then, and a text output does the same (SelectedPrinter).
    kPositionOnly,
    kHold,  // an ANNOTATE_ROWS under --database / --table: its rows decide (SelectedPrinter)
    kTake,  // selected
  };

  explicit EventSelection(SelectionRules rules) : rules_(std::move(rules)) {}
  // Events are judged in stream order: the verdict depends on those before
  // (--offset counts them, the GTID rules follow the transaction they are in).
  Verdict judge(const StreamEvent& se);
  // Why the selection stopped the stream, when an option cannot hold (a
  // start_position inside an event); empty otherwise.
  const std::string& error() const { return error_; }

 private:
  bool past_stop(const StreamEvent& se) const;
  bool in_range(const StreamEvent& se) const;
  bool named(const StreamEvent& se) const;
  bool gtid_selected() const;
  bool table_selected(const protocol::TableMapEvent* table) const;
  // Follows the GTID `se` goes with (see the definition).
  void follow_transaction(const StreamEvent& se);
  bool past_stop_gtid(const protocol::Gtid& gtid);

  SelectionRules rules_;
  uint64_t counted_ = 0;                       // events counted for --offset
  std::optional<protocol::Gtid> gtid_;         // the last GTID event's
  std::vector<uint32_t> stop_domains_passed_;  // --stop-gtid's domains gone past
  bool stop_gtid_reached_ = false;
  bool beyond_stop_gtid_ = false;  // the transaction in hand is past --stop-gtid
  std::string error_;
};

class SelectedPrinter {
 public:
  SelectedPrinter(EventSelection selection, EventPrinter printer)
      : selection_(std::move(selection)), printer_(std::move(printer)) {}
  // Appends `se` to `out` when it is selected, with the ANNOTATE_ROWS held back for
  // it when it is the first TABLE_MAP selected in that statement. False once past
  // the stop: the caller reads no further.
  bool print(const StreamEvent& se, std::string& out);
  // Why print returned false, when it was not the stop the options asked for.
  const std::string& error() const { return selection_.error(); }
  // Appends what follows the last event printed (EventPrinter::finish).
  void finish(std::string& out) { printer_.finish(out); }
  // The input stopped with an error (EventPrinter::finish_after_error).
  void finish_after_error(std::string& out) { printer_.finish_after_error(out); }

 private:
  EventSelection selection_;
  EventPrinter printer_;
  // JSON: the held-back ANNOTATE_ROWS, rendered (the event is gone by then).
  std::string held_;
};

}  // namespace twinlog
