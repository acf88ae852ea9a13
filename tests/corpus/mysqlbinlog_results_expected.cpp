// mysqlbinlog's side of mysqlbinlog_results_test.cpp: the mariadb-test-data map,
// the block of a .result that a case's exec printed, and that block reduced to
// the token lines twinlog's side is compared with.
#include <algorithm>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/corpus/corpus_support.h"
#include "tests/corpus/mysqlbinlog_results.h"

namespace twinlog::corpus::mysqlbinlog_results {
std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<MapRow> mysqlbinlog_rows() {
  std::vector<MapRow> rows;
  std::ifstream in(kMap);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream s(line);
    std::string col;
    while (std::getline(s, col, '\t')) cols.push_back(col);
    if (cols.size() < 11 || cols[9] != "yes") continue;
    rows.push_back({cols[0].substr(kTestDir.size() + 1), cols[6], cols[7], cols[10]});
  }
  return rows;
}

namespace {

// An exec whose standard output lands in the .result (not piped, not redirected).
bool prints_into_result(std::string line) {
  line = trim(line);
  if (line.rfind("--exec $MYSQL_BINLOG", 0) != 0 && line.rfind("exec $MYSQL_BINLOG", 0) != 0)
    return false;
  for (const char* tail : {"2>&1", "2>& 1", "2> /dev/null"}) {
    for (auto at = line.find(tail); at != std::string::npos; at = line.find(tail))
      line.erase(at, std::string(tail).size());
  }
  return line.find('>') == std::string::npos && line.find('|') == std::string::npos;
}

const std::string kBlockStart = "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;";
const std::string kBlockEnd = "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;";

// Which mysqlbinlog output after `anchor` belongs to the case's exec.
int block_index(const Case& c) {
  const auto test = text_lines(read_text_file(kTestDir + "/" + c.test_file));
  std::size_t i = 0;
  while (i < test.size() && test[i].find(c.anchor) == std::string::npos) ++i;
  if (i == test.size()) return -1;
  int index = 0;
  for (++i; i < test.size(); ++i) {
    if (test[i].find(c.exec) != std::string::npos) return index;
    if (prints_into_result(test[i])) ++index;
  }
  return -1;
}

}  // namespace

std::optional<Block> find_block(const Case& c) {
  const int index = block_index(c);
  if (index < 0) return std::nullopt;
  const auto result = text_lines(read_text_file(kTestDir + "/" + c.result_file));
  std::size_t i = std::find(result.begin(), result.end(), c.anchor) - result.begin();
  for (int seen = -1; i < result.size(); ++i) {
    if (result[i] == kBlockStart && ++seen == index) break;
  }
  if (i >= result.size()) return std::nullopt;
  Block b;
  for (; i < result.size(); ++i) {
    if (result[i].rfind("ERROR: ", 0) == 0) {
      for (; i < result.size() && result[i].rfind("ERROR: ", 0) == 0; ++i)
        b.errors.push_back(result[i]);
      return b;
    }
    b.lines.push_back(result[i]);
    if (result[i] == kBlockEnd) return b;
  }
  return std::nullopt;
}

// ------------------------------------------------------------------ mysqlbinlog's side

std::string format_time(uint64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%y%m%d %H:%M:%S", &tm);
  return buf;
}

namespace {

uint64_t le_bytes(const std::string& hex_bytes) {
  std::istringstream in(hex_bytes);
  std::string byte;
  uint64_t v = 0;
  int shift = 0;
  while (in >> byte) {
    v |= std::stoull(byte, nullptr, 16) << shift;
    shift += 8;
  }
  return v;
}

// "Start: binlog v 4, server v 5.1.63-google-debug-log created 130807 20:29:20 at startup"
// "Query\tthread_id=1\texec_time=0\terror_code=0\txid=0"
std::string description_token(const std::string& d) {
  if (d.rfind("Start: ", 0) == 0) {
    std::string s = d;
    const std::string at_startup = " at startup";
    if (s.size() > at_startup.size() &&
        s.compare(s.size() - at_startup.size(), at_startup.size(), at_startup) == 0) {
      s.resize(s.size() - at_startup.size());
    }
    return "event " + s;
  }
  if (d.rfind("Query\t", 0) == 0) {
    std::string s = d;
    std::replace(s.begin(), s.end(), '\t', ' ');
    return "event " + s;
  }
  return "event ? " + d;
}

}  // namespace

