#include "src/checks/loop_check.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <variant>

#include "src/checks/setting_evidence.h"
#include "src/report/concat.h"

namespace twinlog::checks {
namespace {

using report::Evidence;
using report::Finding;
using report::Severity;

void hash_text(XXH3_state_t* h, std::string_view s) {
  XXH3_128bits_update(h, s.data(), s.size());
  XXH3_128bits_update(h, "", 1);  // a separator, so that "ab"+"c" differs from "a"+"bc"
}

void hash_bytes(XXH3_state_t* h, protocol::Bytes b) {
  const uint64_t n = b.size();
  XXH3_128bits_update(h, &n, sizeof n);
  XXH3_128bits_update(h, b.data(), b.size());
}

// The tables a loop's transactions change, in its evidence: each copy's evidence
// names the first; every further table gets the first copy's evidence again.
void name_tables(Finding& f, const std::vector<std::string>& tables) {
  if (tables.empty() || f.evidence.empty()) return;
  const Evidence first = f.evidence.front();
  for (Evidence& e : f.evidence) e.table = tables.front();
  for (std::size_t i = 1; i < tables.size(); ++i) {
    f.evidence.push_back(first);
    f.evidence.back().table = tables[i];
  }
}

std::string plural(uint64_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

std::size_t LoopCheck::KeyHash::operator()(const Key& k) const {
  // Field by field: the padding after `kind` is not part of the value.
  std::array<uint64_t, 4> words{};
  std::memcpy(words.data(), k.id.data(), k.id.size());
  words[2] = k.number;
  words[3] = k.extra ^ k.kind;
  return static_cast<std::size_t>(XXH3_64bits(words.data(), sizeof words));
}

LoopCheck::LoopCheck(const config::ServerConfig& source, const config::ServerConfig& other,
                     std::string source_name, std::string other_name)
    : source_config_(source),
      other_config_(other),
      source_name_(std::move(source_name)),
      other_name_(std::move(other_name)) {}

LoopCheck::~LoopCheck() = default;

void LoopCheck::note_table(std::string name) {
  if (std::find(tables_.begin(), tables_.end(), name) == tables_.end()) {
    tables_.push_back(std::move(name));
  }
}

// What a copy keeps of an event (loop_check.h says what is left out, and why).
void ContentFingerprint::add(const StreamEvent& se) {
  XXH3_state_s* fingerprint = state_;
  const auto type = static_cast<protocol::EventType>(se.view->header.type_code);
  if (const auto* q = std::get_if<protocol::QueryEvent>(se.event)) {
    hash_text(fingerprint, "Q");
    hash_text(fingerprint, q->database);
    hash_text(fingerprint, q->query);
  } else if (const auto* m = std::get_if<protocol::TableMapEvent>(se.event)) {
    hash_text(fingerprint, "T");
    hash_text(fingerprint, m->database);
    hash_text(fingerprint, m->table);
  } else if (const auto* r = std::get_if<protocol::RowsEvent>(se.event)) {
    const auto kind = static_cast<uint8_t>(r->kind);
    hash_text(fingerprint, "R");
    XXH3_128bits_update(fingerprint, &kind, 1);
    hash_bytes(fingerprint, r->columns_before);
    hash_bytes(fingerprint, r->columns_after);
    hash_bytes(fingerprint, r->rows);
  } else if (std::holds_alternative<protocol::XidEvent>(*se.event) ||
             std::holds_alternative<protocol::GtidEvent>(*se.event) ||
             std::holds_alternative<protocol::MariaGtidEvent>(*se.event) ||
             type == protocol::EventType::kTransactionPayload) {
    // Numbered by the server that logs the copy; a payload's events follow it.
  } else {
    const uint8_t code = se.view->header.type_code;
    XXH3_128bits_update(fingerprint, &code, 1);
    hash_bytes(fingerprint, se.view->body);
  }
}

ContentFingerprint::ContentFingerprint() : state_(XXH3_createState()) {
  XXH3_128bits_reset(state_);
}

ContentFingerprint::~ContentFingerprint() {
  XXH3_freeState(state_);
}

void ContentFingerprint::reset() {
  XXH3_128bits_reset(state_);
}

std::pair<uint64_t, uint64_t> ContentFingerprint::value() const {
  const XXH128_hash_t h = XXH3_128bits_digest(state_);
  return {h.low64, h.high64};
}

void LoopCheck::on_content(const StreamEvent& se) {
  if (fingerprint_) content_.add(se);
  if (!note_tables_) return;
  if (const auto* q = std::get_if<protocol::QueryEvent>(se.event)) {
    if (q->query != "BEGIN" && q->query != "COMMIT") {
      // Named as the stream digests name it, so that both tie to one table.
      std::string name;
      statement_key_.key(q->database, q->query, name);
      note_table(std::move(name));
    }
  } else if (const auto* m = std::get_if<protocol::TableMapEvent>(se.event)) {
    note_table(report::concat(m->database, ".", m->table));
  }
}

void LoopCheck::add(const StreamEvent& se) {
  const Boundary boundary = assembler_.add(se);
  if (boundary == Boundary::kBegin && assembler_.completed()) close(*assembler_.completed());
  if (boundary == Boundary::kBegin) {
    content_.reset();
    tables_.clear();
  }
  if (boundary == Boundary::kBegin || boundary == Boundary::kSingle) {
    const uint32_t origin = se.view->header.server_id;
    const auto* maria_gtid = std::get_if<protocol::MariaGtidEvent>(se.event);
    const auto* mysql_gtid = std::get_if<protocol::GtidEvent>(se.event);
    fingerprint_ = maria_gtid == nullptr && !(mysql_gtid != nullptr && !mysql_gtid->anonymous);
    std::optional<protocol::Gtid> gtid;
    if (maria_gtid != nullptr) gtid = protocol::gtid_of(*maria_gtid, origin);
    if (mysql_gtid != nullptr) gtid = protocol::gtid_of(*mysql_gtid);
    note_tables_ =
        fingerprint_ ||
        (origin != source_config_.server_id.value && origin != other_config_.server_id.value) ||
        (gtid && seen_.count(key_of(*gtid)) != 0);
  }
  if (boundary != Boundary::kNone) on_content(se);
  if ((boundary == Boundary::kEnd || boundary == Boundary::kSingle) && assembler_.completed()) {
    close(*assembler_.completed());
  }
}

void LoopCheck::finish() {
  if (std::optional<TransactionSummary> open = assembler_.finish()) close(*open);
}

LoopCheck::Place LoopCheck::place_of(const TransactionSummary& t) {
  if (files_.empty() || files_.back() != t.file) files_.push_back(t.file);
  return {static_cast<uint32_t>(files_.size() - 1), t.first_timestamp, t.start, t.end};
}

LoopCheck::Key LoopCheck::key_of(const protocol::Gtid& gtid) {
  Key key;
  if (const auto* g = std::get_if<protocol::MariaGtid>(&gtid)) {
    key.kind = 0;
    std::memcpy(key.id.data(), &g->domain_id, 4);
    std::memcpy(key.id.data() + 4, &g->server_id, 4);
    key.number = g->seq_no;
  } else {
    const auto& m = std::get<protocol::MysqlGtid>(gtid);
    key.kind = 1;
    key.id = m.uuid.bytes;
    key.number = static_cast<uint64_t>(m.gno);
    key.extra = m.tag.empty() ? 0 : XXH3_64bits(m.tag.data(), m.tag.size());
  }
  return key;
}

void LoopCheck::close(const TransactionSummary& t) {
  ++totals_.transactions;
  const Place place = place_of(t);

  Key key;
  if (t.gtid) {
    key = key_of(*t.gtid);
  } else {
    const auto [low, high] = content_.value();
    key.kind = 2;
    std::memcpy(key.id.data(), &low, 8);
    std::memcpy(key.id.data() + 8, &high, 8);
    key.extra = (uint64_t{t.server_id} << 32) | t.first_timestamp;
  }
  Seen& s = seen_[key];
  if (s.count++ == 0) {
    s.first = place;
    s.bytes = t.end - t.start;
    s.origin = t.server_id;
  } else {
    ++totals_.copies;
    if (s.count == 2) {
      ++totals_.repeated;
      Repeated& r = repeated_.emplace_back();
      r.key = key;
      r.gtid = t.gtid_text();
      // A copy changes what the original did: its tables are the transaction's.
      r.tables.assign(tables_.begin(), tables_.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                             tables_.size(), kTablesKept)));
    }
  }
  s.last = place;

