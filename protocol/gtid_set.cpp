#include "protocol/gtid_set.h"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace twinlog::protocol {
namespace {

constexpr std::size_t kMaxTagLength = 32;
constexpr std::string_view kBlanks = " \t\r\n";

std::string_view trim(std::string_view s) {
  const std::size_t first = s.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kBlanks) - first + 1);
}

// Decimal digits only (no sign, no blanks), at most `max`.
std::optional<uint64_t> parse_number(std::string_view s, uint64_t max) {
  uint64_t v = 0;
  if (s.empty() || s.front() < '0' || s.front() > '9') return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// 8-4-4-4-12 hex digits, either case.
std::optional<Uuid> parse_uuid(std::string_view s) {
  if (s.size() != 36) return std::nullopt;
  Uuid u;
  std::size_t k = 0;
  for (std::size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i++] != '-') return std::nullopt;
      continue;
    }
    const int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    u.bytes[k++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return u;
}

// A tag: a letter or '_', then letters, digits or '_', at most 32; lower-cased as
// the server stores it.
std::optional<std::string> parse_tag(std::string_view s) {
  if (s.empty() || s.size() > kMaxTagLength) return std::nullopt;
  std::string tag;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && (i == 0 || c < '0' || c > '9')) return std::nullopt;
    tag.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return tag;
}

bool starts_with_digit(std::string_view s) {
  return !s.empty() && s.front() >= '0' && s.front() <= '9';
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

DecodeError text_error(std::size_t at, std::string_view text, const std::string& what) {
  // Appended, not "'" + std::string: GCC 12 at -O3 warns (-Wrestrict) on that form.
  std::string message(1, '\'');
  message.append(text).append("' is ").append(what);
  return DecodeError{at, std::move(message)};
}

// domain-server-seq.
Result<MariaGtid> parse_maria(std::string_view text, std::size_t at) {
  const auto parts = split(text, '-');
  if (parts.size() != 3) {
    return text_error(at, text,
                      "not a GTID: MariaDB's are domain-server-seq (0-1-24), MySQL's "
                      "uuid:number (3e11fa47-71ca-11e1-9e33-c80aa9429562:23)");
  }
  const auto domain = parse_number(parts[0], UINT32_MAX);
  const auto server = parse_number(parts[1], UINT32_MAX);
  const auto seq = parse_number(parts[2], UINT64_MAX);
  if (!domain) return text_error(at, text, "not a MariaDB GTID: the domain is not 0..4294967295");
  if (!server)
    return text_error(at, text, "not a MariaDB GTID: the server id is not 0..4294967295");
  if (!seq)
    return text_error(at, text, "not a MariaDB GTID: the sequence number is not a 64-bit number");
  return MariaGtid{static_cast<uint32_t>(*domain), static_cast<uint32_t>(*server), *seq};
}

std::optional<int64_t> parse_gno(std::string_view s) {
  auto v = parse_number(s, static_cast<uint64_t>(kMaxGno));
  if (!v || *v == 0) return std::nullopt;
  return static_cast<int64_t>(*v);
}

const std::string kBadGno =
    "out of range: MySQL transaction numbers run from 1 to 9223372036854775807";

// uuid[:tag]:interval[:interval | :tag...], for GtidSet::parse.
Result<bool> parse_mysql_entry(std::string_view text, std::size_t at, GtidSet& into) {
  const auto parts = split(text, ':');
  const auto uuid = parse_uuid(parts[0]);
  if (!uuid) return text_error(at, parts[0], "not a server uuid (8-4-4-4-12 hex digits)");
  std::string tag;
  bool tag_has_interval = false;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string_view p = parts[i];
    if (!starts_with_digit(p)) {
      if (i > 1 && !tag_has_interval) return text_error(at, text, "missing intervals after a tag");
      auto t = parse_tag(p);
      if (!t)
        return text_error(at, p,
                          "not a GTID tag (a letter or _, then letters, digits or _, up to 32)");
      tag = std::move(*t);
      tag_has_interval = false;
      continue;
    }
    const std::size_t dash = p.find('-');
    const auto first = parse_gno(p.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : parse_gno(p.substr(dash + 1));
    if (!first || !last) return text_error(at, p, kBadGno);
    if (*last < *first) return text_error(at, p, "an interval that ends before it starts");
    into.add_interval({uuid->bytes, tag}, {*first, *last});
    tag_has_interval = true;
  }
  if (!tag_has_interval) return text_error(at, text, "a uuid or tag without intervals");
  return true;
}

std::string interval_text(const GnoInterval& iv) {
  std::string s = std::to_string(iv.first);
  if (iv.last != iv.first) s.append("-").append(std::to_string(iv.last));
  return s;
}

}  // namespace

std::string_view flavor_name(Flavor flavor) {
  return flavor == Flavor::kMariaDB ? "MariaDB" : "MySQL";
}

std::string_view gtid_set_form(Flavor flavor) {
  return flavor == Flavor::kMariaDB
             ? "domain-server-seq[,...] (e.g. 0-1-24)"
             : "uuid:interval[,...] (e.g. 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5)";
}

