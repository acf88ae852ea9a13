#include "src/checks/diff_align.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <unordered_set>
#include <variant>

#include "protocol/row_image.h"
#include "protocol/value_text.h"
#include "src/checks/setting_evidence.h"
#include "src/report/concat.h"

namespace twinlog::checks {
namespace {

using report::Evidence;
using report::Finding;
using report::Severity;

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string plural(uint64_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

std::string table_list(const DigestedTransaction& t) {
  std::string out;
  for (const TableDigest& d : t.tables) {
    if (!out.empty()) out += ", ";
    out += d.table;
  }
  return out.empty() ? "no row changes" : out;
}

// By name and kind: a table's statements and its rows (MIXED) are two entries of one name.
const TableDigest* find_table(const DigestedTransaction& t, const TableDigest& like) {
  for (const TableDigest& d : t.tables) {
    if (d.table == like.table && d.by_statement == like.by_statement) return &d;
  }
  return nullptr;
}

// A kept event decoded again with the format it was read with.
// An event read again from its file is read into `storage`, which the event's
// views point into.
std::optional<protocol::Event> decode_kept(const DigestedTransaction& t, const KeptEvent& k,
                                           std::vector<std::byte>& storage) {
  if (!t.format) return std::nullopt;
  protocol::EventView view;
  view.header = k.header;
  std::vector<std::byte>& read = storage;
  if (k.in_file) {
    // The whole event from its file; the body is between the header and the footer.
    std::ifstream file(t.summary.file, std::ios::binary);
    read.resize(k.header.event_size);
    file.seekg(static_cast<std::streamoff>(k.offset));
    file.read(reinterpret_cast<char*>(read.data()), static_cast<std::streamsize>(read.size()));
    const std::size_t footer = t.format->footer_length();
    if (!file || read.size() < std::size_t{k.header_length} + footer) return std::nullopt;
    view.raw = protocol::Bytes(read.data(), read.size());
    view.body = view.raw.subspan(k.header_length, read.size() - k.header_length - footer);
  } else {
    view.raw = protocol::Bytes(t.kept_bytes.data() + k.body_at, k.body_size);
    view.body = view.raw;
  }
  view.offset = k.offset;
  view.header_length = k.header_length;
  auto decoded = protocol::decode_event(view, *t.format);
  if (!decoded) return std::nullopt;
  return std::move(decoded).value();
}

// The row `row` of the event `event` of `t` as "@1=1 @2='x'" (before -> after for an
// update), or why it cannot be shown.
std::string row_text(const DigestedTransaction& t, uint32_t event, uint32_t row) {
  const ChangeEvent& ev = t.events[event];
  const TableDigest& table = t.tables[ev.table];
  if (table.by_statement) return "(a statement)";
  if (ev.kept == UINT32_MAX || t.kept[ev.kept].table_map == UINT32_MAX) {
    return "(not kept: the transaction is larger than what diff keeps to show rows)";
  }
  std::vector<std::byte> rows_bytes, map_bytes;
  const auto rows = decode_kept(t, t.kept[ev.kept], rows_bytes);
  const auto map = decode_kept(t, t.kept[t.kept[ev.kept].table_map], map_bytes);
  const auto* r = rows ? std::get_if<protocol::RowsEvent>(&*rows) : nullptr;
  const auto* m = map ? std::get_if<protocol::TableMapEvent>(&*map) : nullptr;
  if (r == nullptr || m == nullptr) return "(the event does not decode again)";
  protocol::RowReader reader(*r, *m, 0);
  protocol::RowChange change;
  for (uint32_t i = 0; reader.next(change); ++i) {
    if (i != row) continue;
    std::string out;
    const auto image = [&](const protocol::RowImage& img) {
      for (const protocol::Cell& c : img.cells) {
        if (!out.empty() && out.back() != '(') out += ' ';
        out += "@" + std::to_string(c.column + 1) + "=";
        if (c.is_null) {
          out += "NULL";
        } else {
          (void)protocol::append_sql_text(out, reader, c);
        }
      }
    };
    if (change.has_before) {
      out += "(";
      image(change.before);
      out += ")";
    }
    if (change.has_before && change.has_after) out += " -> ";
    if (change.has_after) {
      out += "(";
      image(change.after);
      out += ")";
    }
    return out;
  }
  return "(the row does not decode)";
}

const char* kind_word(uint64_t rows) {
  return rows == 1 ? "row" : "rows";
}

}  // namespace

std::size_t DiffAligner::KeyHash::operator()(const Key& k) const {
  const std::array<uint64_t, 4> words{k.a, k.b, k.c, k.kind};
  return static_cast<std::size_t>(XXH3_64bits(words.data(), sizeof words));
}

DiffAligner::DiffAligner(const config::ServerConfig& a, const config::ServerConfig& b,
                         uint32_t max_lag)
    : server_ids_{a.server_id.value, b.server_id.value},
      skip_errors_{a.slave_skip_errors, b.slave_skip_errors},
      max_lag_(max_lag) {}

void DiffAligner::set_applied_by_peer(int side, BinlogPosition applied, std::string source) {
  // Built whole: clang takes a nested struct with default member initializers for
  // not default-constructible inside its class (emplace() does not compile).
  in_flight_[side] = InFlight{std::move(applied), std::move(source), 0, {}, {}};
}

// At or past the peer's executed position in this side's binlog (the file compared
// by name, as the server orders them; a file given by path by its last part).
bool DiffAligner::not_yet_applied(int side, const DigestedTransaction& t) const {
  if (!in_flight_[side]) return false;
  const BinlogPosition& applied = in_flight_[side]->applied;
  std::string_view file = t.summary.file;
  if (const std::size_t slash = file.rfind('/'); slash != std::string_view::npos) {
    file.remove_prefix(slash + 1);
  }
  const int order = compare_binlog_names(file, applied.file);
  return order > 0 || (order == 0 && t.summary.start >= applied.offset);
}

DiffAligner::Key DiffAligner::key_of(const DigestedTransaction& t) {
  Key key;
  const TransactionSummary& s = t.summary;
  if (s.gtid) {
    if (const auto* g = std::get_if<protocol::MariaGtid>(&*s.gtid)) {
      key.kind = 0;
      key.a = (uint64_t{g->domain_id} << 32) | g->server_id;
      key.b = g->seq_no;
    } else {
      const auto& m = std::get<protocol::MysqlGtid>(*s.gtid);
      key.kind = 1;
      std::memcpy(&key.a, m.uuid.bytes.data(), 8);
      std::memcpy(&key.b, m.uuid.bytes.data() + 8, 8);
      key.c = static_cast<uint64_t>(m.gno) ^
              (m.tag.empty() ? 0 : XXH3_64bits(m.tag.data(), m.tag.size()));
    }
  } else {
    key.kind = 2;
    key.a = t.fingerprint_low;
    key.b = t.fingerprint_high;
    key.c = (uint64_t{s.server_id} << 32) | s.first_timestamp;
  }
  return key;
}

Evidence DiffAligner::evidence(int side, const DigestedTransaction& t) const {
  Evidence e;
  e.server = names_[side];
  e.file = t.summary.file;
  e.start = t.summary.start;
  e.end = t.summary.end;
  e.gtid = t.summary.gtid_text();
  e.origin_server_id = t.summary.server_id;
  e.time = t.summary.first_timestamp;
  return e;
}

DiffAligner::TableTotal& DiffAligner::total_of(const std::string& table, uint32_t origin) {
  // A few of the name's bytes, not a hash of all of them: two names on one slot
  // only cost a lookup in the tree.
  const std::size_t slot =
      table.empty() ? origin % totals_found_.size()
                    : (table.size() * 31 + static_cast<unsigned char>(table.back()) * 7 +
                       static_cast<unsigned char>(table[table.size() / 2]) + origin * 13) %
                          totals_found_.size();
  TotalFound& found = totals_found_[slot];
  if (found.key == nullptr || found.key->second != origin || found.key->first != table) {
    auto it = tables_.try_emplace({table, origin}).first;
    found = {&it->first, &it->second};
  }
  return *found.total;
}

void DiffAligner::count_tables(int side, const DigestedTransaction& t, bool only_expected) {
  for (const TableDigest& d : t.tables) {
    if (only_expected && !d.expected_in_peer) continue;
    TableTotal& total = total_of(d.table, t.summary.server_id);
    total.sum[side] += d.sum;
    total.rows[side] += d.rows;
    ++total.transactions[side];
    total.by_statement = d.by_statement;
    if (d.by_statement) ++totals_.statements;
  }
}

void DiffAligner::add(int side, TransactionPtr t) {
  ++totals_.transactions[side];
  newest_[side] = std::max(newest_[side], t->summary.first_timestamp);
  const Key key = key_of(*t);
  auto& other = unmatched_[1 - side];
  if (auto it = other.find(key); it != other.end()) {
    if (side == 0) {
      pair(*t, *it->second);
    } else {
      pair(*it->second, *t);
    }
    if (on_spent_) {
      on_spent_(side, std::move(t));
      on_spent_(1 - side, std::move(it->second));
    }
    other.erase(it);
    drop_paired_arrivals(1 - side);
  } else {
    arrival_[side].emplace_back(t->summary.first_timestamp, key);
    // The same transaction twice in one binlog (a loop, which `twinlog loops`
    // reports): the first copy stands and this one is not compared.
    unmatched_[side].try_emplace(key, std::move(t));
    peak_held_ = std::max(peak_held_, held());
  }
  expire(1 - side);
}

// The arrival records at the front of `side`'s queue whose transactions are
// paired: without this, each would stay until max_lag seconds of binlog later
// (an hour by default: the records of every transaction of that hour).
void DiffAligner::drop_paired_arrivals(int side) {
  auto& queue = arrival_[side];
  while (!queue.empty() && !unmatched_[side].contains(queue.front().second)) queue.pop_front();
}

// Gives up on what the other side has passed by more than max_lag seconds.
void DiffAligner::expire(int side) {
  auto& queue = arrival_[side];
  while (!queue.empty() && uint64_t{queue.front().first} + max_lag_ < newest_[1 - side]) {
    auto it = unmatched_[side].find(queue.front().second);
    if (it != unmatched_[side].end()) {
      give_up(side, *it->second);
      unmatched_[side].erase(it);
    }
    queue.pop_front();
  }
}

void DiffAligner::finish() {
  for (int side = 0; side < 2; ++side) {
    // In binlog order, so that the findings read as the binlog does.
    for (const auto& [time, key] : arrival_[side]) {
      auto it = unmatched_[side].find(key);
      if (it == unmatched_[side].end()) continue;
      give_up(side, *it->second);
      unmatched_[side].erase(it);
    }
    arrival_[side].clear();
  }
}

void DiffAligner::give_up(int side, DigestedTransaction& t) {
  const bool expected = std::any_of(t.tables.begin(), t.tables.end(),
                                    [](const TableDigest& d) { return d.expected_in_peer; });
  if (!expected || t.peer_logs == Outcome::kNo) {
    ++totals_.filtered[side];
    std::string rule = t.peer_rule.empty() ? "the peer's configuration" : t.peer_rule;
    Filtered& f = filtered_[{side, rule}];
    if (f.count++ == 0) f.first = evidence(side, t);
    f.last = evidence(side, t);
    for (const TableDigest& d : t.tables) {
      if (f.tables.size() < 5 &&
          std::find(f.tables.begin(), f.tables.end(), d.table) == f.tables.end()) {
        f.tables.push_back(d.table);
      }
    }
    return;
  }
  if (not_yet_applied(side, t)) {
    ++totals_.in_flight[side];
    InFlight& f = *in_flight_[side];
    if (f.count++ == 0) f.first = evidence(side, t);
    f.last = evidence(side, t);
    return;
  }
  ++totals_.missing[side];
  count_tables(side, t, true);
  if (totals_.missing[side] > kMissingShown) {
    ++missing_not_shown_;
    return;
  }
  Finding f;
  f.severity = Severity::kError;
  f.code = "diff.transaction_missing";
  f.message = report::concat("a transaction of ", names_[side], "'s binlog (origin server ",
                             std::to_string(t.summary.server_id), ", ", table_list(t), ", ",
                             plural(t.rows.size(), "change"), ") is not in ", names_[1 - side],
                             "'s binlog");
  Evidence e = evidence(side, t);
  if (!t.tables.empty()) e.table = t.tables.front().table;
  f.evidence.push_back(std::move(e));
  const config::Setting<std::string>& skip = skip_errors_[1 - side];
  if (!skip.value.empty() && skip.value != "OFF") {
    // The likeliest cause, quoted: a statement that fails with a listed error is
    // skipped whole, and what is skipped is not logged again.
    f.evidence.push_back(
        setting_evidence(names_[1 - side], "slave_skip_errors=" + skip.value, skip.origin));
  }
  f.action = report::concat("find why ", names_[1 - side],
                            " did not apply it (a skipped error, sql_slave_skip_counter, a "
                            "replication filter changed since, a purged relay log); the "
                            "table checksums (twinlog checksum) show what the tables hold now");
  differences_.push_back(std::move(f));
}

void DiffAligner::pair(DigestedTransaction& a, DigestedTransaction& b) {
  ++totals_.paired;
  // The original is in its origin's binlog; only its tables the peer logs again count.
  const bool a_original = a.summary.server_id != server_ids_[1];
  const DigestedTransaction& original = a_original ? a : b;
  bool agree = true;
  for (const TableDigest& d : original.tables) {
    const TableDigest* other = find_table(a_original ? b : a, d);
    if (!d.expected_in_peer && other == nullptr) continue;
    if (other == nullptr || !(*other == d)) agree = false;
  }
  for (const TableDigest& d : (a_original ? b : a).tables) {
    if (find_table(original, d) == nullptr) agree = false;
  }
  count_tables(0, a, a_original);
  count_tables(1, b, !a_original);
  if (agree) return;
  ++totals_.differing;
  report_rows(a, b);
}

// The differences of a pair: its rows events missing whole from one copy, and
// its rows in one copy and not the other, decoded side by side.
void DiffAligner::report_rows(DigestedTransaction& a, DigestedTransaction& b) {
  std::array<DigestedTransaction*, 2> t{&a, &b};
  // Multiset differences by hash: events first, then rows of the other events.
  std::array<std::vector<uint32_t>, 2> lone_events;
  std::array<std::vector<RowHash>, 2> lone_rows;
  for (int side = 0; side < 2; ++side) {
    std::unordered_multiset<uint64_t> others;
    for (const ChangeEvent& e : t[1 - side]->events) others.insert(e.hash);
    for (uint32_t i = 0; i < t[side]->events.size(); ++i) {
      auto it = others.find(t[side]->events[i].hash);
      if (it == others.end()) {
        lone_events[side].push_back(i);
      } else {
        others.erase(it);
      }
    }
  }
  for (int side = 0; side < 2; ++side) {
    std::unordered_multiset<uint64_t> others;
    for (uint32_t i : lone_events[1 - side]) {
      for (const RowHash& r : t[1 - side]->rows) {
        if (r.event == i) others.insert(r.hash);
      }
    }
    for (uint32_t i : lone_events[side]) {
      for (const RowHash& r : t[side]->rows) {
        if (r.event != i) continue;
        auto it = others.find(r.hash);
        if (it == others.end()) {
          lone_rows[side].push_back(r);
        } else {
          others.erase(it);
        }
      }
    }
  }
  // An event of one copy none of whose rows the other copy has: missing whole.
  for (int side = 0; side < 2; ++side) {
    for (uint32_t i : lone_events[side]) {
      const uint64_t lone = std::count_if(lone_rows[side].begin(), lone_rows[side].end(),
                                          [i](const RowHash& r) { return r.event == i; });
      const ChangeEvent& ev = t[side]->events[i];
      if (lone != ev.rows || !lone_rows[1 - side].empty()) continue;
      Finding f;
      f.severity = Severity::kError;
      f.code = "diff.rows_event_missing";
      const std::string& table = t[side]->tables[ev.table].table;
      f.message = report::concat(
          names_[1 - side], "'s copy of a transaction lacks a whole ",
          t[side]->tables[ev.table].by_statement ? "statement" : "rows event", " of ", names_[side],
          "'s (", table, ", ", std::to_string(ev.rows), " ", kind_word(ev.rows), ", at ",
          names_[side], " position ", std::to_string(ev.position), ")");
      Evidence e = evidence(side, *t[side]);
      e.table = table;
      e.statement = row_text(*t[side], i, 0);
      f.evidence.push_back(std::move(e));
      Evidence copy = evidence(1 - side, *t[1 - side]);
      copy.table = table;
      f.evidence.push_back(std::move(copy));
      f.action = report::concat(
          names_[1 - side],
          " skipped the event when applying it: slave_skip_errors (1062 duplicate key, 1032 "
          "row not found) skips a whole rows event; its rows are missing or different there");
      differences_.push_back(std::move(f));
      std::erase_if(lone_rows[side], [i](const RowHash& r) { return r.event == i; });
    }
  }
  if (lone_rows[0].empty() && lone_rows[1].empty()) return;
  Finding f;
  f.severity = Severity::kError;
  f.code = "diff.rows_differ";
  std::string tables;
  for (int side = 0; side < 2; ++side) {
    for (const RowHash& r : lone_rows[side]) {
      const std::string& name = t[side]->tables[t[side]->events[r.event].table].table;
      if (tables.find(name) == std::string::npos) tables += (tables.empty() ? "" : ", ") + name;
    }
  }
  f.message = report::concat("the copies of a transaction differ in ", tables, ": ",
                             plural(lone_rows[0].size(), "row"), " only in A's, ",
                             plural(lone_rows[1].size(), "row"), " only in B's");
  const std::size_t shown = std::max(lone_rows[0].size(), lone_rows[1].size());
  for (std::size_t i = 0; i < std::min(shown, kRowsShown); ++i) {
    for (int side = 0; side < 2; ++side) {
      if (i >= lone_rows[side].size()) continue;
      const RowHash& r = lone_rows[side][i];
      Evidence e = evidence(side, *t[side]);
      e.start = t[side]->events[r.event].position;
      e.table = t[side]->tables[t[side]->events[r.event].table].table;
      e.statement = row_text(*t[side], r.event, r.row);
      f.evidence.push_back(std::move(e));
    }
  }
  f.action =
      "the masters applied this transaction differently (a trigger, a different "
      "schema or default, a non-deterministic statement, data that already differed): "
      "compare the rows with twinlog checksum";
  differences_.push_back(std::move(f));
}

std::vector<Finding> DiffAligner::findings() const {
  std::vector<Finding> out = differences_;
  if (missing_not_shown_ > 0) {
    Finding f;
    f.severity = Severity::kError;
    f.code = "diff.transaction_missing";
    f.message = report::concat("and ", plural(missing_not_shown_, "more transaction"),
                               " missing (the first ", std::to_string(kMissingShown),
                               " of each side are shown)");
    out.push_back(std::move(f));
  }
  for (const auto& [where, f] : filtered_) {
    Finding finding;
    finding.severity = Severity::kInfo;
    finding.code = "diff.filtered";
    std::string tables;
    for (const std::string& t : f.tables) tables += (tables.empty() ? "" : ", ") + t;
    finding.message = report::concat(plural(f.count, "transaction"), " of ", names_[where.first],
                                     "'s binlog (", tables, ") not in ", names_[1 - where.first],
                                     "'s, filtered as configured: ", where.second);
    finding.evidence = {f.first};
    if (f.count > 1) finding.evidence.push_back(f.last);
    finding.action = "none: the pair is configured so; twinlog filters explains the rule";
    out.push_back(std::move(finding));
  }
  for (int side = 0; side < 2; ++side) {
    const std::optional<InFlight>& f = in_flight_[side];
    if (!f || f->count == 0) continue;
    Finding finding;
    finding.severity = Severity::kInfo;
    finding.code = "diff.in_flight";
    finding.message = report::concat(
        plural(f->count, "transaction"), " of ", names_[side], "'s binlog not in ",
        names_[1 - side], "'s yet: in flight, not missing (", names_[1 - side],
        "'s replica SQL thread had executed ", names_[side], "'s binlog up to ", f->applied.file,
        ":", std::to_string(f->applied.offset), ", as ", f->source, " said before the read)");
    finding.evidence = {f->first};
    if (f->count > 1) finding.evidence.push_back(f->last);
    finding.action = report::concat("none if ", names_[1 - side],
                                    " catches up (run diff again); if its replica SQL thread "
                                    "is stopped or behind, see twinlog validate");
    out.push_back(std::move(finding));
  }
  for (const auto& [key, total] : tables_) {
    const auto& [table, origin] = key;
    const bool agree = total.sum[0] == total.sum[1] && total.rows[0] == total.rows[1];
    Finding f;
    f.severity = agree ? Severity::kInfo : Severity::kWarning;
    f.code = "diff.table_digest";
    const char* unit = total.by_statement ? "statement" : "row change";
    f.message = report::concat(table, ", changes from server ", std::to_string(origin), ": ",
                               agree ? "A's and B's binlogs agree" : "A's and B's binlogs differ",
                               total.by_statement ? " (compared by statement, not by rows)" : "");
    for (int side = 0; side < 2; ++side) {
      Evidence e;
      e.server = names_[side];
      e.table = table;
      e.origin_server_id = origin;
      e.statement = report::concat(plural(total.rows[side], unit), " in ",
                                   plural(total.transactions[side], "transaction"), ", digest ",
                                   hex64(total.sum[side]));
      f.evidence.push_back(std::move(e));
    }
    if (!agree) f.action = "the differences above say which transactions and rows";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace twinlog::checks
