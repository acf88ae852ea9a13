// The workload's values: a seeded generator of SQL literals for every column
// type of workload_tables.h (edge values, NULL about one time in ten), so that
// the same seed writes the same statements.
#pragma once

#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace twinlog::workload {

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

}  // namespace twinlog::workload
