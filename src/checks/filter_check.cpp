#include "src/checks/filter_check.h"

#include <algorithm>
#include <variant>

#include "protocol/ascii_case.h"
#include "protocol/transaction_boundary.h"

namespace twinlog::checks {
namespace {

using report::Evidence;
using report::Finding;
using report::Severity;

constexpr std::size_t kTextKept = 200;

// The first word of a statement, after blanks and comments: CREATE, DROP, ...
// The analyzer has told the kind already; this only tells CREATE TABLE from the
// other table DDL for the tables-the-other-master-lacks bookkeeping.
bool first_word_is(std::string_view sql, std::string_view word) {
  std::size_t i = 0;
  for (;;) {
    while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r'))
      ++i;
    if (sql.substr(i, 2) == "/*" && sql.substr(i, 3) != "/*!") {
      std::size_t end = sql.find("*/", i + 2);
      if (end == std::string_view::npos) return false;
      i = end + 2;
      continue;
    }
    break;
  }
  if (sql.size() - i < word.size()) return false;
  if (!protocol::ascii_iequals(sql.substr(i, word.size()), word)) return false;
  return i + word.size() == sql.size() ||
         !std::isalnum(static_cast<unsigned char>(sql[i + word.size()]));
}

Outcome combine(Outcome a, Outcome b) {
  if (a == b) return a;
  if (a == Outcome::kCannotTell || b == Outcome::kCannotTell) return Outcome::kCannotTell;
  return Outcome::kPartly;
}

// 101106 for 10.11.6, as executable comments write versions; 0 (every executable
// comment is code) when the version is unknown.
uint32_t version_number(const config::ServerIdentity& id) {
  if (!id.version) return 0;
  return static_cast<uint32_t>(id.version->major * 10000 + id.version->minor * 100 +
                               id.version->patch);
}

Outcome outcome_of(bool pass) {
  return pass ? Outcome::kYes : Outcome::kNo;
}

// An event that carries the other master's own server_id: it skips it (the
// server's check in queue_event / apply), unless replicate-same-server-id.
bool own_event(const config::ServerConfig& other, uint32_t server_id) {
  return server_id == other.server_id.value && !other.replicate_same_server_id.value;
}

}  // namespace

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kNo:
      return "false";
    case Outcome::kYes:
      return "true";
    case Outcome::kPartly:
      return "partly";
    case Outcome::kCannotTell:
      return "cannot tell";
  }
  return "cannot tell";
}

FilterCheck::FilterCheck(const config::ServerConfig& source, const config::ServerConfig& other,
                         std::string source_name, std::string other_name)
    : source_config_(source),
      other_config_(other),
      source_(source),
      other_(other),
      source_name_(std::move(source_name)),
      other_name_(std::move(other_name)),
      other_logs_rows_(other.binlog_format.value == "ROW"),
      other_relogs_(other.log_bin.value && other.log_slave_updates.value),
      analyzer_(version_number(other.identity)) {
  own_rule_ = other_name_ + "'s own server-id=" + std::to_string(other.server_id.value) + " (" +
              other.server_id.origin.text() + "): it skips its own events";
}

FilterVerdict FilterCheck::other_relogs(const std::string& database) const {
  if (!other_config_.log_bin.value) {
    return {false, "log-bin is off (" + other_config_.log_bin.origin.text() + ")", "log-bin",
            other_config_.log_bin.origin.text()};
  }
  if (!other_config_.log_slave_updates.value) {
    return {false,
            "log-slave-updates is off (" + other_config_.log_slave_updates.origin.text() + ")",
            "log-slave-updates", other_config_.log_slave_updates.origin.text()};
  }
  return other_.binlog_db_ok(database);
}

// The verdicts depend on names only, and a binlog names few databases and tables:
// each is worked out once (rule texts included) and looked up after, without an
// allocation per statement.
const FilterCheck::DatabaseVerdicts& FilterCheck::database_verdicts(std::string_view database) {
  auto it = databases_.find(database);
  if (it != databases_.end()) return it->second;
  DatabaseVerdicts v;
  v.has_database = !database.empty();
  v.rewritten =
      v.has_database ? other_.rewrite_db(other_.replica_database(database)) : std::string();
  const std::optional<std::string_view> db =
      v.has_database ? std::optional<std::string_view>(v.rewritten) : std::nullopt;
  v.applies = other_.replicate_db_ok(db);
  if (!other_relogs_ || v.has_database) {
    v.relogs = other_relogs(v.rewritten);
  } else {
    v.relogs = other_.binlog_db_ok(std::nullopt);
  }
  return databases_.emplace(std::string(database), std::move(v)).first->second;
}