bool operator==(const MariaGtid& a, const MariaGtid& b) {
  return a.domain_id == b.domain_id && a.server_id == b.server_id && a.seq_no == b.seq_no;
}
std::strong_ordering operator<=>(const MariaGtid& a, const MariaGtid& b) {
  return std::tie(a.domain_id, a.server_id, a.seq_no) <=>
         std::tie(b.domain_id, b.server_id, b.seq_no);
}
bool operator==(const MysqlGtid& a, const MysqlGtid& b) {
  return a.uuid == b.uuid && a.tag == b.tag && a.gno == b.gno;
}
std::strong_ordering operator<=>(const MysqlGtid& a, const MysqlGtid& b) {
  return std::tie(a.uuid.bytes, a.tag, a.gno) <=> std::tie(b.uuid.bytes, b.tag, b.gno);
}

Flavor flavor_of(const Gtid& gtid) {
  return std::holds_alternative<MariaGtid>(gtid) ? Flavor::kMariaDB : Flavor::kMySQL;
}

std::optional<Gtid> gtid_of(const GtidEvent& event) {
  if (event.anonymous) return std::nullopt;
  return Gtid{MysqlGtid{event.sid, std::string(event.tag), event.gno}};
}

Gtid gtid_of(const MariaGtidEvent& event, uint32_t server_id) {
  return MariaGtid{event.domain_id, server_id, event.seq_no};
}

std::string to_string(const Uuid& uuid) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(kDigits[uuid.bytes[i] >> 4]);
    s.push_back(kDigits[uuid.bytes[i] & 0xf]);
  }
  return s;
}

std::string to_string(const MariaGtid& g) {
  return std::to_string(g.domain_id) + "-" + std::to_string(g.server_id) + "-" +
         std::to_string(g.seq_no);
}

std::string to_string(const MysqlGtid& g) {
  std::string s = to_string(g.uuid);
  if (!g.tag.empty()) s.append(":").append(g.tag);
  return s + ":" + std::to_string(g.gno);
}

std::string to_string(const Gtid& gtid) {
  return std::visit([](const auto& g) { return to_string(g); }, gtid);
}

Result<Gtid> parse_gtid(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.find(':') == std::string_view::npos) {
    auto m = parse_maria(t, 0);
    if (!m) return m.error();
    return Gtid{*m};
  }
  const auto parts = split(t, ':');
  if (parts.size() != 2 && parts.size() != 3) {
    return text_error(0, t, "not a MySQL GTID (uuid:number or uuid:tag:number)");
  }
  const auto uuid = parse_uuid(parts[0]);
  if (!uuid) return text_error(0, parts[0], "not a server uuid (8-4-4-4-12 hex digits)");
  MysqlGtid g{*uuid, {}, 0};
  if (parts.size() == 3) {
    auto tag = parse_tag(parts[1]);
    if (!tag)
      return text_error(0, parts[1],
                        "not a GTID tag (a letter or _, then letters, digits or _, up to 32)");
    g.tag = std::move(*tag);
  }
  const auto gno = parse_gno(parts.back());
  if (!gno) return text_error(0, parts.back(), kBadGno);
  g.gno = *gno;
  return Gtid{std::move(g)};
}

Result<GtidSet> GtidSet::parse(std::string_view text) {
  GtidSet set;
  if (trim(text).empty()) return set;
  std::size_t at = 0;
  std::optional<Flavor> flavor;
  for (std::string_view raw : split(text, ',')) {
    const std::size_t lead = raw.find_first_not_of(kBlanks);
    const std::string_view entry = trim(raw);
    const std::size_t entry_at = at + (lead == std::string_view::npos ? 0 : lead);
    at += raw.size() + 1;
    if (entry.empty())
      return DecodeError{entry_at, "an empty entry in the GTID set '" + std::string(text) + "'"};
    // A bare uuid is a MySQL entry missing its intervals, not a MariaDB GTID.
    const bool mysql = entry.find(':') != std::string_view::npos || parse_uuid(entry);
    const Flavor f = mysql ? Flavor::kMySQL : Flavor::kMariaDB;
    if (flavor && *flavor != f) {
      return text_error(entry_at, text, "a mix of MariaDB and MySQL GTIDs");
    }
    flavor = f;
    if (f == Flavor::kMariaDB) {
      auto g = parse_maria(entry, entry_at);
      if (!g) return g.error();
      if (set.maria_.contains({g->domain_id, g->server_id})) {
        return text_error(entry_at, entry,
                          "a second position for domain " + std::to_string(g->domain_id) +
                              " and server " + std::to_string(g->server_id));
      }
      set.add(*g);
    } else {
      auto ok = parse_mysql_entry(entry, entry_at, set);
      if (!ok) return ok.error();
    }
  }
  return set;
}

