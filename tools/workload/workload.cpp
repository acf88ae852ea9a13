// twinlog-workload: a deterministic, seeded write workload for a real
// master-master pair (tools/sandbox).
//
// It creates tables in `test` covering every column type MariaDB can binlog,
// then either runs --transactions N multi-statement transactions of INSERT /
// UPDATE / DELETE through both masters, or grows A's binlog to --target-bytes
// with big multi-row INSERTs on A.
//
// Rows carry explicit ids in the writing master's auto-increment class
// (id mod auto_increment_increment == auto_increment_offset), and a master
// updates and deletes only its own rows, so a healthy pair ends identical on
// both sides. The auto-increment table (wl_autoinc) is insert-only for the
// same reason. Statements read from a second database (wl_ref, created alike
// on each master and never logged) to cross databases.

#include <mysql.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

struct Endpoint {
  std::string host = "127.0.0.1";
  unsigned port = 0;
  std::string socket;
};

struct Options {
  Endpoint a;
  Endpoint b;
  bool have_b = false;
  std::string user = "root";
  std::string password;
  std::string database = "test";
  std::uint64_t seed = 1;
  long transactions = -1;
  std::uint64_t target_bytes = 0;
  int connections = 2;
  int batch_rows = 400;
  std::string binlog_format;
  bool reset = false;
  bool quiet = false;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "twinlog-workload: " << message << " (see --help)\n";
  std::exit(2);
}

void print_help() {
  std::cout << R"(Usage: twinlog-workload [OPTIONS] (--transactions N | --target-bytes N)

Writes a deterministic, seeded workload through a master-master pair.

Servers:
  --sandbox DIR        take A's and B's sockets from a tools/sandbox directory
  --host-a H --port-a P | --socket-a PATH     master A
  --host-b H --port-b P | --socket-b PATH     master B (optional; without it
                                               every write goes to A)
  --user U             (default root)  password from MYSQL_PWD or --password
  --database DB        (default test)

Work:
  --seed N             random seed (default 1): same seed, same statements
  --transactions N     N transactions of 1-6 INSERT/UPDATE/DELETE statements
                       each, on A or B chosen by the seed
  --target-bytes N     grow A's binlog files (SHOW BINARY LOGS total) to at
                       least N bytes (suffixes K, M, G) with multi-row INSERTs
                       on A; --connections K in parallel (default 2),
                       --batch-rows R rows per INSERT (default 400)
  --binlog-format F    SET SESSION binlog_format = F (ROW, STATEMENT, MIXED)
                       on every connection (default: the server's)
  --reset              drop the workload's tables first (on A, replicated)
  --quiet              no progress lines
)";
}

std::uint64_t parse_size(const std::string& s) {
  if (s.empty()) {
    usage_error("empty size");
  }
  std::uint64_t mult = 1;
  std::string digits = s;
  char last = static_cast<char>(std::toupper(static_cast<unsigned char>(s.back())));
  if (last == 'K' || last == 'M' || last == 'G') {
    mult = last == 'K' ? 1024ULL : last == 'M' ? 1024ULL * 1024 : 1024ULL * 1024 * 1024;
    digits.pop_back();
  }
  try {
    return std::stoull(digits) * mult;
  } catch (const std::exception&) {
    usage_error("bad size '" + s + "'");
  }
}

