// twinlog-workload's command line: where masters A and B are, and what to write
// (--transactions N or --target-bytes N). A bad option prints why and exits 2.
#pragma once

#include <cstdint>
#include <string>

namespace twinlog::workload {

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

Options parse_options(int argc, char** argv);

}  // namespace twinlog::workload
