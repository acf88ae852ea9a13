// checksum_methods: how fast each way of checksumming one table reads it, on one
// master and on both at once, against a running sandbox pair (127.0.0.1). It
// decides how `twinlog checksum` fetches (bench/RESULTS.md, checksum section).
//
// Every method yields, per server, a digest that must be equal on A and B when
// the table is: the methods are checked against each other as they are timed.
// Server CPU is both mariadbd processes' utime + stime from /proc/PID/stat.
#include <mysql.h>
#include <sys/resource.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
  unsigned port_a = 0;
  unsigned port_b = 0;
  int pid_a = 0;
  int pid_b = 0;
  std::string user = "root";
  std::string table = "test.checksum_big";
  std::string only;
  bool both_only = false;
};

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "checksum_methods: " << what << "\n";
  std::exit(1);
}

MYSQL* connect(const Options& o, unsigned port) {
  MYSQL* m = mysql_init(nullptr);
  if (m == nullptr || mysql_real_connect(m, "127.0.0.1", o.user.c_str(), nullptr, nullptr, port,
                                         nullptr, 0) == nullptr) {
    fail("connect to port " + std::to_string(port) + ": " + (m ? mysql_error(m) : "no memory"));
  }
  return m;
}

void exec(MYSQL* m, const std::string& sql) {
  if (mysql_real_query(m, sql.data(), sql.size()) != 0) {
    fail(sql + ": " + mysql_error(m));
  }
}

// The first row of a query's result, its fields joined by spaces.
std::string first_row(MYSQL* m, const std::string& sql) {
  exec(m, sql);
  MYSQL_RES* r = mysql_store_result(m);
  if (r == nullptr) {
    fail(sql + ": no result");
  }
  std::string out;
  if (MYSQL_ROW row = mysql_fetch_row(r)) {
    for (unsigned i = 0; i < mysql_num_fields(r); ++i) {
      out.append(i ? " " : "").append(row[i] ? row[i] : "NULL");
    }
  }
  mysql_free_result(r);
  return out;
}

struct Column {
  std::string name;
  bool nullable = false;
};

struct Table {
  std::string name;
  std::string key;
  std::vector<Column> columns;
  std::uint64_t min_key = 0;
  std::uint64_t max_key = 0;

  std::string column_list() const {
    std::string s;
    for (const auto& c : columns) {
      s += (s.empty() ? "`" : ", `") + c.name + "`";
    }
    return s;
  }

  // pt-table-checksum's row string: CONCAT_WS skips NULLs, so the nullable
  // columns' ISNULL flags are appended to tell NULL from ''.
  std::string row_string() const {
    std::string flags;
    for (const auto& c : columns) {
      if (c.nullable) {
        flags += (flags.empty() ? "ISNULL(`" : ", ISNULL(`") + c.name + "`)";
      }
    }
    return "CONCAT_WS('#', " + column_list() + (flags.empty() ? "" : ", CONCAT(" + flags + ")") +
           ")";
  }
};

Table describe(MYSQL* m, const std::string& name) {
  Table t;
  t.name = name;
  auto dot = name.find('.');
  std::string db = name.substr(0, dot);
  std::string tbl = name.substr(dot + 1);
  exec(m,
       "SELECT COLUMN_NAME, IS_NULLABLE, COLUMN_KEY FROM information_schema.COLUMNS WHERE "
       "TABLE_SCHEMA = '" +
           db + "' AND TABLE_NAME = '" + tbl + "' ORDER BY ORDINAL_POSITION");
  MYSQL_RES* r = mysql_store_result(m);
  while (MYSQL_ROW row = mysql_fetch_row(r)) {
    t.columns.push_back({row[0], std::strcmp(row[1], "YES") == 0});
    if (std::strcmp(row[2], "PRI") == 0 && t.key.empty()) {
      t.key = row[0];
    }
  }
  mysql_free_result(r);
  if (t.columns.empty() || t.key.empty()) {
    fail(name + ": no such table, or no primary key");
  }
  std::istringstream bounds(
      first_row(m, "SELECT MIN(`" + t.key + "`), MAX(`" + t.key + "`) FROM " + name));
  bounds >> t.min_key >> t.max_key;
  return t;
}

