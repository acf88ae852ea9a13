// A check command (`twinlog loops`, `autoinc`, `diff`, ...) run against a live
// sandbox pair or a capture of one, its JSON-lines findings normalized so that
// the live run and the capture's compare equal.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"

namespace twinlog::live {

struct Output {
  std::vector<nlohmann::json> findings;
  int code = -1;
  std::string err;
};

// Runs `twinlog COMMAND --format jsonl ARGS` and keeps its findings with each
// evidence normalized: no time (a live read and a capture read at different
// moments), the file without its directory (a live master names the file
// alone, a capture its path) and no option file path (the sandbox's
// a/master.cnf is the capture's master-a.cnf; the line number stays).
inline Output run_check(const std::string& command, const std::string& args) {
  namespace fs = std::filesystem;
  auto r = testing::run_twinlog(command + " --format jsonl " + args);
  Output out;
  out.code = r.code;
  out.err = r.err;
  EXPECT_TRUE(r.code == 0 || r.code == 1) << command << ": " << r.err;
  std::istringstream in(r.out);
  std::string line;
  const std::regex cnf_path(R"([^ ,]*\.cnf)");
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    for (auto& e : j["evidence"]) {
      e.erase("time");
      if (e.contains("file")) e["file"] = fs::path(e["file"].get<std::string>()).filename();
      if (e.contains("option_source")) {
        e["option_source"] =
            std::regex_replace(e["option_source"].get<std::string>(), cnf_path, "CNF");
      }
    }
    out.findings.push_back(std::move(j));
  }
  return out;
}

inline std::vector<nlohmann::json> with_code(const Output& out, const std::string& code) {
  std::vector<nlohmann::json> found;
  for (const auto& f : out.findings) {
    if (f["code"] == code) found.push_back(f);
  }
  return found;
}

inline std::string dump(const Output& out) {
  std::string s;
  for (const auto& f : out.findings) s += f.dump() + "\n";
  return s + out.err;
}

// The live options of a sandbox pair: its cnf files and sockets.
inline std::string live_pair(const SandboxPair& pair) {
  return "--a-cnf " + shell_quote(trim(pair.sandbox_or_throw("cnf A"))) + " --b-cnf " +
         shell_quote(trim(pair.sandbox_or_throw("cnf B"))) + " --a " +
         shell_quote(pair.socket('A')) + " --b " + shell_quote(pair.socket('B')) +
         " --user root --no-defaults";
}

// The offline options of a capture (tools/sandbox capture DIR).
inline std::string captured_pair(const std::string& capture) {
  namespace fs = std::filesystem;
  auto files = [&](const std::string& side) {
    std::vector<std::string> names;
    const fs::path dir = fs::path(capture) / side;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (std::regex_match(name, std::regex(R"(.*-bin\.[0-9]+)"))) {
        names.push_back(entry.path().string());
      }
    }
    std::sort(names.begin(), names.end());
    std::string list;
    for (const auto& n : names) list += " " + shell_quote(n);
    return list;
  };
  return "--a-cnf " + shell_quote(capture + "/master-a.cnf") + " --b-cnf " +
         shell_quote(capture + "/master-b.cnf") + " --a-binlogs" + files("a") + " --b-binlogs" +
         files("b");
}

}  // namespace twinlog::live
