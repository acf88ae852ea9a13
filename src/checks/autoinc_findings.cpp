// `twinlog autoinc`'s findings about the keys the binlogs read inserted
// (autoinc_check.h): ids outside their master's class, keys both masters
// inserted, gaps, replica channels stopped on a duplicate key, each aggregated
// by code and place with its first and last occurrence.
#include <algorithm>

#include "src/checks/autoinc_check.h"
#include "src/checks/autoinc_class.h"
#include "src/report/concat.h"

namespace twinlog::checks {

using autoinc::class_text;
using autoinc::in_class;
using autoinc::kTextKept;
using report::Evidence;
using report::Finding;
using report::Severity;

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

}  // namespace twinlog::checks
