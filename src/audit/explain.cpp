#include "src/audit/explain.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/report/concat.h"

namespace twinlog::audit {
namespace {

using report::Cause;
using report::CauseKind;
using report::concat;
using report::Evidence;
using report::Finding;

constexpr std::array<std::string_view, 7> kDivergences{
    "diff.transaction_missing", "diff.rows_event_missing", "diff.rows_differ",
    "checksum.row_missing",     "checksum.row_differs",    "checksum.row_count_differs",
    "checksum.table_only_on"};

constexpr std::string_view kStatements = " (statements)";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// A GTID names one transaction in both binlogs; without one, its place does.
bool same_transaction(const Evidence& a, const Evidence& b) {
  if (!a.gtid.empty() && !b.gtid.empty()) return a.gtid == b.gtid;
  return !a.server.empty() && a.server == b.server && !a.file.empty() && a.file == b.file &&
         a.start && a.start == b.start;
}

bool shares_transaction(const Finding& a, const Finding& b) {
  return std::any_of(a.evidence.begin(), a.evidence.end(), [&](const Evidence& x) {
    return std::any_of(b.evidence.begin(), b.evidence.end(),
                       [&](const Evidence& y) { return same_transaction(x, y); });
  });
}

// "test.t", or "test (statements)": diff's name for a database's statements.
std::string_view database_of(std::string_view table) {
  if (table.size() > kStatements.size() &&
      table.substr(table.size() - kStatements.size()) == kStatements) {
    return table.substr(0, table.size() - kStatements.size());
  }
  return table.substr(0, table.find('.'));
}

bool is_statements(std::string_view table) {
  return table.size() > kStatements.size() &&
         table.substr(table.size() - kStatements.size()) == kStatements;
}

// Whether two evidence tables are the same table; a database's statements take in
// all of its tables when `whole_database`.
bool same_table(std::string_view a, std::string_view b, bool whole_database) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  if (!whole_database || (!is_statements(a) && !is_statements(b))) return false;
  return database_of(a) == database_of(b);
}

bool touches_table(const Finding& f, std::string_view table, bool whole_database) {
  return std::any_of(f.evidence.begin(), f.evidence.end(),
                     [&](const Evidence& e) { return same_table(e.table, table, whole_database); });
}

std::string first_table(const Finding& f) {
  for (const Evidence& e : f.evidence) {
    if (!e.table.empty()) return e.table;
  }
  return {};
}

// The loop findings that name transactions (and the tables they change).
bool is_loop(const Finding& f) {
  return f.code == "loop.duplicate_transaction" || f.code == "loop.foreign_server_id";
}

std::string_view other_master(std::string_view name) {
  if (name == "A") return "B";
  if (name == "B") return "A";
  return {};
}

// The master that lacks what a divergence shows, when the finding says: its first
// evidence is the side that has the transaction, the rows event or the row.
std::string_view lacking_master(const Finding& f) {
  const bool one_sided = f.code == "diff.transaction_missing" ||
                         f.code == "diff.rows_event_missing" || f.code == "checksum.row_missing" ||
                         f.code == "checksum.table_only_on";
  if (!one_sided || f.evidence.empty()) return {};
  return other_master(f.evidence.front().server);
}

class Explainer {
 public:
  explicit Explainer(const std::vector<Finding>& findings) : all_(findings) {}

  Cause of_binlogs(const Finding& d) const {
    const std::string_view lacking = lacking_master(d);
    const Finding* skip = skip_errors(lacking);
    if (const Finding* collision = find([&](const Finding& f) {
          return f.code == "autoinc.collision" && shares_transaction(f, d);
        })) {
      return collision_cause(*collision, skip, lacking);
    }
    if (skip && d.code == "diff.rows_event_missing") {
      // Only a skipped error drops one rows event of a transaction the replica
      // otherwise applied and logged again.
      Cause c = with(CauseKind::kSkippedError, *skip, {});
      c.explanation = concat(lacking, "'s replica skipped this rows event on an error its ",
                             "slave_skip_errors lets it ignore (", skip->message, ")");
      return c;
    }
    if (const Finding* filter = find([&](const Finding& f) {
          return starts_with(f.code, "filter.") &&
                 (shares_transaction(f, d) || touches_table(f, first_table(d), false));
        })) {
      return filter_cause(*filter);
    }
    if (const Finding* loop = find([&](const Finding& f) {
          return starts_with(f.code, "loop.") && shares_transaction(f, d);
        })) {
      return loop_cause(*loop);
    }
    Cause c;
    c.explanation =
        "no binlog evidence explains this: no filter, skipped error, auto-increment collision "
        "or loop found in the binlogs read touches this transaction; it may predate the other "
        "master's replication, or the other master has not applied it yet";
    if (skip) {
      c.explanation += concat(" (", lacking, " runs with slave_skip_errors: had applying it ",
                              "failed there, it would be gone without a trace)");
    }
    return c;
  }