double server_cpu(const Options& o) {
  double total = 0;
  for (int pid : {o.pid_a, o.pid_b}) {
    if (pid == 0) {
      continue;
    }
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream rest(s.substr(s.rfind(')') + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    }
    total += static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return total;
}

double client_cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

// One chunk's digest: the row count and the sum (mod 2^64) of the rows' hashes
// for the client-side methods; the server's answer, as text, for the others.
struct Digest {
  std::uint64_t rows = 0;
  std::uint64_t sum = 0;
  std::string text;
};

// Hashes one row of fields: per field a NULL flag, then the length and bytes,
// so NULL, '' and adjacent fields cannot run into each other.
class RowHasher {
 public:
  void begin() { buf_.clear(); }
  void null_field() { buf_.push_back('\0'); }
  void field(const void* data, std::uint32_t len) {
    buf_.push_back('\1');
    buf_.append(reinterpret_cast<const char*>(&len), sizeof len);
    buf_.append(static_cast<const char*>(data), len);
  }
  std::uint64_t end() const { return XXH3_64bits(buf_.data(), buf_.size()); }

 private:
  std::string buf_;
};

enum class Kind {
  count,
  checksum_table,
  crc32_xor,
  md5_sum,
  crc_product_sum,
  crc_product_once,
  text,
  binary
};

struct Method {
  std::string name;
  Kind kind;
  std::uint64_t chunk_rows;  // 0: the whole table in one statement
  int connections;           // per server
};

std::string range_where(const Table& t, std::uint64_t lo, std::uint64_t hi) {
  return " WHERE `" + t.key + "` >= " + std::to_string(lo) + " AND `" + t.key + "` < " +
         std::to_string(hi);
}

Digest run_text(MYSQL* m, const std::string& sql) {
  exec(m, sql);
  MYSQL_RES* r = mysql_use_result(m);
  if (r == nullptr) {
    fail(sql + ": " + mysql_error(m));
  }
  unsigned n = mysql_num_fields(r);
  Digest d;
  RowHasher h;
  while (MYSQL_ROW row = mysql_fetch_row(r)) {
    unsigned long* len = mysql_fetch_lengths(r);
    h.begin();
    for (unsigned i = 0; i < n; ++i) {
      if (row[i] == nullptr) {
        h.null_field();
      } else {
        h.field(row[i], static_cast<std::uint32_t>(len[i]));
      }
    }
    d.sum += h.end();
    ++d.rows;
  }
  if (mysql_errno(m) != 0) {
    fail(sql + ": " + mysql_error(m));
  }
  mysql_free_result(r);
  return d;
}

// The binary protocol: numbers and temporals arrive in their binary form
// (DOUBLE as its 8 bytes, DATETIME as MYSQL_TIME) and are hashed as they are;
// everything else (strings, DECIMAL, BLOB, JSON, BIT) as its bytes.
Digest run_binary(MYSQL* m, const std::string& sql) {
  MYSQL_STMT* st = mysql_stmt_init(m);
  if (mysql_stmt_prepare(st, sql.data(), sql.size()) != 0 || mysql_stmt_execute(st) != 0) {
    fail(sql + ": " + mysql_stmt_error(st));
  }
  MYSQL_RES* meta = mysql_stmt_result_metadata(st);
  unsigned n = mysql_num_fields(meta);
  MYSQL_FIELD* fields = mysql_fetch_fields(meta);
  std::vector<MYSQL_BIND> bind(n);
  std::vector<std::vector<char>> store(n);
  std::vector<unsigned long> length(n);
  std::vector<my_bool> is_null(n);
  std::vector<bool> fixed(n);
  for (unsigned i = 0; i < n; ++i) {
    std::memset(&bind[i], 0, sizeof bind[i]);
    switch (fields[i].type) {
      case MYSQL_TYPE_TINY:
      case MYSQL_TYPE_SHORT:
      case MYSQL_TYPE_INT24:
      case MYSQL_TYPE_LONG:
      case MYSQL_TYPE_LONGLONG:
      case MYSQL_TYPE_FLOAT:
      case MYSQL_TYPE_DOUBLE:
      case MYSQL_TYPE_YEAR:
        bind[i].buffer_type = fields[i].type == MYSQL_TYPE_INT24 ? MYSQL_TYPE_LONG : fields[i].type;
        store[i].assign(8, 0);
        fixed[i] = true;
        break;
      case MYSQL_TYPE_DATE:
      case MYSQL_TYPE_TIME:
      case MYSQL_TYPE_DATETIME:
      case MYSQL_TYPE_TIMESTAMP:
        bind[i].buffer_type = fields[i].type;
        store[i].assign(sizeof(MYSQL_TIME), 0);  // zeroed once: the padding stays 0
        fixed[i] = true;
        break;
      default:
        bind[i].buffer_type = MYSQL_TYPE_STRING;
        store[i].assign(std::min<unsigned long>(fields[i].length, 1 << 20) + 1, 0);
        fixed[i] = false;
    }
    bind[i].buffer = store[i].data();
    bind[i].buffer_length = store[i].size();
    bind[i].length = &length[i];
    bind[i].is_null = &is_null[i];
  }
  if (mysql_stmt_bind_result(st, bind.data()) != 0) {
    fail(sql + ": " + mysql_stmt_error(st));
  }
  Digest d;
  RowHasher h;
  std::vector<char> big;
  for (;;) {
    int rc = mysql_stmt_fetch(st);
    if (rc == MYSQL_NO_DATA) {
      break;
    }
    if (rc == 1) {
      fail(sql + ": " + mysql_stmt_error(st));
    }
    h.begin();
    for (unsigned i = 0; i < n; ++i) {
      if (is_null[i]) {
        h.null_field();
      } else if (fixed[i]) {
        h.field(store[i].data(), static_cast<std::uint32_t>(store[i].size()));
      } else if (length[i] < store[i].size()) {
        h.field(store[i].data(), static_cast<std::uint32_t>(length[i]));
      } else {  // truncated: fetch the whole value
        big.resize(length[i]);
        MYSQL_BIND whole{};
        whole.buffer_type = MYSQL_TYPE_STRING;
        whole.buffer = big.data();
        whole.buffer_length = big.size();
        mysql_stmt_fetch_column(st, &whole, i, 0);
        h.field(big.data(), static_cast<std::uint32_t>(big.size()));
      }
    }
    d.sum += h.end();
    ++d.rows;
  }
  mysql_free_result(meta);
  mysql_stmt_close(st);
  return d;
}

Digest run_chunk(MYSQL* m, const Table& t, Kind kind, const std::string& where) {
  std::string s = t.row_string();
  switch (kind) {
    case Kind::count:
      return {0, 0, first_row(m, "SELECT COUNT(*) FROM " + t.name + where)};
    case Kind::checksum_table:
      return {0, 0, first_row(m, "CHECKSUM TABLE " + t.name)};
    case Kind::crc32_xor:
      return {0, 0,
              first_row(m, "SELECT COUNT(*), BIT_XOR(CRC32(" + s + ")) FROM " + t.name + where)};
    case Kind::md5_sum:
      return {0, 0,
              first_row(m, "SELECT COUNT(*), SUM(CAST(CONV(LEFT(MD5(" + s +
                               "), 16), 16, 10) AS UNSIGNED)) % 18446744073709551616 FROM " +
                               t.name + where)};
    case Kind::crc_product_sum:
      return {0, 0,
              first_row(m, "SELECT COUNT(*), SUM(CRC32(" + s + ") * CRC32C(" + s + ")) FROM " +
                               t.name + where)};
    case Kind::crc_product_once:  // the row string built once, kept in a user variable
      return {0, 0,
              first_row(m, "SELECT COUNT(*), SUM(CRC32(@s := " + s + ") * CRC32C(@s)) FROM " +
                               t.name + where)};
    case Kind::text:
      return run_text(m, "SELECT " + t.column_list() + " FROM " + t.name + where);
    case Kind::binary:
      return run_binary(m, "SELECT " + t.column_list() + " FROM " + t.name + where);
  }
  return {};
}

// Reads the table on one server with `connections` threads sharing its chunks;
// the digest of the whole: the chunk digests summed, or their texts in order.
struct ServerRun {
  Digest total;
  std::vector<std::string> texts;
};

void run_server(const Options& o, unsigned port, const Table& t, const Method& method,
                ServerRun& out) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> chunks;
  if (method.chunk_rows == 0 || method.kind == Kind::checksum_table) {
    chunks.emplace_back(0, 0);
  } else {
    for (std::uint64_t lo = t.min_key; lo <= t.max_key; lo += method.chunk_rows) {
      chunks.emplace_back(lo, lo + method.chunk_rows);
    }
  }
  out.texts.assign(chunks.size(), {});
  std::vector<Digest> digests(chunks.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(method.connections));
  for (int c = 0; c < method.connections; ++c) {
    threads.emplace_back([&] {
      MYSQL* m = connect(o, port);
      for (std::size_t i = next++; i < chunks.size(); i = next++) {
        std::string where =
            chunks[i].second == 0 ? "" : range_where(t, chunks[i].first, chunks[i].second);
        digests[i] = run_chunk(m, t, method.kind, where);
      }
      mysql_close(m);
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t i = 0; i < digests.size(); ++i) {
    out.total.rows += digests[i].rows;
    out.total.sum += digests[i].sum;
    out.texts[i] = digests[i].text;
  }
}

std::string describe_digest(const ServerRun& r) {
  if (r.texts.size() == 1 && !r.texts[0].empty()) {
    return r.texts[0];
  }
  if (!r.texts.empty() && !r.texts[0].empty()) {
    std::string all;
    for (const auto& s : r.texts) all += s + ";";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%zu chunks, xxh3 %016llx", r.texts.size(),
                  static_cast<unsigned long long>(XXH3_64bits(all.data(), all.size())));
    return buf;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%llu rows, sum %016llx",
                static_cast<unsigned long long>(r.total.rows),
                static_cast<unsigned long long>(r.total.sum));
  return buf;
}

void measure(const Options& o, const Table& t, const Method& method, bool both) {
  ServerRun a;
  ServerRun b;
  double cpu0 = server_cpu(o);
  double ccpu0 = client_cpu();
  auto t0 = std::chrono::steady_clock::now();
  std::thread other;
  if (both) {
    other = std::thread([&] { run_server(o, o.port_b, t, method, b); });
  }
  run_server(o, o.port_a, t, method, a);
  if (both) other.join();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = server_cpu(o) - cpu0;
  double ccpu = client_cpu() - ccpu0;
  std::string da = describe_digest(a);
  std::string verdict =
      both ? (da == describe_digest(b) ? "A=B" : "A!=B: " + describe_digest(b)) : "";
  std::printf("%-26s %-4s %8.2f %10.2f %10.2f  %s %s\n", method.name.c_str(), both ? "A+B" : "A",
              wall, cpu, ccpu, da.c_str(), verdict.c_str());
  std::fflush(stdout);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--port-a")
      o.port_a = std::stoul(value());
    else if (arg == "--port-b")
      o.port_b = std::stoul(value());
    else if (arg == "--pid-a")
      o.pid_a = std::stoi(value());
    else if (arg == "--pid-b")
      o.pid_b = std::stoi(value());
    else if (arg == "--user")
      o.user = value();
    else if (arg == "--table")
      o.table = value();
    else if (arg == "--only")
      o.only = value();
    else if (arg == "--both-only")
      o.both_only = true;
    else {
      std::cout << "Usage: checksum_methods --port-a P --port-b P [--pid-a PID --pid-b PID]\n"
                   "  [--table DB.T] [--user U] [--only SUBSTRING[,SUBSTRING]] [--both-only]\n";
      std::exit(arg == "--help" ? 0 : 2);
    }
  }
  if (o.port_a == 0 || o.port_b == 0) fail("--port-a and --port-b are needed (see --help)");
  return o;
}

bool selected(const Options& o, const std::string& name) {
  if (o.only.empty()) return true;
  std::istringstream parts(o.only);
  for (std::string part; std::getline(parts, part, ',');) {
    if (name.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  mysql_library_init(0, nullptr, nullptr);
  MYSQL* m = connect(o, o.port_a);
  Table t = describe(m, o.table);
  std::string rows = first_row(m, "SELECT COUNT(*) FROM " + t.name);
  mysql_close(m);
  const std::vector<Method> methods = {
      {"count", Kind::count, 0, 1},
      {"checksum_table", Kind::checksum_table, 0, 1},
      {"srv_crc32_xor (pt)", Kind::crc32_xor, 0, 1},
      {"srv_crc32_xor/100k", Kind::crc32_xor, 100000, 1},
      {"srv_md5_sum", Kind::md5_sum, 0, 1},
      {"srv_crc_product_sum", Kind::crc_product_sum, 0, 1},
      {"srv_crc_product_sum/100k", Kind::crc_product_sum, 100000, 1},
      {"srv_crc_product_once", Kind::crc_product_once, 0, 1},
      {"cli_text", Kind::text, 0, 1},
      {"cli_text/500k", Kind::text, 500000, 1},
      {"cli_text/100k", Kind::text, 100000, 1},
      {"cli_text/500k x2", Kind::text, 500000, 2},
      {"cli_binary", Kind::binary, 0, 1},
      {"cli_binary/500k", Kind::binary, 500000, 1},
      {"cli_binary/100k", Kind::binary, 100000, 1},
      {"cli_binary/500k x2", Kind::binary, 500000, 2},
  };
  std::printf("table %s: %s rows, key %s %llu..%llu; %u cores, load %s\n", t.name.c_str(),
              rows.c_str(), t.key.c_str(), static_cast<unsigned long long>(t.min_key),
              static_cast<unsigned long long>(t.max_key), std::thread::hardware_concurrency(),
              [] {
                std::ifstream in("/proc/loadavg");
                std::string s;
                std::getline(in, s);
                return s;
              }()
                  .c_str());
  std::printf("%-26s %-4s %8s %10s %10s  %s\n", "method", "on", "wall_s", "server_cpu",
              "client_cpu", "digest");
  for (const auto& method : methods) {
    if (!selected(o, method.name)) continue;
    if (!o.both_only) measure(o, t, method, false);
    measure(o, t, method, true);
  }
  mysql_library_end();
  return 0;
}