std::string read_trimmed(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

Options parse_options(int argc, char** argv) {
  Options o;
  if (const char* pw = std::getenv("MYSQL_PWD")) {
    o.password = pw;
  }
  auto need = [&](int& i) -> std::string {
    if (i + 1 >= argc) {
      usage_error(std::string(argv[i]) + " needs a value");
    }
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      print_help();
      std::exit(0);
    } else if (arg == "--sandbox") {
      std::string dir = need(i);
      o.a.socket = dir + "/a/mysqld.sock";
      o.b.socket = dir + "/b/mysqld.sock";
      o.a.host = o.b.host = "localhost";
      o.have_b = true;
      if (read_trimmed(dir + "/a/port").empty()) {
        usage_error("no sandbox in " + dir);
      }
    } else if (arg == "--host-a") {
      o.a.host = need(i);
    } else if (arg == "--port-a") {
      o.a.port = static_cast<unsigned>(std::stoul(need(i)));
    } else if (arg == "--socket-a") {
      o.a.socket = need(i);
      o.a.host = "localhost";
    } else if (arg == "--host-b") {
      o.b.host = need(i);
      o.have_b = true;
    } else if (arg == "--port-b") {
      o.b.port = static_cast<unsigned>(std::stoul(need(i)));
      o.have_b = true;
    } else if (arg == "--socket-b") {
      o.b.socket = need(i);
      o.b.host = "localhost";
      o.have_b = true;
    } else if (arg == "--user") {
      o.user = need(i);
    } else if (arg == "--password") {
      o.password = need(i);
    } else if (arg == "--database") {
      o.database = need(i);
    } else if (arg == "--seed") {
      o.seed = std::stoull(need(i));
    } else if (arg == "--transactions") {
      o.transactions = std::stol(need(i));
    } else if (arg == "--target-bytes") {
      o.target_bytes = parse_size(need(i));
    } else if (arg == "--connections") {
      o.connections = std::max(1, std::stoi(need(i)));
    } else if (arg == "--batch-rows") {
      o.batch_rows = std::max(1, std::stoi(need(i)));
    } else if (arg == "--binlog-format") {
      o.binlog_format = need(i);
    } else if (arg == "--reset") {
      o.reset = true;
    } else if (arg == "--quiet") {
      o.quiet = true;
    } else {
      usage_error("unknown option '" + arg + "'");
    }
  }
  if (o.a.port == 0 && o.a.socket.empty()) {
    usage_error("say where master A is (--sandbox, --port-a or --socket-a)");
  }
  if (o.transactions < 0 && o.target_bytes == 0) {
    usage_error("give --transactions N or --target-bytes N");
  }
  return o;
}

// ------------------------------------------------------------------ connection

class Connection {
 public:
  Connection(const Endpoint& ep, const Options& o, std::string name) : name_(std::move(name)) {
    mysql_ = mysql_init(nullptr);
    if (mysql_ == nullptr) {
      throw std::runtime_error("mysql_init failed");
    }
    unsigned timeout = 10;
    mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    const char* socket = ep.socket.empty() ? nullptr : ep.socket.c_str();
    if (mysql_real_connect(mysql_, ep.host.c_str(), o.user.c_str(), o.password.c_str(), nullptr,
                           ep.port, socket, 0) == nullptr) {
      std::string err = mysql_error(mysql_);
      mysql_close(mysql_);
      throw std::runtime_error("cannot connect to master " + name_ + ": " + err);
    }
    exec("SET SESSION time_zone = '+00:00'");
    if (!o.binlog_format.empty()) {
      exec("SET SESSION binlog_format = '" + o.binlog_format + "'");
    }
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { mysql_close(mysql_); }

  void exec(const std::string& sql) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
      std::string shown = sql.size() > 300 ? sql.substr(0, 300) + "..." : sql;
      throw std::runtime_error("master " + name_ + ": " + mysql_error(mysql_) + " in: " + shown);
    }
    if (MYSQL_RES* res = mysql_store_result(mysql_)) {
      mysql_free_result(res);
    }
  }

  // First column of every row.
  std::vector<std::string> column(const std::string& sql, int index = 0) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
      throw std::runtime_error("master " + name_ + ": " + mysql_error(mysql_) + " in: " + sql);
    }
    std::vector<std::string> out;
    MYSQL_RES* res = mysql_store_result(mysql_);
    if (res == nullptr) {
      return out;
    }
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
      out.emplace_back(row[index] != nullptr ? row[index] : "");
    }
    mysql_free_result(res);
    return out;
  }

  std::string value(const std::string& sql) {
    auto v = column(sql);
    return v.empty() ? std::string() : v.front();
  }

  const std::string& name() const { return name_; }

 private:
  MYSQL* mysql_ = nullptr;
  std::string name_;
};

// ------------------------------------------------------------------ schema

struct Column {
  std::string name;
  std::string type;
};

struct Table {
  std::string name;
  std::vector<Column> columns;  // besides the id primary key
};

