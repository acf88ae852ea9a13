#include "tools/workload/workload_options.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>

namespace twinlog::workload {
namespace {

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

}  // namespace

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

}  // namespace twinlog::workload