const FilterCheck::TableVerdicts& FilterCheck::table_verdicts(std::string_view database,
                                                              std::string_view table) {
  key_.assign(database).append(".").append(table);
  auto it = tables_.find(key_);
  if (it != tables_.end()) return it->second;
  TableVerdicts v;
  const std::string db(database);
  v.source_logs = source_.binlog_db_ok(db);
  const std::string rewritten = other_.rewrite_db(other_.replica_database(db));
  v.other_applies = other_.replicate_db_ok(rewritten);
  if (v.other_applies.pass && other_.has_table_rules()) {
    v.other_applies = other_.replicate_tables_ok({{rewritten, std::string(table)}});
  }
  v.other_relogs = other_relogs(rewritten);
  return tables_.emplace(key_, std::move(v)).first->second;
}

StatementDecision& FilterCheck::next_slot() {
  if (open_count_ < open_.size()) {
    StatementDecision& d = open_[open_count_++];
    d.row_format = false;
    d.applied = Outcome::kYes;
    d.relogged = Outcome::kNo;
    d.table.clear();
    d.relog_rule.clear();
    return d;
  }
  ++open_count_;
  return open_.emplace_back();
}

void FilterCheck::on_statement(const StreamEvent& se, std::string_view database,
                               std::string_view query) {
  // BEGIN, COMMIT, XA ...: the analyzer tells them (and reads MySQL's CREATE TABLE
  // ... START TRANSACTION as the CREATE it is).
  const StatementTables& st = analyzer_.analyze(query);
  if (st.kind == StatementKind::kTransactionControl) return;
  decide_statement(se, database, query, st);
}

// The old LOAD events (MySQL 3.23 to 5.0) name their table and database in the
// event: LOAD DATA into that table, under that default database.
void FilterCheck::on_load(const StreamEvent& se, const protocol::LoadEvent& load) {
  load_.kind = StatementKind::kTableChange;
  load_.updated.assign(1, TableRef{std::string(), std::string(load.table)});
  std::string text = "LOAD DATA INFILE '";
  text.append(load.file_name).append("' INTO TABLE ").append(load.table);
  decide_statement(se, load.database, text, load_);
}