std::string enum_values(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += (i ? "," : "") + std::string("'v") + std::to_string(i) + "'";
  }
  return s;
}

std::vector<Table> workload_tables() {
  std::vector<Table> t;
  t.push_back({"wl_ints",
               {{"ti", "TINYINT"},
                {"tiu", "TINYINT UNSIGNED"},
                {"si", "SMALLINT"},
                {"siu", "SMALLINT UNSIGNED"},
                {"mi", "MEDIUMINT"},
                {"miu", "MEDIUMINT UNSIGNED"},
                {"i", "INT"},
                {"iu", "INT UNSIGNED"},
                {"bi", "BIGINT"},
                {"biu", "BIGINT UNSIGNED"},
                {"bo", "BOOLEAN"}}});
  t.push_back({"wl_numeric",
               {{"d1", "DECIMAL(1,0)"},
                {"d5_2", "DECIMAL(5,2)"},
                {"d10_4", "DECIMAL(10,4)"},
                {"d18_9", "DECIMAL(18,9)"},
                {"d20_0", "DECIMAL(20,0)"},
                {"d38_10", "DECIMAL(38,10)"},
                {"d65_30", "DECIMAL(65,30)"},
                {"du", "DECIMAL(12,3) UNSIGNED"},
                {"f", "FLOAT"},
                {"db", "DOUBLE"}}});
  Table temporal{"wl_temporal", {{"d", "DATE"}, {"y", "YEAR"}}};
  for (int p = 0; p <= 6; ++p) {
    temporal.columns.push_back({"t" + std::to_string(p), "TIME(" + std::to_string(p) + ")"});
    temporal.columns.push_back({"dt" + std::to_string(p), "DATETIME(" + std::to_string(p) + ")"});
    temporal.columns.push_back(
        {"ts" + std::to_string(p), "TIMESTAMP(" + std::to_string(p) + ") NULL"});
  }
  t.push_back(temporal);
  t.push_back({"wl_strings",
               {{"c_latin", "CHAR(10) CHARACTER SET latin1"},
                {"vc_latin", "VARCHAR(300) CHARACTER SET latin1"},
                {"txt_latin", "TEXT CHARACTER SET latin1"},
                {"c_utf", "CHAR(10) CHARACTER SET utf8mb4"},
                {"vc_utf_short", "VARCHAR(60) CHARACTER SET utf8mb4"},
                {"vc_utf", "VARCHAR(300) CHARACTER SET utf8mb4"},
                {"tt_utf", "TINYTEXT CHARACTER SET utf8mb4"},
                {"txt_utf", "TEXT CHARACTER SET utf8mb4"},
                {"mt_utf", "MEDIUMTEXT CHARACTER SET utf8mb4"},
                {"lt_utf", "LONGTEXT CHARACTER SET utf8mb4"},
                {"c_bin", "CHAR(8) CHARACTER SET binary"},
                {"vc_bin", "VARCHAR(40) CHARACTER SET binary"}}});
  t.push_back({"wl_binary",
               {{"b16", "BINARY(16)"},
                {"vb", "VARBINARY(300)"},
                {"tb", "TINYBLOB"},
                {"bl", "BLOB"},
                {"mb", "MEDIUMBLOB"},
                {"lb", "LONGBLOB"}}});
  t.push_back({"wl_misc",
               {{"e", "ENUM('red','green','blue')"},
                {"e_big", "ENUM(" + enum_values(300) + ")"},
                {"st", "SET('a','b','c','d')"},
                {"st_big", "SET('s0','s1','s2','s3','s4','s5','s6','s7','s8','s9','s10')"},
                {"bit1", "BIT(1)"},
                {"bit7", "BIT(7)"},
                {"bit8", "BIT(8)"},
                {"bit17", "BIT(17)"},
                {"bit64", "BIT(64)"},
                {"j", "JSON"},
                {"g", "GEOMETRY"},
                {"p", "POINT"},
                {"ls", "LINESTRING"},
                {"u", "UUID"},
                {"ip4", "INET4"},
                {"ip6", "INET6"}}});
  return t;
}

// ------------------------------------------------------------------ values

class ValueGenerator {
 public:
  explicit ValueGenerator(std::uint64_t seed) : rng_(seed) {}