Result<GtidSet> GtidSet::from(const PreviousGtidsEvent& event) {
  GtidSet set;
  for (const auto& entry : event.sets) {
    auto tag = entry.tag.empty() ? std::optional<std::string>(std::string()) : parse_tag(entry.tag);
    if (!tag)
      return DecodeError{0,
                         "PREVIOUS_GTIDS tag '" + std::string(entry.tag) + "' is not a GTID tag"};
    for (const auto& iv : entry.intervals) {
      // On the wire [start, end): end is one past the last.
      if (iv.start < 1 || iv.end <= iv.start) {
        return DecodeError{0, "PREVIOUS_GTIDS interval [" + std::to_string(iv.start) + ", " +
                                  std::to_string(iv.end) + ") of " +
                                  protocol::to_string(entry.sid) + " is empty or below 1"};
      }
      set.add_interval({entry.sid.bytes, *tag}, {iv.start, iv.end - 1});
    }
  }
  return set;
}

GtidSet GtidSet::from(const MariaGtidListEvent& event) {
  GtidSet set;
  for (const auto& g : event.gtids) set.add(g);
  return set;
}

std::optional<Flavor> GtidSet::flavor() const {
  if (!maria_.empty()) return Flavor::kMariaDB;
  if (!mysql_.empty()) return Flavor::kMySQL;
  return std::nullopt;
}

bool GtidSet::add_interval(const MysqlKey& key, GnoInterval iv) {
  if (!maria_.empty() || iv.first < 1 || iv.last < iv.first) return false;
  auto& list = mysql_[key];
  // The first interval that ends at or after iv.first - 1 (it may touch or overlap).
  auto it =
      std::lower_bound(list.begin(), list.end(), iv.first,
                       [](const GnoInterval& x, int64_t first) { return x.last < first - 1; });
  auto merge_end = it;
  while (merge_end != list.end() && merge_end->first <= iv.last + (iv.last < kMaxGno ? 1 : 0)) {
    iv.first = std::min(iv.first, merge_end->first);
    iv.last = std::max(iv.last, merge_end->last);
    ++merge_end;
  }
  it = list.erase(it, merge_end);
  list.insert(it, iv);
  return true;
}

bool GtidSet::add(const Gtid& gtid) {
  const auto f = flavor();
  if (f && *f != flavor_of(gtid)) return false;
  if (const auto* m = std::get_if<MariaGtid>(&gtid)) {
    auto [it, inserted] = maria_.try_emplace({m->domain_id, m->server_id}, m->seq_no);
    if (!inserted) it->second = std::max(it->second, m->seq_no);
    return true;
  }
  const auto& g = std::get<MysqlGtid>(gtid);
  return add_interval({g.uuid.bytes, g.tag}, {g.gno, g.gno});
}

bool GtidSet::contains(const Gtid& gtid) const {
  if (const auto* m = std::get_if<MariaGtid>(&gtid)) {
    for (auto it = maria_.lower_bound({m->domain_id, 0});
         it != maria_.end() && it->first.first == m->domain_id; ++it) {
      if (it->second >= m->seq_no) return true;
    }
    return false;
  }
  const auto& g = std::get<MysqlGtid>(gtid);
  auto found = mysql_.find({g.uuid.bytes, g.tag});
  if (found == mysql_.end()) return false;
  const auto& list = found->second;
  auto it = std::lower_bound(list.begin(), list.end(), g.gno,
                             [](const GnoInterval& x, int64_t gno) { return x.last < gno; });
  return it != list.end() && it->first <= g.gno;
}

bool GtidSet::contains(const GtidSet& other) const {
  for (const auto& [key, seq] : other.maria_) {
    if (!contains(Gtid{MariaGtid{key.first, key.second, seq}})) return false;
  }
  for (const auto& [key, list] : other.mysql_) {
    auto found = mysql_.find(key);
    if (found == mysql_.end()) return false;
    for (const auto& iv : list) {
      const auto& mine = found->second;
      auto it =
          std::lower_bound(mine.begin(), mine.end(), iv.first,
                           [](const GnoInterval& x, int64_t first) { return x.last < first; });
      if (it == mine.end() || it->first > iv.first || it->last < iv.last) return false;
    }
  }
  return true;
}

std::string GtidSet::to_string() const {
  std::string s;
  for (const auto& [key, seq] : maria_) {
    if (!s.empty()) s += ",";
    s += protocol::to_string(MariaGtid{key.first, key.second, seq});
  }
  const std::array<uint8_t, 16>* uuid = nullptr;
  for (const auto& [key, list] : mysql_) {
    if (uuid == nullptr || *uuid != key.first) {
      if (!s.empty()) s += ",";
      Uuid u;
      u.bytes = key.first;
      s += protocol::to_string(u);
      uuid = &key.first;
    }
    if (!key.second.empty()) s.append(":").append(key.second);
    for (const auto& iv : list) s.append(":").append(interval_text(iv));
  }
  return s;
}

std::string flavor_refusal(const GtidSet& set, Flavor server_flavor) {
  const auto f = set.flavor();
  if (!f || *f == server_flavor) return {};
  return "the server is " + std::string(flavor_name(server_flavor)) +
         ": it takes a GTID position as " + std::string(gtid_set_form(server_flavor)) +
         ", not the " + std::string(flavor_name(*f)) + " GTIDs '" + set.to_string() + "'";
}

}  // namespace twinlog::protocol
