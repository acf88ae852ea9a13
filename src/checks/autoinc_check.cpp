#include "src/checks/autoinc_check.h"

#include <algorithm>
#include <numeric>
#include <variant>

#include "protocol/row_image.h"
#include "protocol/value.h"
#include "src/checks/setting_evidence.h"
#include "src/report/concat.h"

namespace twinlog::checks {
namespace {

using report::Evidence;
using report::Finding;
using report::Severity;

constexpr std::size_t kTextKept = 200;

std::string class_text(uint64_t increment, uint64_t offset) {
  return "auto_increment_increment=" + std::to_string(increment) +
         ", auto_increment_offset=" + std::to_string(offset);
}

bool in_class(uint64_t id, uint64_t increment, uint64_t offset) {
  return increment <= 1 || id % increment == offset % increment;
}

// The setting with its value: "auto_increment_offset=1".
Evidence setting_evidence(const std::string& server, const std::string& option, uint64_t value,
                          const config::SettingOrigin& origin) {
  return checks::setting_evidence(server, report::concat(option, "=", std::to_string(value)),
                                  origin);
}

}  // namespace

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

std::string_view AutoIncrementCheck::id_source_text(IdSource source) {
  switch (source) {
    case IdSource::kRowImage:
      return "row image";
    case IdSource::kInsertId:
      return "INSERT_ID";
    case IdSource::kNextInsertId:
      return "a later row of the statement: INSERT_ID + k * auto_increment_increment";
    case IdSource::kStatementText:
      return "named in the statement";
  }
  return "";
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
    protocol::RowReader reader(rows, *map, protocol::rows_offset(*se.view, rows));
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
  protocol::RowReader reader(rows, *map, protocol::rows_offset(*se.view, rows));
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

Evidence AutoIncrementCheck::evidence_of(const Transaction& t, uint32_t table) const {
  Evidence e;
  e.server = t.reader;
  e.file = t.file;
  e.start = t.start;
  e.end = t.end;
  e.gtid = t.gtid;
  e.origin_server_id = t.server_id;
  e.time = t.time;
  e.table = table_names_[table];
  return e;
}

void AutoIncrementCheck::record(const std::string& key, Finding finding,
                                std::vector<Evidence> evidence) {
  Aggregate& agg = aggregates_[key];
  if (agg.count++ == 0) {
    agg.finding = std::move(finding);
    agg.first = evidence;
  }
  agg.last = std::move(evidence);
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

// The first time `in`'s key is inserted by its origin, in the order of reading.
void AutoIncrementCheck::first_insert(const Insert& in, uint32_t txn, const Key& key) {
  ++totals_.keys;
  if (!in.all_known) ++statement_keys_[in.table][in.origin];
  const Origin& origin = origins_[in.origin];
  const std::string& table = table_names_[in.table];
  const std::string id = std::to_string(in.id);
  const std::string how(id_source_text(in.source));
  // Outside its own class, or inside the other master's too: either way the
  // other master can hand out the same key.
  const Origin& peer = origins_[1 - in.origin];
  const bool own = in_class(in.id, in.session.increment, in.session.offset);
  if (!own || in_class(in.id, peer.increment, peer.offset)) {
    Finding f;
    f.severity = Severity::kError;
    f.code = "autoinc.wrong_class";
    f.message = report::concat(origin.name, " inserted id ", id, " into ", table, " (", how, "), ");
    if (!own) {
      f.message += "outside its class " + class_text(in.session.increment, in.session.offset) +
                   ": an id the other master's class may also take";
    } else {
      f.message += "an id of " + peer.name + "'s class too (" +
                   class_text(peer.increment, peer.offset) + "): " + peer.name +
                   " can insert the same key";
    }
    f.action =
        "Give the masters distinct auto_increment_offset values below a common "
        "auto_increment_increment of at least 2, and look for a session or an "
        "explicit id that set this one.";
    Evidence e = evidence_of(transactions_[txn], in.table);
    e.statement = report::concat("id ", id, " (", how, " at ", std::to_string(in.position), ")");
    const bool configured =
        in.session.increment == origin.increment && in.session.offset == origin.offset;
    e.option = class_text(in.session.increment, in.session.offset);
    e.option_source = configured
                          ? origin.offset_origin.text() + ", " + origin.increment_origin.text()
                          : std::string("the session (QUERY status variables)");
    // The key first: an argument list may move `f` before it reads f.code.
    std::string key_text = f.code;
    key_text.append("|").append(origin.name).append("|").append(table);
    record(key_text, std::move(f), {std::move(e)});
  }
  const uint32_t other = key.transaction[1 - in.origin];
  if (other == kNone) return;
  Finding f;
  f.severity = Severity::kError;
  f.code = "autoinc.collision";
  f.message = report::concat("both masters inserted ", table, " id ", id,
                             ": the second to apply the other's row stops with error 1062 (or "
                             "loses it under slave-skip-errors)");
  f.action = "Compare " + table +
             " on both masters (twinlog diff), repair the rows that collided, then give "
             "the masters disjoint auto-increment classes.";
  Evidence mine = evidence_of(transactions_[txn], in.table);
  Evidence theirs = evidence_of(transactions_[other], in.table);
  mine.statement = theirs.statement = "id " + id;
  std::vector<Evidence> both;
  if (in.origin == 0) {
    both = {std::move(mine), std::move(theirs)};
  } else {
    both = {std::move(theirs), std::move(mine)};
  }
  std::string key_text = f.code;
  key_text.append("|").append(table);
  record(key_text, std::move(f), std::move(both));
}

std::optional<uint32_t> AutoIncrementCheck::transaction_at(const std::string& reader,
                                                           const std::string& file,
                                                           uint64_t start) const {
  for (std::size_t i = 0; i < transactions_.size(); ++i) {
    const Transaction& t = transactions_[i];
    // A live master's binlog is named by its file alone, a captured one by its path.
    const std::size_t slash = t.file.rfind('/');
    const std::string_view name =
        std::string_view(t.file).substr(slash == std::string::npos ? 0 : slash + 1);
    if (t.reader == reader && t.start == start && name == file) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

void AutoIncrementCheck::replica_stops(std::vector<Finding>& out) const {
  for (uint8_t replica = 0; replica < 2; ++replica) {
    const uint8_t master = 1 - replica;
    const std::string& name = origins_[replica].name;
    for (const config::ReplicaChannel& c : channels_[replica]) {
      if (c.last_sql_errno != 1062) continue;
      Finding& f = out.emplace_back();
      f.severity = Severity::kError;
      f.code = "autoinc.replica_stopped_1062";
      Evidence stop;
      stop.server = name;
      stop.file = c.relay_master_log_file;
      stop.start = c.exec_master_log_pos;
      if (c.master_server_id != 0) stop.origin_server_id = c.master_server_id;
      stop.statement = c.last_sql_error.substr(0, kTextKept);
      // The file and position are the master's binlog's, as the replica shows them.
      stop.option = "Last_SQL_Errno=1062, Relay_Master_Log_File=" + c.relay_master_log_file +
                    ", Exec_Master_Log_Pos=" + std::to_string(c.exec_master_log_pos);
      stop.option_source = c.source + " (channel '" + c.name + "')";
      f.evidence.push_back(std::move(stop));
      const std::string where =
          c.relay_master_log_file + ":" + std::to_string(c.exec_master_log_pos);
      f.message = report::concat(name, "'s replica channel '", c.name,
                                 "' stopped with error 1062 at ", where);
      f.action =
          "Compare the table on both masters (twinlog diff) and repair the colliding rows "
          "before restarting the replica (skipping the transaction loses the peer's row), then "
          "give the masters disjoint auto-increment classes.";
      // Exec_Master_Log_Pos is where the failing transaction starts in the binlog of
      // the master the channel reads: the peer's, unless a third server feeds it.
      const bool from_peer =
          c.master_server_id == 0 || c.master_server_id == origins_[master].server_id;
      const std::optional<uint32_t> t =
          from_peer ? transaction_at(origins_[master].name, c.relay_master_log_file,
                                     c.exec_master_log_pos)
                    : std::nullopt;
      if (!t) {
        f.message += from_peer ? " (on a transaction of " + origins_[master].name +
                                     "'s that the binlogs read do not hold: read its binlogs to "
                                     "tie it)"
                               : " (fed by server id " + std::to_string(c.master_server_id) +
                                     ", not a master of the pair)";
        f.message += ": " + c.last_sql_error.substr(0, kTextKept);
        continue;
      }
      f.message += ", on " + origins_[master].name + "'s transaction" +
                   (transactions_[*t].gtid.empty() ? "" : " " + transactions_[*t].gtid);
      // The keys that transaction inserted which the replica's own master also did,
      // in table and id order (the maps keep none).
      std::vector<std::pair<uint32_t, uint64_t>> collided;
      for (uint32_t table = 0; table < keys_.size(); ++table) {
        for (const auto& [id, key] : keys_[table]) {
          if (key.transaction[master] == *t && key.transaction[replica] != kNone)
            collided.emplace_back(table, id);
        }
      }
      std::sort(collided.begin(), collided.end());
      if (collided.size() > kShownKeys) collided.resize(kShownKeys);
      for (const auto& [table, id] : collided) {
        Evidence theirs = evidence_of(transactions_[*t], table);
        Evidence mine = evidence_of(transactions_[keys_[table].at(id).transaction[replica]], table);
        theirs.statement = mine.statement = "id " + std::to_string(id);
        f.evidence.push_back(std::move(theirs));
        f.evidence.push_back(std::move(mine));
      }
      if (collided.empty()) {
        Evidence theirs = evidence_of(transactions_[*t], 0);
        theirs.table.clear();  // the transaction's tables are not kept, only its keys
        f.evidence.push_back(std::move(theirs));
      } else {
        f.message += " that inserted " + table_names_[collided[0].first] + " id " +
                     std::to_string(collided[0].second) + ", which " + name + " had inserted too";
      }
      f.message += ": " + c.last_sql_error.substr(0, kTextKept);
    }
  }
}

void AutoIncrementCheck::gaps(std::vector<Finding>& out) const {
  constexpr std::size_t kListed = 10;
  std::vector<uint64_t> ids;
  for (std::size_t t = 0; t < keys_.size(); ++t) {
    for (uint8_t o = 0; o < 2; ++o) {
      const Origin& origin = origins_[o];
      if (statement_keys_[t][o] != 0 || origin.increment == 0) continue;
      ids.clear();
      for (const auto& [id, key] : keys_[t]) {
        if (key.transaction[o] != kNone && in_class(id, origin.increment, origin.offset)) {
          ids.push_back(id);
        }
      }
      if (ids.size() < 2) continue;
      std::sort(ids.begin(), ids.end());
      // The table's counter is its largest id + 1 and an insert takes the first id
      // of the class from there, so a key of the other class just below the next
      // id (the peer's row, applied in between) explains a skip: not a gap.
      const auto explained = [&](uint64_t next) {
        for (uint64_t y = next - origin.increment + 1; y < next; ++y) {
          if (keys_[t].count(y) != 0) return true;
        }
        return false;
      };
      std::string missing;
      std::size_t listed = 0;
      uint64_t count = 0;
      for (std::size_t i = 1; i < ids.size(); ++i) {
        if (ids[i] - ids[i - 1] == origin.increment || explained(ids[i])) continue;
        for (uint64_t id = ids[i - 1] + origin.increment; id < ids[i]; id += origin.increment) {
          ++count;
          if (listed < kListed) {
            if (!missing.empty()) missing += ", ";
            missing += std::to_string(id);
            ++listed;
          }
        }
      }
      if (count == 0) continue;
      if (count > listed) missing += " and " + std::to_string(count - listed) + " more";
      Finding f;
      f.severity = Severity::kInfo;
      f.code = "autoinc.gap";
      f.message = std::to_string(count) + " ids of " + origin.name + "'s class in " +
                  table_names_[t] + " between " + std::to_string(ids.front()) + " and " +
                  std::to_string(ids.back()) + " are in no binlog read: " + missing;
      Evidence e;
      e.server = origin.name;
      e.origin_server_id = origin.server_id;
      e.table = table_names_[t];
      e.statement = "missing ids: " + missing;
      e.option = class_text(origin.increment, origin.offset);
      e.option_source = origin.offset_origin.text();
      f.evidence.push_back(std::move(e));
      f.action =
          "A hint, not a fault: an insert made with sql_log_bin=0, a rolled-back insert or "
          "a failed multi-row insert consumes ids without logging them. If " +
          origin.name + " wrote rows with sql_log_bin=0, compare " + table_names_[t] +
          " on both masters (twinlog diff).";
      out.push_back(std::move(f));
    }
  }
}

std::vector<Finding> AutoIncrementCheck::findings() const {
  std::vector<Finding> out;
  for (const auto& [key, agg] : aggregates_) {
    Finding f = agg.finding;
    if (agg.count > 1) {
      f.message += " (" + std::to_string(agg.count) + " times; the first and the last are shown)";
    }
    f.evidence = agg.first;
    if (agg.count > 1) f.evidence.insert(f.evidence.end(), agg.last.begin(), agg.last.end());
    out.push_back(std::move(f));
  }
  for (const auto& [table, unknown] : unknown_columns_) {
    Finding f;
    f.severity = Severity::kInfo;
    f.code = "autoinc.column_unknown";
    f.message = "which column of " + table +
                " is AUTO_INCREMENT is not known (no CREATE TABLE for it in the binlogs read): " +
                std::to_string(unknown.first) + " written rows unchecked";
    f.evidence.push_back(unknown.second);
    f.action =
        "Read the binlog that holds its CREATE TABLE too, or give --schema FILE (the "
        "output of mariadb-dump --no-data).";
    out.push_back(std::move(f));
  }
  gaps(out);
  replica_stops(out);
  return out;
}

// ----------------------------------------------------------------- the pair

std::vector<Finding> autoinc_config_findings(const config::ServerConfig& a,
                                             const config::ServerConfig& b) {
  std::vector<Finding> out;
  const std::pair<const config::ServerConfig*, std::string> servers[] = {{&a, "A"}, {&b, "B"}};
  for (const auto& [c, name] : servers) {
    const auto& inc = c->auto_increment_increment;
    const auto& off = c->auto_increment_offset;
    for (const auto& n : c->notes) {
      // The note's message is "FILE:LINE: NAME = VALUE is outside ...".
      if (n.code != "config.value_adjusted" ||
          (n.message.find(": auto_increment_") == std::string::npos &&
           n.message.find(": auto-increment-") == std::string::npos)) {
        continue;
      }
      Finding f;
      f.severity = Severity::kWarning;
      f.code = "autoinc.out_of_range";
      f.message = name + ": " + n.message;
      Evidence e;
      e.server = name;
      e.option_source = n.origin.text();
      f.evidence.push_back(std::move(e));
      f.action = "Write a value within 1..65535.";
      out.push_back(std::move(f));
    }
    for (const auto* s : {&inc, &off}) {
      if (s->value >= 1 && s->value <= 65535) continue;
      const std::string option = s == &inc ? "auto_increment_increment" : "auto_increment_offset";
      Finding f;
      f.severity = Severity::kWarning;
      f.code = "autoinc.out_of_range";
      f.message = report::concat(name, "'s ", option, "=", std::to_string(s->value),
                                 " is outside 1..65535");
      f.evidence.push_back(setting_evidence(name, option, s->value, s->origin));
      f.action = "Write a value within 1..65535.";
      out.push_back(std::move(f));
    }
    if (inc.value < 2) {
      Finding f;
      f.severity = Severity::kError;
      f.code = "autoinc.increment_too_small";
      f.message = report::concat(name, "'s auto_increment_increment=", std::to_string(inc.value),
                                 " is below 2, the number of masters: ", name,
                                 " hands out every id, the other master's too");
      f.evidence.push_back(
          setting_evidence(name, "auto_increment_increment", inc.value, inc.origin));
      f.action =
          "Set auto_increment_increment=2 on both masters (or more, to leave room for "
          "another), with a distinct auto_increment_offset on each.";
      out.push_back(std::move(f));
    }
    if (off.value > inc.value) {
      Finding f;
      f.severity = Severity::kWarning;
      f.code = "autoinc.offset_above_increment";
      f.message = name + "'s auto_increment_offset=" + std::to_string(off.value) +
                  " is above its auto_increment_increment=" + std::to_string(inc.value) +
                  ": the server ignores such an offset";
      f.evidence.push_back(setting_evidence(name, "auto_increment_offset", off.value, off.origin));
      f.evidence.push_back(
          setting_evidence(name, "auto_increment_increment", inc.value, inc.origin));
      f.action = "Use an offset from 1 to the increment.";
      out.push_back(std::move(f));
    }
  }
  // Two classes (offset mod increment) share ids when the offsets agree modulo
  // the increments' greatest common divisor.
  const uint64_t ia = std::max<uint64_t>(a.auto_increment_increment.value, 1);
  const uint64_t ib = std::max<uint64_t>(b.auto_increment_increment.value, 1);
  const uint64_t g = std::gcd(ia, ib);
  const uint64_t oa = a.auto_increment_offset.value, ob = b.auto_increment_offset.value;
  if ((ia >= 2 || ib >= 2) && oa % g == ob % g) {
    Finding f;
    f.severity = Severity::kError;
    f.code = "autoinc.same_class";
    f.message = "A (" + class_text(ia, oa) + ") and B (" + class_text(ib, ob) +
                ") hand out the same ids: an insert on each can take one key, and replication "
                "stops with error 1062";
    f.evidence.push_back(
        setting_evidence("A", "auto_increment_offset", oa, a.auto_increment_offset.origin));
    f.evidence.push_back(
        setting_evidence("B", "auto_increment_offset", ob, b.auto_increment_offset.origin));
    f.evidence.push_back(
        setting_evidence("A", "auto_increment_increment", ia, a.auto_increment_increment.origin));
    f.evidence.push_back(
        setting_evidence("B", "auto_increment_increment", ib, b.auto_increment_increment.origin));
    f.action =
        "Give the masters one auto_increment_increment of at least 2 and distinct "
        "auto_increment_offset values (1 on A, 2 on B).";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace twinlog::checks