  const bool foreign =
      t.server_id != source_config_.server_id.value && t.server_id != other_config_.server_id.value;
  if (foreign) {
    ++totals_.foreign;
    Foreign& f = foreign_[t.server_id];
    if (f.count++ == 0) {
      f.first = place;
      f.first_gtid = t.gtid_text();
    }
    f.last = place;
    f.last_gtid = t.gtid_text();
    if (s.count > 1) f.circulates = true;
    for (const std::string& name : tables_) {
      if (std::find(f.tables.begin(), f.tables.end(), name) != f.tables.end()) continue;
      if (f.tables.size() < kTablesKept) {
        f.tables.push_back(name);
      } else {
        ++f.more_tables;
      }
    }
  }
  if (t.server_id == other_config_.server_id.value &&
      other_config_.replicate_same_server_id.value) {
    if (same_id_.count++ == 0) {
      same_id_.first = place;
      same_id_.first_gtid = t.gtid_text();
    }
    same_id_.last = place;
    same_id_.last_gtid = t.gtid_text();
  }
  tables_.clear();
  content_.reset();
}

Evidence LoopCheck::evidence(const Place& p, const std::string& gtid, uint32_t origin) const {
  Evidence e;
  e.server = source_name_;
  e.file = files_[p.file];
  e.start = p.start;
  e.end = p.end;
  e.gtid = gtid;
  e.origin_server_id = origin;
  e.time = p.time;
  return e;
}

std::vector<Finding> LoopCheck::findings() const {
  std::vector<Finding> out;
  const std::string& src = source_name_;

  // The transactions with the most copies first; past kDuplicatesShown, one line.
  std::vector<std::pair<const Seen*, const Repeated*>> dups;
  dups.reserve(repeated_.size());
  for (const Repeated& r : repeated_) dups.emplace_back(&seen_.at(r.key), &r);
  std::stable_sort(dups.begin(), dups.end(),
                   [](const auto& x, const auto& y) { return x.first->count > y.first->count; });
  for (std::size_t i = 0; i < dups.size() && i < kDuplicatesShown; ++i) {
    const Seen& s = *dups[i].first;
    const std::string& gtid = dups[i].second->gtid;
    Finding f;
    f.severity = Severity::kError;
    f.code = "loop.duplicate_transaction";
    const std::string what = gtid.empty()
                                 ? "a transaction of server_id " + std::to_string(s.origin) +
                                       " (no GTID; the same content)"
                                 : "transaction " + gtid;
    f.message = report::concat(what, " is in ", src, "'s binlog ", std::to_string(s.count),
                               " times (first at ", std::to_string(s.first.start), ", last at ",
                               std::to_string(s.last.start), ", ",
                               std::to_string(s.bytes * s.count), " bytes in all)");
    const uint32_t span = s.last.time - s.first.time;
    if (span > 0) {
      const uint64_t copies = s.count - 1;
      f.message += copies >= span ? ", " + std::to_string(copies / span) +
                                        (copies / span == 1 ? " copy" : " copies") + " per second"
                                  : ", a copy every " + std::to_string(span / copies) + " seconds";
    } else {
      f.message += "; every copy carries the original's timestamp, so the binlog gives no rate";
    }
    f.evidence.push_back(evidence(s.first, gtid, s.origin));
    f.evidence.push_back(evidence(s.last, gtid, s.origin));
    name_tables(f, dups[i].second->tables);
    f.action =
        "A transaction comes back round: find the path (a third source, "
        "replicate-same-server-id, a server id changed or shared), break it with STOP SLAVE on "
        "one master, and compare the tables it changes (each copy applied it again).";
    out.push_back(std::move(f));
  }
  if (dups.size() > kDuplicatesShown) {
    Finding f;
    f.severity = Severity::kError;
    f.code = "loop.duplicate_transaction";
    f.message = std::to_string(dups.size() - kDuplicatesShown) + " more transactions are in " +
                src + "'s binlog more than once (" + plural(totals_.copies, "extra copy") +
                " in all)";
    f.action = "As for the transactions above.";
    out.push_back(std::move(f));
  }

  for (const auto& [id, fo] : foreign_) {
    Finding f;
    f.severity = fo.circulates ? Severity::kError : Severity::kWarning;
    f.code = "loop.foreign_server_id";
    f.message = plural(fo.count, "transaction") + " in " + src + "'s binlog come from server_id " +
                std::to_string(id) + ", neither master's (" + source_name_ + " " +
                std::to_string(source_config_.server_id.value) + ", " + other_name_ + " " +
                std::to_string(other_config_.server_id.value) + ")";
    if (!fo.tables.empty()) {
      f.message += ", changing ";
      for (std::size_t i = 0; i < fo.tables.size(); ++i) {
        if (i) f.message += ", ";
        f.message += fo.tables[i];
      }
      if (fo.more_tables) f.message += " and " + std::to_string(fo.more_tables) + " more";
    }
    f.message +=
        fo.circulates ? "; some are there more than once: they circulate" : "; none is there twice";
    f.evidence.push_back(evidence(fo.first, fo.first_gtid, id));
    if (fo.count > 1) f.evidence.push_back(evidence(fo.last, fo.last_gtid, id));
    name_tables(f, fo.tables);
    f.action = fo.circulates
                   ? "A third server feeds the pair and nothing stops its transactions: stop "
                     "its channel, or set IGNORE_SERVER_IDS=(" +
                         std::to_string(id) +
                         ") on the master that receives them back, or gtid_ignore_duplicates=ON "
                         "(MariaDB); then check the tables it changed."
                   : "Check that server_id " + std::to_string(id) +
                         " is meant to write to the pair (a third source, or a removed ring "
                         "member whose transactions are still travelling).";
    out.push_back(std::move(f));
  }

  if (same_id_.count > 0) {
    Finding f;
    f.severity = Severity::kError;
    f.code = "loop.same_server_id_applied";
    const std::string oid = std::to_string(other_config_.server_id.value);
    f.message = plural(same_id_.count, "transaction") + " in " + src +
                "'s binlog carry server_id " + oid + ", " + other_name_ + "'s own, and " +
                other_name_ + " has replicate-same-server-id (" +
                other_config_.replicate_same_server_id.origin.text() +
                "): it applies them again instead of skipping them";
    f.evidence.push_back(evidence(same_id_.first, same_id_.first_gtid,
                                  static_cast<uint32_t>(other_config_.server_id.value)));
    if (same_id_.count > 1) {
      f.evidence.push_back(evidence(same_id_.last, same_id_.last_gtid,
                                    static_cast<uint32_t>(other_config_.server_id.value)));
    }
    f.action = "Remove replicate-same-server-id from " + other_name_ +
               " (it is for a server whose binlogs come back from elsewhere, never for a "
               "master of a pair), then compare the tables these transactions change.";
    out.push_back(std::move(f));
  }
  return out;
}

// ----------------------------------------------------------------- the pair

namespace {

using report::add_finding;

// A live master's channels: one fed by a server that is neither master, and
// IGNORE_SERVER_IDS dropping a member's changes. True when a third server feeds it.
bool channel_findings(const std::string& name, const config::ServerConfig& self,
                      const std::string& peer_name, const config::ServerConfig& peer,
                      std::vector<Finding>& out) {
  bool third_source = false;
  const auto self_id = static_cast<uint32_t>(self.server_id.value);
  const auto peer_id = static_cast<uint32_t>(peer.server_id.value);
  for (const config::ReplicaChannel& c : self.replica_channels) {
    const std::string channel = "'" + c.name + "'";
    const std::string from = std::to_string(c.master_server_id);
    Evidence e;
    e.server = name;
    e.option_source = c.source + " (channel " + channel + ")";
    if (c.master_server_id != 0 && c.master_server_id != self_id && c.master_server_id != peer_id) {
      third_source = true;
      Evidence third = e;
      third.origin_server_id = c.master_server_id;
      third.option = "Master_Server_Id=" + from;
      add_finding(
          out, Severity::kWarning, "loop.third_source",
          report::concat(name, "'s replica channel ", channel, " replicates from server id ", from,
                         ", neither master: its transactions reach ", peer_name, " through ", name,
                         " and, if ", peer_name, " also gets them another way, come round twice"),
          "Feed the pair from one entry point, with gtid_ignore_duplicates=ON and a "
          "gtid_domain_id per writing server, or remove the channel if that server has "
          "left the pair.")
          .evidence.push_back(std::move(third));
    }
    for (uint32_t ignored : c.ignore_server_ids) {
      std::string whose;
      if (ignored == peer_id) {
        whose = peer_name + "'s server id";
      } else if (ignored == c.master_server_id) {
        whose = "the server id of the channel's own master";
      } else {
        continue;
      }
      Evidence ignoring = e;
      ignoring.origin_server_id = ignored;
      ignoring.option = "IGNORE_SERVER_IDS=(" + std::to_string(ignored) + ")";
      add_finding(
          out, Severity::kError, "loop.ignore_server_ids",
          report::concat(name, "'s replica channel ", channel, " has IGNORE_SERVER_IDS naming ",
                         whose, " (", std::to_string(ignored),
                         "): every change that server makes is silently dropped, and the "
                         "masters drift apart"),
          "STOP SLAVE, CHANGE MASTER ... IGNORE_SERVER_IDS=() on that channel (keep only "
          "ids of servers that have left), START SLAVE, then compare the tables "
          "(twinlog diff).")
          .evidence.push_back(std::move(ignoring));
    }
  }
  return third_source;
}

}  // namespace

std::vector<Finding> loop_config_findings(const config::ServerConfig& a,
                                          const config::ServerConfig& b, bool third_source) {
  std::vector<Finding> out;
  if (channel_findings("A", a, "B", b, out)) third_source = true;
  if (channel_findings("B", b, "A", a, out)) third_source = true;
  if (a.server_id.value == b.server_id.value) {
    const std::string id = std::to_string(a.server_id.value);
    Finding& f = add_finding(out, Severity::kError, "config.same_server_id",
                             "both masters have server-id=" + id +
                                 ": each skips the other's transactions as its own, and with "
                                 "replicate-same-server-id applies its own again when they come "
                                 "back",
                             "Give every server of the pair its own server-id.");
    f.evidence.push_back(setting_evidence("A", "server-id=" + id, a.server_id.origin));
    f.evidence.push_back(setting_evidence("B", "server-id=" + id, b.server_id.origin));
  }
  for (const auto& [name, c] : {std::pair{std::string("A"), &a}, {std::string("B"), &b}}) {
    if (c->server_id.value == 0) {
      add_finding(out, Severity::kError, "config.server_id_zero",
                  name +
                      " has server-id=0: a replica refuses to connect to it, and it cannot "
                      "replicate from its peer",
                  "Set a server-id other than 0 and different from the other master's.")
          .evidence.push_back(setting_evidence(name, "server-id=0", c->server_id.origin));
    }
    // Without log-bin the server ignores log-slave-updates, and nothing goes round;
    // with it, the server refuses to start (mysqld.cc: "it would lead to infinite
    // loops in this server").
    if (c->replicate_same_server_id.value && c->log_slave_updates.value && c->log_bin.value) {
      Finding& f = add_finding(
          out, Severity::kError, "config.same_server_id_replicated",
          name +
              " has replicate-same-server-id with log-slave-updates and log-bin: its own "
              "transactions, back from its peer, would be applied and logged again round and "
              "round, and the server refuses to start so",
          "Remove replicate-same-server-id: a master of a pair must skip its own events.");
      f.evidence.push_back(
          setting_evidence(name, "replicate-same-server-id", c->replicate_same_server_id.origin));
      f.evidence.push_back(
          setting_evidence(name, "log-slave-updates", c->log_slave_updates.origin));
      f.evidence.push_back(setting_evidence(name, "log-bin", c->log_bin.origin));
    }
    if (third_source && c->identity.flavor == protocol::Flavor::kMariaDB &&
        !c->gtid_ignore_duplicates.value) {
      add_finding(out, Severity::kWarning, "config.gtid_ignore_duplicates_off",
                  name +
                      " has gtid_ignore_duplicates off while a third server's transactions "
                      "reach the pair: one that arrives by two paths is applied twice",
                  "Set gtid_ignore_duplicates=ON on both masters (with a gtid_domain_id per "
                  "writing server), or feed the third server's changes to one master only.")
          .evidence.push_back(setting_evidence(name, "gtid_ignore_duplicates=OFF",
                                               c->gtid_ignore_duplicates.origin));
    }
  }
  return out;
}

}  // namespace twinlog::checks