void FilterCheck::decide_statement(const StreamEvent& se, std::string_view database,
                                   std::string_view query, const StatementTables& st) {
  const std::size_t index = open_count_;
  StatementDecision& d = next_slot();
  d.position = se.view->offset;
  d.database.assign(database);
  d.text.assign(query.substr(0, kTextKept));
  auto table_db = [&](const TableRef& t) -> std::string_view {
    return t.database.empty() ? database : std::string_view(t.database);
  };
  if (!st.updated.empty()) {
    d.table.assign(table_db(st.updated.front())).append(".").append(st.updated.front().table);
  }

  if (own_event(other_config_, se.view->header.server_id)) {
    d.applied = Outcome::kNo;
    d.rule = own_rule_;
    return;
  }

  const DatabaseVerdicts& dv = database_verdicts(database);
  const bool database_statement = st.kind == StatementKind::kCreateDatabase ||
                                  st.kind == StatementKind::kAlterDatabase ||
                                  st.kind == StatementKind::kDropDatabase;
  const FilterVerdict* v = &dv.applies;
  FilterVerdict decided;  // when the default database's verdict is not the last word
  if (database_statement) {
    // The event's database is the one named (the server logs it so); the replica
    // tests its rewritten form first, then the name the statement gives.
    if (v->pass) {
      decided = other_.replicate_database_statement_ok(other_.replica_database(st.database));
      v = &decided;
    }
  } else if (v->pass && other_.has_table_rules()) {
    const bool always_run = st.kind == StatementKind::kTableDdl && st.temporary && st.if_exists &&
                            first_word_is(query, "DROP");
    if (st.kind == StatementKind::kCannotTell) {
      d.applied = Outcome::kCannotTell;
      d.rule = "table rules exist and twinlog cannot tell the tables: " + st.reason;
    } else if (st.updated.empty()) {
      decided = {true, "the statement names no table, so the table rules do not apply", {}, {}};
      v = &decided;
    } else if (always_run) {
      decided = {true,
                 "a replica runs DROP TEMPORARY TABLE IF EXISTS whatever its table rules say",
                 {},
                 {}};
      v = &decided;
    } else {
      std::vector<TableName> tables;
      tables.reserve(st.updated.size());
      for (const TableRef& t : st.updated) {
        // A qualified name keeps its database; an unqualified one takes the
        // (rewritten) default database.
        tables.push_back({t.database.empty() ? dv.rewritten : t.database, t.table});
      }
      decided = other_.replicate_tables_ok(tables);
      v = &decided;
    }
    if (st.account && v->pass && d.applied != Outcome::kCannotTell) {
      // After its own tables, the grant tables it writes (sql_acl.cc).
      std::optional<FilterVerdict> grants = other_.replicate_grant_tables_ok();
      if (!grants) {
        d.applied = Outcome::kCannotTell;
        d.rule =
            "the table rules name some of the mysql grant tables, and which of them an "
            "account statement writes depends on the statement";
      } else {
        decided = std::move(*grants);
        v = &decided;
      }
    }
  }
  if (d.applied != Outcome::kCannotTell) {
    d.applied = outcome_of(v->pass);
    d.rule = v->rule;
  }

  // Logged again by the other master.
  if (d.applied == Outcome::kCannotTell) {
    d.relogged = Outcome::kCannotTell;
  } else if (d.applied == Outcome::kNo) {
    d.relogged = Outcome::kNo;
  } else if (database_statement) {
    const FilterVerdict r = other_relogs(other_.replica_database(st.database));
    d.relogged = outcome_of(r.pass);
    d.relog_rule = r.rule;
  } else if (other_logs_rows_ && st.kind == StatementKind::kTableChange && other_relogs_ &&
             !st.updated.empty()) {
    // Applied under binlog_format=ROW, its changes are logged as rows, each by
    // its table's database.
    for (std::size_t i = 0; i < st.updated.size(); ++i) {
      const TableRef& t = st.updated[i];
      const FilterVerdict& r =
          database_verdicts(t.database.empty() ? std::string_view(dv.rewritten) : t.database)
              .relogs;
      d.relogged = i ? combine(d.relogged, outcome_of(r.pass)) : outcome_of(r.pass);
      if (i == 0) d.relog_rule = r.rule;
    }
  } else {
    d.relogged = outcome_of(dv.relogs.pass);
    d.relog_rule = dv.relogs.rule;
  }

  // Findings.
  if (st.kind == StatementKind::kCannotTell) {
    pending_.push_back({"filter.cannot_tell",
                        d.applied == Outcome::kCannotTell ? Severity::kWarning : Severity::kInfo,
                        index,
                        std::string(database),
                        {},
                        st.reason});
    return;
  }
  if (st.kind != StatementKind::kTableChange && st.kind != StatementKind::kTableDdl) return;
  const bool creates =
      st.kind == StatementKind::kTableDdl && !st.temporary && first_word_is(query, "CREATE");
  const bool drops = st.kind == StatementKind::kTableDdl && first_word_is(query, "DROP");
  for (const TableRef& t : st.updated) {
    const TableVerdicts& tv = table_verdicts(table_db(t), t.table);
    const bool problem =
        (d.applied == Outcome::kNo && tv.source_logs.pass && tv.other_applies.pass) ||
        (d.applied == Outcome::kYes && (!tv.other_applies.pass || !tv.source_logs.pass));
    if (!problem && missing_.empty()) continue;
    std::string name(table_db(t));
    name.append(".").append(t.table);
    if (d.applied == Outcome::kNo && tv.source_logs.pass && tv.other_applies.pass) {
      pending_.push_back({"filter.cross_db_skipped", Severity::kError, index, name, *v, {}});
    } else if (d.applied == Outcome::kYes && !tv.other_applies.pass) {
      pending_.push_back(
          {"filter.applied_to_excluded", Severity::kError, index, name, tv.other_applies, v->rule});
    } else if (d.applied == Outcome::kYes && !tv.source_logs.pass) {
      pending_.push_back(
          {"filter.format_dependent", Severity::kWarning, index, name, tv.source_logs, v->rule});
    }
    if (d.applied == Outcome::kYes && !creates && missing_.count(name)) {
      pending_.push_back({"filter.missing_table", Severity::kError, index, name, *v, {}});
    }
    if (creates) {
      if (d.applied == Outcome::kNo) {
        missing_.insert(name);
      } else if (d.applied == Outcome::kYes) {
        missing_.erase(name);
      }
    } else if (drops) {
      missing_.erase(name);
    }
  }
  // A table created where the other master skips it must be remembered even when
  // nothing else is wrong with the statement.
}