  std::uint64_t next() { return rng_(); }
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }

  // A SQL literal for a column type (NULL about one time in ten).
  std::string literal(const std::string& type, bool allow_null = true) {
    if (allow_null && chance(10)) {
      return "NULL";
    }
    const bool is_unsigned = type.find("UNSIGNED") != std::string::npos;
    auto starts = [&](std::string_view p) { return type.rfind(p, 0) == 0; };
    if (starts("TINYINT")) return int_in(is_unsigned ? 0 : -128, is_unsigned ? 255 : 127);
    if (starts("SMALLINT")) return int_in(is_unsigned ? 0 : -32768, is_unsigned ? 65535 : 32767);
    if (starts("MEDIUMINT"))
      return int_in(is_unsigned ? 0 : -8388608, is_unsigned ? 16777215 : 8388607);
    if (starts("INT"))
      return int_in(is_unsigned ? 0 : INT32_MIN, is_unsigned ? UINT32_MAX : INT32_MAX);
    if (starts("BIGINT")) {
      if (is_unsigned) return std::to_string(edge_u64());
      return std::to_string(static_cast<std::int64_t>(edge_u64()));
    }
    if (starts("BOOLEAN")) return chance(50) ? "TRUE" : "FALSE";
    if (starts("DECIMAL")) return decimal(type, is_unsigned);
    if (starts("FLOAT")) return float_literal(6);
    if (starts("DOUBLE")) return float_literal(15);
    if (starts("DATETIME")) return quote(date() + " " + clock(precision(type)));
    if (starts("DATE")) return quote(date());
    if (starts("YEAR")) return std::to_string(1901 + below(254));
    if (starts("TIME(")) return quote(time(precision(type)));
    if (starts("TIMESTAMP")) return timestamp(precision(type));
    if (starts("CHAR") || starts("VARCHAR") || type.find("TEXT") != std::string::npos) {
      return text_literal(type);
    }
    if (starts("BINARY(16)")) return hex_bytes(16);
    if (starts("VARBINARY")) return hex_bytes(below(300));
    if (starts("TINYBLOB")) return hex_bytes(below(255));
    if (starts("BLOB")) return hex_bytes(below(2000));
    if (starts("MEDIUMBLOB")) return hex_bytes(below(5000));
    if (starts("LONGBLOB")) return hex_bytes(chance(5) ? 70000 : below(3000));
    if (starts("ENUM('red'"))
      return quote(std::vector<std::string>{"red", "green", "blue"}[below(3)]);
    if (starts("ENUM(")) return quote("v" + std::to_string(below(300)));
    if (starts("SET('a'")) return quote(set_of({"a", "b", "c", "d"}));
    if (starts("SET("))
      return quote(set_of({"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10"}));
    if (starts("BIT(")) {
      int bits = precision(type);
      std::uint64_t v = next();
      if (bits < 64) v &= (1ULL << bits) - 1;
      return "b'" + binary_digits(v, bits) + "'";
    }
    if (starts("JSON")) return quote(json());
    if (starts("GEOMETRY")) return chance(50) ? point() : linestring();
    if (starts("POINT")) return point();
    if (starts("LINESTRING")) return linestring();
    if (starts("UUID")) return quote(uuid());
    if (starts("INET4")) {
      return quote(std::to_string(below(256)) + "." + std::to_string(below(256)) + "." +
                   std::to_string(below(256)) + "." + std::to_string(below(256)));
    }
    if (starts("INET6")) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "2001:db8:%x:%x::%x", static_cast<unsigned>(below(65536)),
                    static_cast<unsigned>(below(65536)), static_cast<unsigned>(below(65536)));
      return quote(buf);
    }
    throw std::logic_error("no generator for column type " + type);
  }

 private:
  static std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  }

  static int precision(const std::string& type) {
    auto open = type.find('(');
    return open == std::string::npos ? 0 : std::atoi(type.c_str() + open + 1);
  }

  std::string int_in(std::int64_t lo, std::int64_t hi) {
    // Edges more often than chance would give them.
    switch (below(8)) {
      case 0:
        return std::to_string(lo);
      case 1:
        return std::to_string(hi);
      case 2:
        return "0";
      default:
        break;
    }
    auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return std::to_string(lo + static_cast<std::int64_t>(below(span)));
  }

  std::uint64_t edge_u64() {
    switch (below(6)) {
      case 0:
        return 0;
      case 1:
        return UINT64_MAX;
      case 2:
        return 1ULL << 63;
      case 3:
        return (1ULL << 63) - 1;
      default:
        return next();
    }
  }

  std::string digits(int n, bool leading_nonzero) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      int d = static_cast<int>(below(10));
      if (i == 0 && leading_nonzero && d == 0) d = 1;
      s += static_cast<char>('0' + d);
    }
    return s;
  }

  std::string decimal(const std::string& type, bool is_unsigned) {
    int m = precision(type);
    auto comma = type.find(',');
    int d = comma == std::string::npos ? 0 : std::atoi(type.c_str() + comma + 1);
    int int_digits = m - d;
    int used =
        int_digits > 0 ? 1 + static_cast<int>(below(static_cast<std::uint64_t>(int_digits))) : 0;
    std::string s = (!is_unsigned && chance(40)) ? "-" : "";
    s += used > 0 ? digits(used, true) : "0";
    if (d > 0) s += "." + digits(d, false);
    return s;
  }

  std::string float_literal(int significant) {
    if (chance(10)) return "0";
    double mantissa = static_cast<double>(below(1000000)) / 1000.0;
    int exponent = static_cast<int>(below(20)) - 10;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", significant,
                  (chance(50) ? -1 : 1) * mantissa * std::pow(10.0, exponent));
    return buf;
  }

  std::string date() {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", 1000 + static_cast<int>(below(9000)),
                  1 + static_cast<int>(below(12)), 1 + static_cast<int>(below(28)));
    return buf;
  }

  std::string fraction(int p) {
    if (p == 0) return "";
    return "." + digits(p, false);
  }

  std::string clock(int p) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(below(24)),
                  static_cast<int>(below(60)), static_cast<int>(below(60)));
    return buf + fraction(p);
  }

  std::string time(int p) {
    // TIME spans -838:59:59 .. 838:59:59.
    char buf[24];
    std::snprintf(buf, sizeof buf, "%s%d:%02d:%02d", chance(30) ? "-" : "",
                  static_cast<int>(below(839)), static_cast<int>(below(60)),
                  static_cast<int>(below(60)));
    std::string s = buf;
    if (s == "-838:59:59" || s == "838:59:59") return s;
    return s + fraction(p);
  }

  std::string timestamp(int p) {
    // 1970-01-02 .. 2038-01-18 in UTC (the session time zone is +00:00).
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d",
                  1971 + static_cast<int>(below(66)), 1 + static_cast<int>(below(12)),
                  1 + static_cast<int>(below(28)), static_cast<int>(below(24)),
                  static_cast<int>(below(60)), static_cast<int>(below(60)));
    return quote(buf + fraction(p));
  }

  std::string text_literal(const std::string& type) {
    std::size_t max = 40;
    if (type.find("CHAR(") != std::string::npos) max = static_cast<std::size_t>(precision(type));
    if (type.rfind("TINYTEXT", 0) == 0) max = 60;
    if (type.rfind("TEXT", 0) == 0) max = 400;
    if (type.rfind("MEDIUMTEXT", 0) == 0 || type.rfind("LONGTEXT", 0) == 0)
      max = chance(3) ? 70000 : 600;
    const bool latin1 = type.find("latin1") != std::string::npos;
    const bool binary = type.find("binary") != std::string::npos;
    std::size_t len = below(max + 1);
    if (binary) return hex_bytes(std::min<std::size_t>(len, max));
    // Multi-byte text: the character count stays within the column's limit.
    static const std::vector<std::string> utf8_pieces = {"a",  "Z",  "0", " ",   "é", "ß",
                                                         "中", "文", "😀", "\\'", "ж"};
    static const std::vector<std::string> latin1_pieces = {"a", "Z", "0",   " ", "é",
                                                           "ß", "ü", "\\'", "x"};
    const auto& pieces = latin1 ? latin1_pieces : utf8_pieces;
    std::string s;
    for (std::size_t i = 0; i < len; ++i) s += pieces[below(pieces.size())];
    // latin1 columns: the literal is sent in utf8mb4 and converted by the server.
    return "'" + s + "'";
  }

  std::string hex_bytes(std::size_t n) {
    if (n == 0) return "''";
    static const char* hex = "0123456789ABCDEF";
    std::string s = "X'";
    s.reserve(n * 2 + 3);
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 8 == 0) bits = next();
      unsigned byte = static_cast<unsigned>(bits & 0xff);
      bits >>= 8;
      s += hex[byte >> 4];
      s += hex[byte & 15];
    }
    return s + "'";
  }

  std::string set_of(const std::vector<std::string>& members) {
    std::string s;
    for (const auto& m : members) {
      if (chance(40)) s += (s.empty() ? "" : ",") + m;
    }
    return s;
  }

  static std::string binary_digits(std::uint64_t v, int bits) {
    std::string s;
    for (int i = bits - 1; i >= 0; --i) s += ((v >> i) & 1) ? '1' : '0';
    return s;
  }

  std::string json() {
    switch (below(4)) {
      case 0:
        return "{\"k\": " + std::to_string(below(1000)) + ", \"s\": \"x" +
               std::to_string(next() % 97) + "\"}";
      case 1:
        return "[1, 2.5, \"three\", null, true, {\"n\": [" + std::to_string(below(50)) + "]}]";
      case 2:
        return "\"just a string\"";
      default:
        return "{\"nested\": {\"a\": {\"b\": [" + std::to_string(next() % 1000) +
               ", false]}}, \"u\": \"é中\"}";
    }
  }

  std::string coord() {
    return std::to_string(static_cast<int>(below(2000)) - 1000) + "." + digits(2, false);
  }
  std::string point() { return "ST_GeomFromText('POINT(" + coord() + " " + coord() + ")')"; }
  std::string linestring() {
    return "ST_GeomFromText('LINESTRING(" + coord() + " " + coord() + ", " + coord() + " " +
           coord() + ")')";
  }

  std::string uuid() {
    // RFC 4122 version 4 (the UUID type rejects other variants).
    char buf[40];
    std::uint64_t h = next(), l = next();
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(h >> 32),
                  static_cast<unsigned>((h >> 16) & 0xffff),
                  static_cast<unsigned>((h & 0x0fff) | 0x4000),
                  static_cast<unsigned>(((l >> 48) & 0x3fff) | 0x8000),
                  static_cast<unsigned long long>(l & 0xffffffffffffULL));
    return buf;
  }

  std::mt19937_64 rng_;
};

