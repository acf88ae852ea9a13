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

EventSelection::Verdict EventSelection::judge(const StreamEvent& se) const {
  if (past_stop(se)) return Verdict::kStop;
  if (!selected(se)) return Verdict::kSkip;
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

// --database DB keeps exactly the events mysqlbinlog --database=DB keeps
// (client/mysqlbinlog.cc, process_event), so both print the same statements:
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
bool EventSelection::selected(const StreamEvent& se) const {
  const EventView& v = *se.view;
  if (always_shown(*se.event)) return true;
  if (*se.file == rules_.first_file && v.offset < rules_.start_position) return false;
  if (rules_.start_time && v.header.timestamp < *rules_.start_time) return false;
  if (rules_.server_id && v.header.server_id != *rules_.server_id) return false;
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
    case EventSelection::Verdict::kHold:
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
