// `twinlog autoinc`, reading one master's binlog (autoinc_check.h): the session
// values of each QUERY, the ids of a statement (INSERT_ID and the rows after it)
// or of a row image, and per transaction the keys it inserted, kept per table
// and origin. What the keys kept mean is judged in autoinc_findings.cpp.
#include "src/checks/autoinc_check.h"

#include <variant>

#include "protocol/row_image.h"
#include "protocol/value.h"
#include "src/checks/autoinc_class.h"

namespace twinlog::checks {

using autoinc::class_text;
using autoinc::kTextKept;
using report::Evidence;
using report::Finding;
using report::Severity;

AutoIncrementCheck::AutoIncrementCheck(const config::ServerConfig& a,
                                       const config::ServerConfig& b) {
  const config::ServerConfig* configs[2] = {&a, &b};
  for (int i = 0; i < 2; ++i) {
    const config::ServerConfig& c = *configs[i];
    origins_[i] = Origin{i == 0 ? "A" : "B",
                         static_cast<uint32_t>(c.server_id.value),
                         c.auto_increment_increment.value,
                         c.auto_increment_offset.value,
                         c.auto_increment_increment.origin,
                         c.auto_increment_offset.origin};
    channels_[i] = c.replica_channels;
  }
}

void AutoIncrementCheck::add_schema(std::string_view dump) {
  schemas_.apply_dump(dump);
}

void AutoIncrementCheck::begin(std::string reader) {
  reader_ = std::move(reader);
  assembler_ = TransactionAssembler();
  insert_id_.reset();
  session_.reset();
  open_.clear();
}

const AutoIncrementCheck::Origin* AutoIncrementCheck::origin_of(uint32_t server_id,
                                                                uint8_t& index) const {
  // With equal server ids (a finding of its own) the events cannot be told apart:
  // they are taken as A's.
  for (uint8_t i = 0; i < 2; ++i) {
    if (origins_[i].server_id == server_id) {
      index = i;
      return &origins_[i];
    }
  }
  return nullptr;
}

uint32_t AutoIncrementCheck::table_index(std::string_view database, std::string_view table) {
  name_.assign(database).append(".").append(table);
  auto it = table_index_.find(name_);
  if (it != table_index_.end()) return it->second;
  const auto index = static_cast<uint32_t>(table_names_.size());
  table_names_.push_back(name_);
  keys_.emplace_back();
  statement_keys_.push_back({0, 0});
  table_index_.emplace(name_, index);
  return index;
}

void AutoIncrementCheck::add(const StreamEvent& se) {
  const Boundary boundary = assembler_.add(se);
  if (boundary == Boundary::kBegin && assembler_.completed()) {
    close(*assembler_.completed());  // a transaction that never ended
  }
  if (boundary == Boundary::kBegin) {
    session_.reset();
    insert_id_.reset();
  }
  if (const auto* q = std::get_if<protocol::QueryEvent>(se.event)) {
    on_query(se, q->database, q->query, q->status);
  } else if (const auto* l = std::get_if<protocol::ExecuteLoadQueryEvent>(se.event)) {
    on_query(se, l->query.database, l->query.query, l->query.status);
  } else if (const auto* iv = std::get_if<protocol::IntvarEvent>(se.event)) {
    if (iv->kind == protocol::IntvarEvent::kInsertId) insert_id_ = iv->value;
  } else if (const auto* rows = std::get_if<protocol::RowsEvent>(se.event)) {
    if (rows->kind == protocol::RowsKind::kWrite) on_rows(se);
  }
  if ((boundary == Boundary::kEnd || boundary == Boundary::kSingle) && assembler_.completed()) {
    close(*assembler_.completed());
  }
}

void AutoIncrementCheck::end() {
  if (std::optional<TransactionSummary> open = assembler_.finish()) close(*open);
}

void AutoIncrementCheck::on_query(const StreamEvent& se, std::string_view database,
                                  std::string_view query, const protocol::QueryStatusVars& status) {
  const StatementTables& st = analyzer_.analyze(query);
  if (st.kind == StatementKind::kTableDdl) schemas_.apply(database, query);

  // The server writes Q_AUTO_INCREMENT only when the session's values are not
  // 1 / 1: without it they were.
  Session session;
  if (status.auto_increment) {
    session = {status.auto_increment->increment, status.auto_increment->offset};
  }
  session_ = session;
  const std::optional<uint64_t> insert_id = insert_id_;
  insert_id_.reset();

  uint8_t o = 0;
  const Origin* origin = origin_of(se.view->header.server_id, o);
  if (origin == nullptr) return;
  if (session.increment != origin->increment || session.offset != origin->offset) {
    Finding f;
    f.severity = Severity::kWarning;
    f.code = "autoinc.session_override";
    f.message = "sessions on " + origin->name + " ran with " +
                class_text(session.increment, session.offset) + ", not " + origin->name +
                "'s configured " + class_text(origin->increment, origin->offset) +
                ": their inserts take ids outside " + origin->name + "'s class";
    f.action =
        "Find the client that sets auto_increment_increment / auto_increment_offset for "
        "its session (the statement in the evidence) and stop it; check the ids it "
        "inserted against the other master's.";
    Evidence e;
    e.server = reader_;
    e.file = *se.file;
    e.start = se.view->offset;
    e.end = se.view->offset + se.view->raw.size();
    e.origin_server_id = se.view->header.server_id;
    e.time = se.view->header.timestamp;
    e.statement.assign(query.substr(0, kTextKept));
    e.option = class_text(session.increment, session.offset);
    e.option_source = "the QUERY event's status variables";
    std::string key = f.code;
    key.append("|").append(origin->name).append("|").append(e.option);
    record(key, std::move(f), {std::move(e)});
  }

  if (!insert_id || st.kind != StatementKind::kTableChange || st.updated.empty()) return;
  const TableRef& t = st.updated.front();
  const std::string_view db = t.database.empty() ? database : std::string_view(t.database);
  const uint32_t table = table_index(db, t.table);
  statement_ids(table, o, session, *insert_id, query, status, se.view->offset,
                schemas_.find(db, t.table));
}

// A statement's ids: INSERT_ID is the first id it generated; a replica gives the
// next rows that get no value INSERT_ID + k * increment (lock mode 1 reserves a
// simple insert's ids in one run), and the rows that name an id that id.
void AutoIncrementCheck::statement_ids(uint32_t table, uint8_t origin, Session session,
                                       uint64_t insert_id, std::string_view query,
                                       const protocol::QueryStatusVars& status, uint64_t position,
                                       const TableColumns* columns) {
  constexpr uint64_t kNoAutoValueOnZero = 1ULL << 19;  // MODE_NO_AUTO_VALUE_ON_ZERO
  const std::optional<uint32_t> column = columns ? columns->auto_increment() : std::nullopt;
  values_.rows.clear();
  values_.stopped = "the table's auto-increment column is not known";
  if (column) {
    const bool zero_generates = !status.sql_mode || (*status.sql_mode & kNoAutoValueOnZero) == 0;
    read_insert_values(query, *columns, *column, zero_generates, 0, values_);
  }
  bool all_known = values_.stopped.empty();
  const std::size_t before = open_.size();
  uint64_t next = insert_id;
  bool generated = false;  // INSERT_ID has been given to a row
  bool counting = true;    // the rows that get no value still take INSERT_ID + k * increment
  for (const InsertRow& row : values_.rows) {
    if (!row.generated) {
      open_.push_back(
          {table, row.value, origin, session, IdSource::kStatementText, true, position});
      // An id named at or above the next one moves the counter past it; what the
      // replica's forced INSERT_ID gives the rows after that is not in the text.
      if (row.value >= next) counting = false;
      continue;
    }
    if (!counting) {
      all_known = false;
      continue;
    }
    open_.push_back({table, next, origin, session,
                     generated ? IdSource::kNextInsertId : IdSource::kInsertId, true, position});
    generated = true;
    next += session.increment;
  }
  // No row read took INSERT_ID (INSERT ... SELECT, LOAD DATA, a table whose
  // column is unknown, a reading stopped before it): it is still the first id the
  // statement generated.
  if (!generated && !values_.stopped.empty()) {
    open_.push_back({table, insert_id, origin, session, IdSource::kInsertId, true, position});
  }
  totals_.statement_ids += open_.size() - before;
  if (!all_known) {
    ++totals_.statements_partly;
    for (std::size_t i = before; i < open_.size(); ++i) open_[i].all_known = false;
  }
}

void AutoIncrementCheck::on_rows(const StreamEvent& se) {
  const protocol::TableMapEvent* map = se.table;
  if (map == nullptr) return;  // the reader has reported the missing table map
  uint8_t o = 0;
  if (origin_of(se.view->header.server_id, o) == nullptr) return;
  const TableColumns* columns = schemas_.find(map->database, map->table);
  const auto& rows = std::get<protocol::RowsEvent>(*se.event);
  std::optional<uint32_t> column;
  if (columns) column = columns->auto_increment();
  if (columns == nullptr) {
    name_.assign(map->database).append(".").append(map->table);
    auto [it, added] = unknown_columns_.try_emplace(name_);
    if (added) {
      Evidence& e = it->second.second;
      e.server = reader_;
      e.file = *se.file;
      e.start = se.view->offset;
      e.origin_server_id = se.view->header.server_id;
      e.time = se.view->header.timestamp;
      e.table = name_;
    }
    protocol::RowReader reader(rows, *map, protocol::rows_offset(*se.view, rows), se.table_layouts);
    protocol::RowChange row;
    uint64_t n = 0;
    while (reader.next(row)) ++n;
    it->second.first += n;
    totals_.unchecked_rows += n;
    return;
  }
  if (!column || *column >= map->columns.size()) return;
  const uint32_t table = table_index(map->database, map->table);
  const Session session = session_.value_or(Session{origins_[o].increment, origins_[o].offset});
  const bool is_unsigned =
      map->columns[*column].is_unsigned.value_or(columns->columns[*column].is_unsigned);
  protocol::RowReader reader(rows, *map, protocol::rows_offset(*se.view, rows), se.table_layouts);
  protocol::RowChange row;
  while (reader.next(row)) {
    for (const protocol::Cell& cell : row.after.cells) {
      if (cell.column != *column || cell.is_null) continue;
      auto value = protocol::decode_value(reader, cell);
      if (!value) break;
      const auto* i = std::get_if<protocol::IntValue>(&*value);
      if (i == nullptr) break;  // not an integer column: nothing to check
      if (!is_unsigned && i->as_signed() < 0) break;
      open_.push_back(
          {table, i->as_unsigned(), o, session, IdSource::kRowImage, true, cell.offset});
      ++totals_.row_ids;
      break;
    }
  }
}

void AutoIncrementCheck::close(const TransactionSummary& summary) {
  ++totals_.transactions;
  session_.reset();
  insert_id_.reset();
  if (open_.empty()) return;
  const auto txn = static_cast<uint32_t>(transactions_.size());
  transactions_.push_back({reader_, summary.file, summary.gtid_text(), summary.start, summary.end,
                           summary.server_id, summary.first_timestamp});
  for (const Insert& in : open_) {
    Key& key = keys_[in.table][in.id];
    if (key.transaction[in.origin] != kNone) continue;  // seen already (the other binlog)
    key.transaction[in.origin] = txn;
    if (keep_for_merge_) {
      firsts_.emplace_back(in, txn);
    } else {
      first_insert(in, txn, key);
    }
  }
  open_.clear();
}

}  // namespace twinlog::checks