// ------------------------------------------------------------------ workload

struct Master {
  std::unique_ptr<Connection> conn;
  std::uint64_t increment = 1;
  std::uint64_t offset = 1;
  std::uint64_t next_k = 0;                              // ids handed out: offset + increment * k
  std::vector<std::vector<std::uint64_t>> ids_by_table;  // this master's rows, per table

  std::uint64_t new_id() { return offset + increment * next_k++; }
};

std::string insert_statement(const Table& t, ValueGenerator& gen,
                             const std::vector<std::uint64_t>& ids) {
  std::string sql = "INSERT INTO " + t.name + " (id";
  for (const auto& c : t.columns) sql += ", " + c.name;
  sql += ") VALUES ";
  for (std::size_t r = 0; r < ids.size(); ++r) {
    sql += r ? ", (" : "(";
    sql += std::to_string(ids[r]);
    for (const auto& c : t.columns) sql += ", " + gen.literal(c.type);
    sql += ")";
  }
  return sql;
}

void create_schema(Connection& a, Connection* b, const std::vector<Table>& tables,
                   const Options& o) {
  a.exec("USE " + o.database);
  if (o.reset) {
    for (const auto& t : tables) a.exec("DROP TABLE IF EXISTS " + t.name);
    a.exec("DROP TABLE IF EXISTS wl_autoinc");
  }
  for (const auto& t : tables) {
    std::string ddl =
        "CREATE TABLE IF NOT EXISTS " + t.name + " (id BIGINT UNSIGNED NOT NULL PRIMARY KEY";
    for (const auto& c : t.columns) ddl += ", " + c.name + " " + c.type;
    a.exec(ddl + ") ENGINE=InnoDB");
  }
  a.exec(
      "CREATE TABLE IF NOT EXISTS wl_autoinc (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, "
      "origin VARCHAR(8) NOT NULL, label VARCHAR(40), ref_name VARCHAR(20)) ENGINE=InnoDB");
  // wl_ref: a second database, the same on every master, never logged.
  std::vector<Connection*> all{&a};
  if (b != nullptr) all.push_back(b);
  for (Connection* c : all) {
    c->exec("SET SESSION sql_log_bin = 0");
    c->exec("CREATE DATABASE IF NOT EXISTS wl_ref");
    c->exec("CREATE TABLE IF NOT EXISTS wl_ref.names (n INT PRIMARY KEY, name VARCHAR(20))");
    c->exec(
        "INSERT IGNORE INTO wl_ref.names VALUES "
        "(0,'zero'),(1,'one'),(2,'two'),(3,'three'),(4,'four'),"
        "(5,'five'),(6,'six'),(7,'seven'),(8,'eight'),(9,'nine')");
    c->exec("SET SESSION sql_log_bin = 1");
    c->exec("USE " + o.database);
  }
  if (b == nullptr) return;
  // Wait until B has every table (created on A, replicated).
  const std::string count_sql =
      "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + o.database +
      "' AND table_name LIKE 'wl\\_%'";
  const std::string want = std::to_string(tables.size() + 1);
  for (int i = 0; i < 600; ++i) {
    if (b->value(count_sql) == want) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error(
      "the workload's tables did not reach master B within 60 s (is replication running?)");
}

void init_master(Master& m, std::size_t table_count) {
  m.increment = std::stoull(m.conn->value("SELECT @@auto_increment_increment"));
  m.offset = std::stoull(m.conn->value("SELECT @@auto_increment_offset"));
  m.ids_by_table.assign(table_count, {});
  // Continue after ids already used (a second run on the same tables).
  std::uint64_t max_id = 0;
  for (const auto& t : workload_tables()) {
    auto v =
        m.conn->value("SELECT COALESCE(MAX(id), 0) FROM " + t.name + " WHERE id % " +
                      std::to_string(m.increment) + " = " + std::to_string(m.offset % m.increment));
    max_id = std::max<std::uint64_t>(max_id, std::stoull(v));
  }
  m.next_k = max_id >= m.offset ? (max_id - m.offset) / m.increment + 1 : 0;
}

void run_transactions(std::vector<Master>& masters, const std::vector<Table>& tables,
                      const Options& o) {
  ValueGenerator gen(o.seed);
  long rows = 0;
  for (long n = 0; n < o.transactions; ++n) {
    Master& m = masters[gen.below(masters.size())];
    Connection& c = *m.conn;
    c.exec("BEGIN");
    int statements = 1 + static_cast<int>(gen.below(6));
    for (int s = 0; s < statements; ++s) {
      std::size_t ti = gen.below(tables.size());
      const Table& t = tables[ti];
      auto& ids = m.ids_by_table[ti];
      auto kind = gen.below(10);
      if (kind < 5 || ids.empty()) {
        std::vector<std::uint64_t> new_ids;
        int count = 1 + static_cast<int>(gen.below(5));
        new_ids.reserve(static_cast<std::size_t>(count));
        for (int r = 0; r < count; ++r) new_ids.push_back(m.new_id());
        c.exec(insert_statement(t, gen, new_ids));
        ids.insert(ids.end(), new_ids.begin(), new_ids.end());
        rows += count;
      } else if (kind < 8) {
        // UPDATE one or several of this master's own rows.
        const Column& col = t.columns[gen.below(t.columns.size())];
        std::uint64_t lo = ids[gen.below(ids.size())];
        std::uint64_t hi = lo + m.increment * gen.below(4);
        c.exec("UPDATE " + t.name + " SET " + col.name + " = " + gen.literal(col.type) +
               " WHERE id BETWEEN " + std::to_string(lo) + " AND " + std::to_string(hi) +
               " AND id % " + std::to_string(m.increment) + " = " +
               std::to_string(m.offset % m.increment));
      } else {
        std::size_t at = gen.below(ids.size());
        c.exec("DELETE FROM " + t.name + " WHERE id = " + std::to_string(ids[at]));
        ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(at));
      }
    }
    // A statement that reads another database and uses AUTO_INCREMENT.
    if (gen.chance(30)) {
      c.exec("INSERT INTO wl_autoinc (origin, label, ref_name) SELECT '" + c.name() + "', 'txn " +
             std::to_string(n) +
             "', name FROM wl_ref.names WHERE n = " + std::to_string(gen.below(10)));
    }
    c.exec("COMMIT");
  }
  if (!o.quiet) {
    std::cerr << "twinlog-workload: " << o.transactions << " transactions, " << rows
              << " rows inserted\n";
  }
}