// The token lines of one mysqlbinlog output block.
std::vector<std::string> mysqlbinlog_tokens(const Block& block) {
  std::vector<std::string> out;
  std::optional<std::string> timestamp;
  std::string text;
  bool in_text = false, in_base64 = false, in_body = false;
  for (std::string line : block.lines) {
    if (line == "DELIMITER /*!*/;") {
      in_body = true;
      continue;
    }
    if (line == "DELIMITER ;") break;
    if (!in_body) continue;
    if (in_base64) {
      in_base64 = line.size() < 7 || line.compare(line.size() - 7, 7, "'/*!*/;") != 0;
      continue;
    }
    if (in_text) {
      if (line == "/*!*/;") {
        out.push_back((timestamp ? "query ts=" + *timestamp + " " : "statement ") + text);
        timestamp.reset();
        in_text = false;
      } else {
        text += "\n" + line;
      }
      continue;
    }
    if (line == "<#>") {
      out.emplace_back("header");
      continue;
    }
    if (line.rfind("<#>", 0) == 0) line = line.substr(3);  // a masked line glued to the next
    if (line.rfind("# at ", 0) == 0) {
      out.push_back("at " + line.substr(5));
    } else if (line.rfind("# Event: \t", 0) == 0) {
      out.push_back(description_token(line.substr(10)));
    } else if (line.size() > 8 && line[0] == '#' &&
               std::isdigit(static_cast<unsigned char>(line[1]))) {
      // "#130807 20:29:20 server id 1  end_log_pos 106 CRC32 0xcb5fac99 \tStart: ..."
      const auto tab = line.find(" \t");
      const std::string head =
          line.substr(1, tab == std::string::npos ? std::string::npos : tab - 1);
      std::istringstream in(head);
      std::string date, time, server, id, sid, end, pos, crc;
      in >> date >> time >> server >> id >> sid >> end >> pos >> crc;
      std::ostringstream header;
      header << "header " << date << " " << time << " server_id=" << sid << " end_log_pos=" << pos
             << (crc == "CRC32" ? " crc32" : "");
      out.push_back(header.str());
      if (tab != std::string::npos) out.push_back(description_token(line.substr(tab + 2)));
    } else if (line.rfind("#   ", 0) == 0 && std::count(line.begin(), line.end(), '|') == 6 &&
               line.find("Timestamp") == std::string::npos) {
      // "#        4  |20 ae 02 52 |0f   |01 00 00 00 |66 00 00 00 |6a 00 00 00 |00 01"
      std::vector<std::string> f;
      std::stringstream s(line.substr(1));
      std::string part;
      while (std::getline(s, part, '|')) f.push_back(part);
      out.push_back("hexdump pos=" + std::to_string(std::stoull(trim(f[0]), nullptr, 16)) +
                    " timestamp=" + std::to_string(le_bytes(f[1])) +
                    " type=" + std::to_string(le_bytes(f[2])) + " server_id=" +
                    std::to_string(le_bytes(f[3])) + " size=" + std::to_string(le_bytes(f[4])) +
                    " end_log_pos=" + std::to_string(le_bytes(f[5])) +
                    " flags=" + std::to_string(le_bytes(f[6])));
    } else if (line.rfind('#', 0) == 0) {
      // "# Position", the hexdump's column names and its rows of body bytes: the file's own bytes.
    } else if (line == "ROLLBACK/*!*/;") {
      out.emplace_back("rollback (start event)");
    } else if (line == "COMMIT/*!*/;") {
      out.emplace_back("commit (xid)");
    } else if (line.rfind("use `", 0) == 0) {
      out.push_back("use " + line.substr(5, line.find('`', 5) - 5));
    } else if (line.rfind("SET TIMESTAMP=", 0) == 0) {
      timestamp = line.substr(14, line.find('/') - 14);
    } else if (line.rfind("SET INSERT_ID=", 0) == 0 || line.rfind("SET LAST_INSERT_ID=", 0) == 0) {
      out.push_back("intvar " + line.substr(4, line.find('/') - 4));
    } else if (line.rfind("SET @@RAND_SEED1=", 0) == 0) {
      out.push_back("rand " + line.substr(4, line.find('/') - 4));
    } else if (line.rfind("SET @`", 0) == 0) {
      out.push_back("user_var " + line.substr(6, line.find('`', 6) - 6));
    } else if (line.rfind("SET @@session.", 0) == 0 || line.rfind("/*!", 0) == 0) {
      // Session settings mysqlbinlog repeats before statements: cosmetic.
    } else if (line == "BINLOG '") {
      in_base64 = true;  // the event re-encoded in base64
    } else if (line.rfind("###", 0) == 0) {
      out.push_back("row " + line);
    } else {
      text = line;
      in_text = true;
    }
  }
  for (const std::string& e : block.errors) {
    // "ERROR: Error in Log_event::read_log_event(): '...', data_len: 401, event_type: 162"
    // "ERROR: Could not read entry at offset 256: Error in log format or read error."
    if (auto at = e.find("data_len: "); at != std::string::npos) {
      const auto type = e.find("event_type: ");
      out.push_back("failed event size=" + e.substr(at + 10, e.find(',', at) - at - 10) +
                    " type=" + e.substr(type + 12));
    } else if (auto off = e.find("at offset "); off != std::string::npos) {
      out.push_back("failed at " + e.substr(off + 10, e.find(':', off) - off - 10));
    }
  }
  return out;
}

}  // namespace twinlog::corpus::mysqlbinlog_results