  Cause of_tables(const Finding& d) const {
    const std::string table = first_table(d);
    const std::string_view lacking = lacking_master(d);
    // An auto-increment collision on this very table first: it tells which masters
    // lost a row (both, for a row that differs), which one binlog's missing
    // transaction cannot.
    if (const Finding* collision = find([&](const Finding& f) {
          return f.code == "autoinc.collision" && touches_table(f, table, false);
        })) {
      return collision_cause(*collision, skip_errors(lacking), lacking);
    }
    // The binlogs show a difference on this very table, with a cause: the same one.
    for (const Finding& f : all_) {
      if (!f.cause || f.cause->kind == CauseKind::kUnexplained || !starts_with(f.code, "diff.") ||
          !touches_table(f, table, false)) {
        continue;
      }
      Cause c = *f.cause;
      c.codes.insert(c.codes.begin(), f.code);
      if (!f.evidence.empty()) c.evidence.insert(c.evidence.begin(), f.evidence.front());
      c.explanation =
          concat("the binlogs differ on ", table, " too (", f.message, "): ", f.cause->explanation);
      return c;
    }
    if (const Finding* filter = find([&](const Finding& f) {
          return starts_with(f.code, "filter.") && touches_table(f, table, false);
        })) {
      return filter_cause(*filter);
    }
    if (const Finding* loop =
            find([&](const Finding& f) { return is_loop(f) && touches_table(f, table, false); })) {
      Cause c = loop_cause(*loop);
      c.explanation =
          concat("a replication loop changed ", table, " again on every round: ", loop->message);
      return c;
    }
    if (const Finding* unexplained = find([&](const Finding& f) {
          return starts_with(f.code, "diff.") && is_divergence(f.code) &&
                 touches_table(f, table, false);
        })) {
      Cause c;
      c.explanation = concat("no binlog evidence explains this: the binlogs differ on ", table,
                             " as well (", unexplained->code, "), and nothing read explains that");
      return c;
    }
    if (std::optional<Cause> c = database_candidates(table)) return *c;
    return unlogged_write(table);
  }

 private:
  // A statement the analyzer cannot read is digested under its database (diff
  // compares "test (statements)", and a loop names it so), and the loop finding
  // that sums up the transactions past the ones shown names no table: such
  // evidence cannot be tied to one table. When some of it touches the table's database, the cause
  // is left open and the candidates are named, rather than one of them picked.
  std::optional<Cause> database_candidates(const std::string& table) const {
    Cause c;
    std::string candidates;
    std::vector<std::string_view> kinds;
    for (const Finding& f : all_) {
      const bool statements = f.cause && f.cause->kind != CauseKind::kUnexplained &&
                              starts_with(f.code, "diff.") && touches_table(f, table, true);
      const bool loop = is_loop(f) && (first_table(f).empty() || touches_table(f, table, true));
      if (!statements && !loop) continue;
      const CauseKind k = statements ? f.cause->kind : CauseKind::kLoop;
      const std::string_view kind = cause_kind_name(k);
      if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) continue;
      kinds.push_back(kind);
      c.kind = k;
      if (!candidates.empty()) candidates.append("; ");
      candidates.append(kind).append(" (").append(f.code).append(": ").append(f.message).append(
          ")");
      c.codes.push_back(f.code);
      if (!f.evidence.empty()) c.evidence.push_back(f.evidence.front());
    }
    if (candidates.empty()) return std::nullopt;
    if (kinds.size() == 1) {
      // The one cause the binlogs show in this database.
      c.explanation =
          concat("the only cause the binlogs read show in ", table,
                 "'s database (they name its changes as statements, or no table): ", candidates,
                 "; a write that never reached a binlog is possible too");
      return c;
    }
    c.kind = CauseKind::kUnexplained;
    c.explanation =
        concat("no binlog evidence ties ", table,
               " to one cause: the binlogs read hold its database's changes as statements or "
               "name no table, and what differs there has these causes: ",
               candidates, "; a write that never reached a binlog (sql_log_bin=0) is possible too");
    return c;
  }

  template <class Pred>
  const Finding* find(Pred pred) const {
    auto it = std::find_if(all_.begin(), all_.end(), pred);
    return it == all_.end() ? nullptr : &*it;
  }