std::uint64_t binlog_bytes(Connection& c) {
  std::uint64_t total = 0;
  for (const auto& v : c.column("SHOW BINARY LOGS", 1)) total += std::stoull(v);
  return total;
}

void grow_binlog(Master& a, const Endpoint& ep, const std::vector<Table>& tables,
                 const Options& o) {
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> statements{0};
  std::mutex error_mutex;
  std::string error;
  std::mutex id_mutex;
  auto started = std::chrono::steady_clock::now();

  auto worker = [&](int index) {
    try {
      Connection c(ep, o, "A");
      c.exec("USE " + o.database);
      ValueGenerator gen(o.seed * 1000003ULL + static_cast<std::uint64_t>(index));
      while (!done.load()) {
        const Table& t = tables[gen.below(tables.size())];
        std::vector<std::uint64_t> ids;
        {
          std::lock_guard lock(id_mutex);
          for (int r = 0; r < o.batch_rows; ++r) ids.push_back(a.new_id());
        }
        c.exec(insert_statement(t, gen, ids));
        ++statements;
      }
    } catch (const std::exception& e) {
      std::lock_guard lock(error_mutex);
      if (error.empty()) error = e.what();
      done = true;
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(o.connections));
  for (int i = 0; i < o.connections; ++i) threads.emplace_back(worker, i);
  std::uint64_t bytes = 0;
  auto last_report = started;
  while (!done.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    bytes = binlog_bytes(*a.conn);
    if (bytes >= o.target_bytes) done = true;
    auto now = std::chrono::steady_clock::now();
    if (!o.quiet && now - last_report > std::chrono::seconds(5)) {
      last_report = now;
      double secs = std::chrono::duration<double>(now - started).count();
      std::fprintf(stderr, "twinlog-workload: A's binlog %.1f MiB of %.1f MiB (%.1f MiB/s)\n",
                   bytes / 1048576.0, o.target_bytes / 1048576.0, bytes / 1048576.0 / secs);
    }
  }
  for (auto& t : threads) t.join();
  if (!error.empty()) throw std::runtime_error(error);
  bytes = binlog_bytes(*a.conn);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!o.quiet) {
    std::fprintf(stderr,
                 "twinlog-workload: A's binlog holds %" PRIu64 " bytes after %" PRIu64
                 " INSERTs of %d rows in %.1f s\n",
                 bytes, statements.load(), o.batch_rows, secs);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  try {
    if (mysql_library_init(0, nullptr, nullptr) != 0) {
      throw std::runtime_error("mysql_library_init failed");
    }
    auto tables = workload_tables();
    std::vector<Master> masters(1);
    masters[0].conn = std::make_unique<Connection>(o.a, o, "A");
    if (o.have_b) {
      masters.emplace_back();
      masters[1].conn = std::make_unique<Connection>(o.b, o, "B");
    }
    create_schema(*masters[0].conn, o.have_b ? masters[1].conn.get() : nullptr, tables, o);
    for (auto& m : masters) init_master(m, tables.size());
    if (o.transactions > 0) {
      run_transactions(masters, tables, o);
    }
    if (o.target_bytes > 0) {
      grow_binlog(masters[0], o.a, tables, o);
    }
    masters.clear();
    mysql_library_end();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "twinlog-workload: error: " << e.what() << "\n";
    return 2;
  }
}
