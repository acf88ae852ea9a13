#include "src/checks/checksum_checkpoint.h"

#include <charconv>
#include <sstream>
#include <stdexcept>

namespace twinlog::checks {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::optional<std::string> unhex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(text.data() + i, text.data() + i + 2, v, 16);
    if (ec != std::errc() || p != text.data() + i + 2) return std::nullopt;
    out += static_cast<char>(v);
  }
  return out;
}

std::string number(uint64_t v, int base) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v, base);
  return std::string(buf, r.ptr);
}

}  // namespace

std::string Checkpoint::chunk_line(const ChunkDone& chunk) {
  std::string line = "chunk " + hex(chunk.table->qualified()) + " " + number(chunk.a.sum, 16) +
                     " " + number(chunk.a.rows, 10) + " " + number(chunk.b.sum, 16) + " " +
                     number(chunk.b.rows, 10) + (chunk.differs ? " DIFFERS" : " SAME");
  if (chunk.range.upper) {
    for (const auto& v : *chunk.range.upper)
      line.append(" ").append(v ? hex(*v) : std::string("-"));
  } else {
    line += " END";
  }
  return line;
}

bool Checkpoint::apply_line(const std::string& line, std::map<std::string, TableState>& states) {
  std::istringstream in(line);
  std::string kind, table_hex;
  if (!(in >> kind >> table_hex)) return false;
  const auto table = unhex(table_hex);
  if (!table) return false;
  if (kind == "done") {
    states[*table].done = true;
    return true;
  }
  if (kind != "chunk") return false;
  std::string sum_a, rows_a, sum_b, rows_b, verdict;
  if (!(in >> sum_a >> rows_a >> sum_b >> rows_b >> verdict)) return false;
  if (verdict != "SAME" && verdict != "DIFFERS") return false;
  KeyValue upper;
  std::string value;
  bool end = false;
  while (in >> value) {
    if (value == "END") {
      end = true;
    } else if (value == "-") {
      upper.emplace_back(std::nullopt);
    } else {
      auto v = unhex(value);
      if (!v) return false;
      upper.emplace_back(std::move(*v));
    }
  }
  if (!end && upper.empty()) return false;
  TableState& s = states[*table];
  ++s.chunks;
  if (verdict == "DIFFERS") {
    ChunkRange range;
    range.lower = s.after;
    if (!end) range.upper = upper;
    s.differing.push_back(std::move(range));
  }
  // The last chunk (no upper bound) ends the table as much as its done line does.
  if (end)
    s.done = true;
  else
    s.after = std::move(upper);
  return true;
}

Checkpoint Checkpoint::open(const std::string& path) {
  Checkpoint c;
  c.path_ = path;
  {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      // Only a line ended by a newline was written whole.
      if (in.eof()) break;
      apply_line(line, c.states_);
    }
  }
  c.out_.open(path, std::ios::app);
  if (!c.out_) throw std::runtime_error("cannot write the checkpoint file " + path);
  return c;
}

Checkpoint::TableState Checkpoint::table(const std::string& qualified) const {
  auto it = states_.find(qualified);
  return it == states_.end() ? TableState{} : it->second;
}

void Checkpoint::chunk_done(const ChunkDone& chunk) {
  out_ << chunk_line(chunk) << "\n" << std::flush;
}

void Checkpoint::table_done(const std::string& qualified) {
  out_ << "done " << hex(qualified) << "\n" << std::flush;
}

}  // namespace twinlog::checks