void FilterCheck::on_rows(const StreamEvent& se) {
  const protocol::TableMapEvent* map = se.table;
  const auto& rows = std::get<protocol::RowsEvent>(*se.event);
  if (map == nullptr) return;  // the reader has reported the missing table map
  // One decision per table map of the statement: consecutive rows events of one
  // table share it.
  if (rows.table_id == last_table_id_ && open_count_ > 0 && open_[open_count_ - 1].row_format) {
    return;
  }
  last_table_id_ = rows.table_id;

  const std::size_t index = open_count_;
  StatementDecision& d = next_slot();
  d.position = se.view->offset;
  d.row_format = true;
  d.database.assign(map->database);
  d.table.assign(map->table);
  d.text.assign(annotation_);
  if (own_event(other_config_, se.view->header.server_id)) {
    d.applied = Outcome::kNo;
    d.rule = own_rule_;
    return;
  }
  const TableVerdicts& tv = table_verdicts(map->database, map->table);
  d.applied = outcome_of(tv.other_applies.pass);
  d.rule = tv.other_applies.rule;
  if (tv.other_applies.pass) {
    d.relogged = outcome_of(tv.other_relogs.pass);
    d.relog_rule = tv.other_relogs.rule;
    if (!missing_.empty()) {
      std::string name(map->database);
      name.append(".").append(map->table);
      if (missing_.count(name)) {
        pending_.push_back(
            {"filter.missing_table", Severity::kError, index, name, tv.other_applies, {}});
      }
    }
  }
}

const TransactionDecision* FilterCheck::add(const StreamEvent& se) {
  const Boundary boundary = assembler_.add(se);
  boundary_ = boundary;
  bool decided = false;
  if (boundary == Boundary::kBegin && assembler_.completed()) {
    // A transaction that never ended (the input began or broke inside it).
    decide_transaction(*assembler_.completed());
    decided = true;
  }
  if (boundary == Boundary::kBegin) {
    annotation_.clear();
    last_table_id_ = UINT64_MAX;
  }
  if (boundary != Boundary::kNone) {
    if (const auto* q = std::get_if<protocol::QueryEvent>(se.event)) {
      on_statement(se, q->database, q->query);
      last_table_id_ = UINT64_MAX;
    } else if (const auto* l = std::get_if<protocol::ExecuteLoadQueryEvent>(se.event)) {
      on_statement(se, l->query.database, l->query.query);
    } else if (const auto* old = std::get_if<protocol::LoadEvent>(se.event)) {
      on_load(se, *old);
    } else if (const auto* a = std::get_if<protocol::AnnotateRowsEvent>(se.event)) {
      annotation_.assign(a->query.substr(0, kTextKept));
      last_table_id_ = UINT64_MAX;
    } else if (const auto* r = std::get_if<protocol::RowsQueryEvent>(se.event)) {
      annotation_.assign(r->query.substr(0, kTextKept));
      last_table_id_ = UINT64_MAX;
    } else if (std::holds_alternative<protocol::RowsEvent>(*se.event)) {
      on_rows(se);
    }
  }
  if (!decided && (boundary == Boundary::kEnd || boundary == Boundary::kSingle) &&
      assembler_.completed()) {
    decide_transaction(*assembler_.completed());
    decided = true;
  }
  return decided ? &decision_ : nullptr;
}

const TransactionDecision* FilterCheck::finish() {
  std::optional<TransactionSummary> open = assembler_.finish();
  if (!open) return nullptr;
  decide_transaction(*open);
  return &decision_;
}

void FilterCheck::decide_transaction(const TransactionSummary& summary) {
  decision_.transaction = summary;
  // The statements' slots go back and forth between the two vectors, keeping their
  // strings' buffers.
  open_.resize(open_count_);
  decision_.statements.swap(open_);
  open_count_ = 0;
  annotation_.clear();
  last_table_id_ = UINT64_MAX;
  const auto& statements = decision_.statements;

  if (statements.empty()) {
    decision_.applied = Outcome::kYes;
    decision_.relogged = Outcome::kNo;
    decision_.rule = "nothing in it that filters apply to";
  } else {
    Outcome applied = statements.front().applied;
    std::optional<Outcome> relogged;
    for (const auto& s : statements) {
      applied = combine(applied, s.applied);
      if (s.applied == Outcome::kNo) continue;
      relogged = relogged ? combine(*relogged, s.relogged) : s.relogged;
    }
    decision_.applied = applied;
    decision_.relogged = relogged.value_or(Outcome::kNo);
    if (decision_.relogged == Outcome::kYes && applied == Outcome::kPartly) {
      decision_.relogged = Outcome::kPartly;
    }
    // One rule when one rule decided every statement; otherwise each statement says.
    const bool one_rule = std::all_of(statements.begin(), statements.end(), [&](const auto& s) {
      return s.rule == statements.front().rule;
    });
    decision_.rule = one_rule ? statements.front().rule : "each statement by its own rule";
  }

  ++totals_.transactions;
  if (own_event(other_config_, summary.server_id)) ++totals_.own;
  switch (decision_.applied) {
    case Outcome::kYes:
      ++totals_.applied;
      break;
    case Outcome::kNo:
      ++totals_.skipped;
      break;
    case Outcome::kPartly:
      ++totals_.partly;
      break;
    case Outcome::kCannotTell:
      ++totals_.cannot_tell;
      break;
  }
  if (decision_.relogged == Outcome::kYes || decision_.relogged == Outcome::kPartly) {
    ++totals_.relogged;
  }

  for (const Pending& p : pending_) record(p);
  pending_.clear();
}

