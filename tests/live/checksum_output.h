// `twinlog checksum --format jsonl` run against a sandbox pair: its findings as
// "code message" lines (for set comparisons) and as JSON, its exit code and
// stderr.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"

namespace twinlog::live {

struct ChecksumOutput {
  std::set<std::string> findings;
  std::vector<nlohmann::json> json;
  int code = -1;
  std::string err;
};

inline std::string checksum_pair_args(const SandboxPair& pair) {
  return "--a " + shell_quote(pair.socket('A')) + " --b " + shell_quote(pair.socket('B')) +
         " --user root --no-defaults";
}

inline ChecksumOutput run_checksum(const SandboxPair& pair, const std::string& extra = "") {
  auto r =
      testing::run_twinlog("checksum --format jsonl " + checksum_pair_args(pair) + " " + extra);
  ChecksumOutput out;
  out.code = r.code;
  out.err = r.err;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    out.findings.insert(j["code"].get<std::string>() + " " + j["message"].get<std::string>());
    out.json.push_back(std::move(j));
  }
  return out;
}

inline std::string dump(const ChecksumOutput& r) {
  std::string s;
  for (const auto& f : r.findings) s += f + "\n";
  return s + r.err;
}

}  // namespace twinlog::live