  // slave_skip_errors on `master` (on either when it is not known).
  const Finding* skip_errors(std::string_view master) const {
    return find([&](const Finding& f) {
      if (f.code != "config.slave_skip_errors") return false;
      if (master.empty()) return true;
      return std::any_of(f.evidence.begin(), f.evidence.end(),
                         [&](const Evidence& e) { return e.server == master; });
    });
  }

  static Cause with(CauseKind kind, const Finding& first, const Finding* second) {
    Cause c;
    c.kind = kind;
    c.codes.push_back(first.code);
    c.evidence = first.evidence;
    if (second) {
      c.codes.push_back(second->code);
      c.evidence.insert(c.evidence.end(), second->evidence.begin(), second->evidence.end());
    }
    return c;
  }

  // `lacking` empty (rows that differ, not one side's): every master with
  // slave_skip_errors may have skipped; both do in a pair that lost each other's row.
  Cause collision_cause(const Finding& collision, const Finding* skip,
                        std::string_view lacking) const {
    if (!skip) {
      Cause c = with(CauseKind::kCollision, collision, nullptr);
      c.explanation = concat("an auto-increment collision: ", collision.message);
      return c;
    }
    Cause c = with(CauseKind::kSkippedError, *skip, &collision);
    std::string who = concat(lacking, "'s replica");
    if (lacking.empty()) {
      const Finding* other = find(
          [&](const Finding& f) { return f.code == "config.slave_skip_errors" && &f != skip; });
      who = other ? "each replica" : "a replica";
      if (other) {
        c.evidence.insert(c.evidence.begin() + static_cast<std::ptrdiff_t>(skip->evidence.size()),
                          other->evidence.begin(), other->evidence.end());
      }
    }
    c.explanation = concat(who,
                           " skipped the other master's rows on the duplicate-key error "
                           "(1062) its slave_skip_errors ignores, and still says Yes; the "
                           "error came from an auto-increment collision: ",
                           collision.message);
    return c;
  }

  static Cause filter_cause(const Finding& filter) {
    Cause c = with(CauseKind::kFilteredStatement, filter, nullptr);
    c.explanation = concat("a statement filtered by its default database: ", filter.message);
    return c;
  }

  static Cause loop_cause(const Finding& loop) {
    Cause c = with(CauseKind::kLoop, loop, nullptr);
    c.explanation = concat("a replication loop: ", loop.message);
    return c;
  }

  // Rows differ and no finding of the binlogs touches their table.
  Cause unlogged_write(const std::string& table) const {
    Cause c;
    c.kind = CauseKind::kUnloggedWrite;
    c.explanation = concat(
        "no binlog evidence explains this: no transaction of either binlog "
        "read touches ",
        table,
        " differently, so the change never reached a binlog: a write with "
        "sql_log_bin=0, or one made before the binlogs read begin");
    if (const Finding* format =
            find([](const Finding& f) { return f.code == "config.binlog_format"; })) {
      // Under STATEMENT or MIXED, binlog-do-db / binlog-ignore-db judge a
      // statement by its USE: `USE mysql; INSERT INTO test.t` is not logged.
      c.codes.push_back(format->code);
      c.evidence.insert(c.evidence.end(), format->evidence.begin(), format->evidence.end());
      c.explanation +=
          ", or a statement run under another default database that the binlog filters "
          "kept out (binlog_format STATEMENT or MIXED)";
    }
    if (const Finding* gap = find([&](const Finding& f) {
          return f.code == "autoinc.gap" && touches_table(f, table, false);
        })) {
      c.codes.push_back(gap->code);
      c.evidence.insert(c.evidence.end(), gap->evidence.begin(), gap->evidence.end());
      c.explanation += concat("; ", gap->message);
    }
    return c;
  }

  const std::vector<Finding>& all_;
};

}  // namespace

bool is_divergence(const std::string& code) {
  return std::find(kDivergences.begin(), kDivergences.end(), code) != kDivergences.end();
}

void explain(std::vector<Finding>& findings) {
  const Explainer explainer(findings);
  // The binlogs' differences first: a table's difference may take their cause.
  for (Finding& f : findings) {
    if (!f.cause && is_divergence(f.code) && starts_with(f.code, "diff.")) {
      f.cause = explainer.of_binlogs(f);
    }
  }
  for (Finding& f : findings) {
    if (!f.cause && is_divergence(f.code) && starts_with(f.code, "checksum.")) {
      f.cause = explainer.of_tables(f);
    }
  }
}

}  // namespace twinlog::audit