Evidence FilterCheck::evidence_of(const StatementDecision& d, const std::string& table,
                                  const FilterVerdict& verdict) const {
  const TransactionSummary& t = decision_.transaction;
  Evidence e;
  e.server = source_name_;
  e.file = t.file;
  e.start = t.start;
  e.end = t.end;
  e.gtid = t.gtid_text();
  e.origin_server_id = t.server_id;
  e.time = t.first_timestamp;
  e.table = table;
  e.statement = d.text;
  e.option = verdict.option;
  e.option_source = verdict.source;
  return e;
}

void FilterCheck::record(const Pending& p) {
  const StatementDecision& d = decision_.statements[p.statement];
  std::string key = p.code;
  key.append("|").append(d.database).append("|").append(p.table);
  Aggregate& agg = aggregates_[key];
  const Evidence e = evidence_of(d, p.table, p.verdict);
  if (agg.count++ == 0) {
    agg.first = e;
    agg.finding = describe(p, d);
  }
  agg.last = e;
}

Finding FilterCheck::describe(const Pending& p, const StatementDecision& d) const {
  Finding f;
  f.severity = p.severity;
  f.code = p.code;
  const std::string& src = source_name_;
  const std::string& oth = other_name_;
  const std::string use =
      d.database.empty() ? std::string("no default database") : "default database " + d.database;
  if (p.code == "filter.cross_db_skipped") {
    f.message = oth + " skips statements of " + src + " that change " + p.table +
                ", a table the pair replicates: its filter tests the " + use + " (" +
                p.verdict.rule + "), not the table";
    f.action = "Write to " + p.table +
               " with USE of its own database (or qualify nothing), or "
               "use binlog_format=ROW, whose rows are filtered by their table's database; then "
               "compare " +
               p.table + " on both masters (twinlog diff) and repair what " + oth + " is missing.";
  } else if (p.code == "filter.applied_to_excluded") {
    f.message = oth + " applies statements of " + src + " that change " + p.table +
                ", whose database its own rules exclude (" + p.verdict.rule +
                "): its filter tests the " + use + ", not the table";
    f.action = "Change " + p.table +
               " only with USE of its own database, or use "
               "binlog_format=ROW; check that " +
               p.table +
               " is the same on both masters, "
               "since " +
               oth + " was not meant to receive these changes.";
  } else if (p.code == "filter.format_dependent") {
    f.message = src + " logs statements that change " + p.table + " only because of the " + use +
                ": under ROW format it would not (" + p.verdict.rule + "); " + oth +
                " applies them (" + p.detail + ")";
    f.action = "Decide whether " + p.table +
               " is meant to replicate; make the filter rules say "
               "so by database, so that STATEMENT, MIXED and ROW format agree.";
  } else if (p.code == "filter.missing_table") {
    f.message = oth + " applies a change to " + p.table + ", which it does not have: " + src +
                " created it in a statement " + oth + " skipped; " + oth +
                "'s replication stops with error 1146";
    f.action =
        "Create " + p.table + " on " + oth + " as it is on " + src +
        " (SHOW CREATE TABLE), "
        "copy its rows, and restart replication; create tables with USE of their own database.";
  } else if (p.code == "filter.cannot_tell") {
    f.message = "twinlog cannot tell which tables a statement of " + src + " updates (" + p.detail +
                ")" +
                (p.severity == Severity::kWarning
                     ? ", so whether " + oth + "'s table rules apply it is unknown"
                     : "; the cross-database checks skip it");
    f.action =
        "Read the statement in the evidence and decide by hand; please report it if it is "
        "ordinary SQL.";
  }
  return f;
}

std::vector<Finding> FilterCheck::findings() const {
  std::vector<Finding> out;
  out.reserve(aggregates_.size());
  for (const auto& [key, agg] : aggregates_) {
    Finding f = agg.finding;
    if (agg.count > 1) {
      f.message += " (" + std::to_string(agg.count) + " times; the first and the last are shown)";
    }
    f.evidence.push_back(agg.first);
    if (agg.count > 1) f.evidence.push_back(agg.last);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace twinlog::checks
