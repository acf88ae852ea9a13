#include "src/print/event_selection.h"

#include <algorithm>
#include <cctype>

#include "protocol/transaction_boundary.h"

namespace twinlog {

using namespace protocol;

namespace {

// Events that define the format are always shown, like mysqlbinlog does.
bool always_shown(const Event& e) {
  return std::holds_alternative<FormatDescriptionEvent>(e) ||
         std::holds_alternative<StartV3Event>(e);
}

bool is_gtid_event(const Event& e) {
  return std::holds_alternative<MariaGtidEvent>(e) || std::holds_alternative<GtidEvent>(e);
}

std::optional<Gtid> gtid_in(const StreamEvent& se) {
  if (const auto* g = std::get_if<MariaGtidEvent>(se.event))
    return gtid_of(*g, se.view->header.server_id);
  if (const auto* g = std::get_if<GtidEvent>(se.event)) return gtid_of(*g);
  return std::nullopt;
}

bool listed(const std::vector<uint32_t>& ids, uint32_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool ends_statement(const StreamEvent& se) {
  const auto* rows = std::get_if<RowsEvent>(se.event);
  return rows && rows->end_of_statement();
}

}  // namespace

// The statements mysqlbinlog keeps under --database whatever their default
// database, because they frame a transaction (client/mysqlbinlog.cc): BEGIN,
// COMMIT, SAVEPOINT, ROLLBACK (ROLLBACK TO a savepoint included) and the XA
// statements (MySQL's mysqlbinlog keeps them; MariaDB's since MDEV-33921, inside
// an XA event group, the only place servers write them). Which statement a query
// is comes from the one classifier in protocol/transaction_boundary, less its
// CREATE ... START TRANSACTION, a DDL to mysqlbinlog. mysqlbinlog compares only
// the query's own length against "BEGIN" and "COMMIT", so a query that is a
// prefix of either (the empty one too) is kept as well; and it does not skip
// leading blanks, which no server writes before these statements.
bool is_transaction_keyword(std::string_view q) {
  if (std::string_view("BEGIN").starts_with(q) || std::string_view("COMMIT").starts_with(q))
    return true;
  if (std::isspace(static_cast<unsigned char>(q.front()))) return false;
  auto statement = transaction_statement(q);
  return statement != TransactionStatement::kNone &&
         statement != TransactionStatement::kCreateStartTransaction;
}

Result<GtidList> GtidList::parse(std::string_view text) {
  GtidList list;
  if (text.find(':') != std::string_view::npos) {  // MySQL's uuid:interval form
    auto set = GtidSet::parse(text);
    if (!set.ok()) return set.error();
    list.mysql_ = std::move(set.value());
    return list;
  }
  size_t at = 0;
  while (at <= text.size()) {
    size_t comma = text.find(',', at);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view entry = text.substr(at, comma - at);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    auto gtid = parse_gtid(entry);
    if (!gtid.ok() || !std::holds_alternative<MariaGtid>(gtid.value()))
      return DecodeError{
          at, "not a GTID (domain-server-seq, or MySQL's uuid:1-5): '" + std::string(entry) + "'"};
    list.maria_.push_back(std::get<MariaGtid>(gtid.value()));
    at = comma + 1;
  }
  return list;
}

bool GtidList::contains(const Gtid& gtid) const {
  if (const auto* m = std::get_if<MariaGtid>(&gtid))
    return std::find(maria_.begin(), maria_.end(), *m) != maria_.end();
  return mysql_.contains(gtid);
}

// mariadb-binlog's rule: an event takes the GTID of the last GTID event before it,
// so that the control events after a transaction (a ROTATE) go with it; the format
// description is shown anyway.
void EventSelection::follow_transaction(const StreamEvent& se) {
  if (is_gtid_event(*se.event)) gtid_ = gtid_in(se);
}

// mariadb-binlog's --stop-position=GTID: each domain's transactions up to the
// sequence number given; past it, that domain's are left out, and once every
// domain named has gone past, the reading stops.
bool EventSelection::past_stop_gtid(const Gtid& gtid) {
  const auto* m = std::get_if<MariaGtid>(&gtid);
  if (!m) return !rules_.stop_gtid->contains(gtid);
  bool named = false;
  for (const auto& [key, seq] : rules_.stop_gtid->maria()) {
    if (key.first != m->domain_id) continue;
    named = true;
    if (m->seq_no <= seq) return false;
  }
  if (!named) return false;
  if (!listed(stop_domains_passed_, m->domain_id)) stop_domains_passed_.push_back(m->domain_id);
  size_t domains = 0;
  uint32_t last = UINT32_MAX;
  for (const auto& entry : rules_.stop_gtid->maria()) {
    if (entry.first.first != last) ++domains;
    last = entry.first.first;
  }
  stop_gtid_reached_ = stop_domains_passed_.size() == domains;
  return true;
}

bool EventSelection::gtid_selected() const {
  if (!gtid_) return true;
  if (rules_.include_gtids && !rules_.include_gtids->contains(*gtid_)) return false;
  if (rules_.exclude_gtids && rules_.exclude_gtids->contains(*gtid_)) return false;
  if (rules_.start_gtid && rules_.start_gtid->contains(*gtid_)) return false;
  if (const auto* m = std::get_if<MariaGtid>(&*gtid_)) {
    if (!rules_.domain_ids.empty() && !listed(rules_.domain_ids, m->domain_id)) return false;
    if (listed(rules_.ignore_domain_ids, m->domain_id)) return false;
  }
  return true;
}

EventSelection::Verdict EventSelection::judge(const StreamEvent& se) {
  if (past_stop(se)) return Verdict::kStop;
  const EventView& v = *se.view;
  if (!rules_.start_inside_event && *se.file == rules_.first_file && v.inner_index == 0 &&
      v.offset < rules_.start_position && rules_.start_position < v.offset + v.raw.size()) {
    const std::string end = std::to_string(v.offset + v.raw.size());
    error_ = "--start-position " + std::to_string(rules_.start_position) +
             " is inside the event at " + std::to_string(v.offset) + " of " + *se.file +
             ": the nearest event boundaries are " + std::to_string(v.offset) + " and " + end +
             " (--force-read starts at " + end + ")";
    return Verdict::kStop;
  }
  follow_transaction(se);
  if (rules_.stop_gtid && gtid_ && is_gtid_event(*se.event)) {
    beyond_stop_gtid_ = past_stop_gtid(*gtid_);
    if (stop_gtid_reached_) return Verdict::kStop;
  }
  const bool before_start = *se.file == rules_.first_file &&
                            se.view->offset < rules_.start_position && !always_shown(*se.event);
  if (!before_start && se.view->inner_index == 0) ++counted_;
  if (always_shown(*se.event)) return Verdict::kTake;
  if (counted_ <= rules_.offset) return Verdict::kSkip;
  if (gtid_ && beyond_stop_gtid_) return Verdict::kSkip;
  if (!in_range(se) || !gtid_selected()) return Verdict::kSkip;
  if (!named(se)) return Verdict::kPositionOnly;
  // An ANNOTATE_ROWS event waits for the filter's verdict on its rows events.
  if ((rules_.database || rules_.table) && std::holds_alternative<AnnotateRowsEvent>(*se.event))
    return Verdict::kHold;
  return Verdict::kTake;
}

bool EventSelection::past_stop(const StreamEvent& se) const {
  if (rules_.stop_position && *se.file == rules_.last_file && se.view->inner_index == 0 &&
      se.view->offset >= *rules_.stop_position) {
    return true;
  }
  return rules_.stop_time && se.view->header.timestamp >= *rules_.stop_time &&
         !always_shown(*se.event);
}

bool EventSelection::table_selected(const TableMapEvent* t) const {
  if (!t) return !rules_.database && !rules_.table;
  if (rules_.database && t->database != *rules_.database) return false;
  if (rules_.table && std::string(t->database) + "." + std::string(t->table) != *rules_.table)
    return false;
  return true;
}

// By position, time and server id: what mariadb-binlog checks before it prints an
// event's `# at` line.
bool EventSelection::in_range(const StreamEvent& se) const {
  const EventView& v = *se.view;
  if (always_shown(*se.event)) return true;
  if (*se.file == rules_.first_file && v.offset < rules_.start_position) return false;
  if (rules_.start_time && v.header.timestamp < *rules_.start_time) return false;
  // mysqlbinlog shows a ROTATE whichever server_id it carries: it names the next file.
  if (!std::holds_alternative<RotateEvent>(*se.event)) {
    if (rules_.server_id && v.header.server_id != *rules_.server_id) return false;
    if (!rules_.server_ids.empty() && !listed(rules_.server_ids, v.header.server_id)) return false;
    if (listed(rules_.ignore_server_ids, v.header.server_id)) return false;
  }
  return true;
}

// By the names an event carries: --database DB keeps exactly the events
// mysqlbinlog --database=DB keeps (client/mysqlbinlog.cc, process_event), so
// both print the same statements:
// - QUERY (compressed or not): kept when its default database is DB, compared
//   exactly (a QUERY without a default database is dropped); the transaction
//   keywords above are kept whatever their database.
// - EXECUTE_LOAD_QUERY: kept when its default database is DB, keywords or not.
// - TABLE_MAP: kept when its table is in DB (and is --table, if given); a rows
//   event is kept when its TABLE_MAP was. A rows event with no TABLE_MAP names no
//   database and is dropped.
// - ANNOTATE_ROWS is held back (kHold) and shown just before the first TABLE_MAP
//   kept after it, or dropped when its statement ends without one.
// - Everything else is kept, as mysqlbinlog prints it whatever the database: XID
//   (the COMMIT), GTID (START TRANSACTION), BEGIN_LOAD_QUERY, ROTATE, STOP, and
//   INTVAR / RAND / USER_VAR even when the QUERY they precede is dropped.
bool EventSelection::named(const StreamEvent& se) const {
  if (always_shown(*se.event)) return true;
  if (std::holds_alternative<TableMapEvent>(*se.event) ||
      std::holds_alternative<RowsEvent>(*se.event)) {
    return table_selected(se.table);
  }
  if (!rules_.database) return true;
  if (const auto* q = std::get_if<QueryEvent>(se.event)) {
    return is_transaction_keyword(q->query) || q->database == *rules_.database;
  }
  if (const auto* q = std::get_if<ExecuteLoadQueryEvent>(se.event))
    return q->query.database == *rules_.database;
  return true;
}

bool SelectedPrinter::print(const StreamEvent& se, std::string& out) {
  switch (selection_.judge(se)) {
    case EventSelection::Verdict::kStop:
      return false;
    case EventSelection::Verdict::kSkip:
      break;
    case EventSelection::Verdict::kPositionOnly:
      printer_.print_position(se, out);
      break;
    case EventSelection::Verdict::kHold:
      // The text printer holds an ANNOTATE_ROWS itself, and prints its `# at`
      // line in place whether or not its rows come, as mariadb-binlog does.
      if (printer_.is_text()) {
        printer_.print(se, out);
        return true;
      }
      held_.clear();
      printer_.print(se, held_);
      return true;
    case EventSelection::Verdict::kTake:
      if (std::holds_alternative<TableMapEvent>(*se.event)) {
        out += held_;
        held_.clear();
      }
      printer_.print(se, out);
      break;
  }
  if (ends_statement(se)) {
    held_.clear();
    printer_.end_statement(out);
  }
  return true;
}

}  // namespace twinlog
