// Runs the twinlog binary the way a user does, capturing stdout, stderr and the
// exit code.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace twinlog::testing {

struct CliRun {
  int code = -1;
  std::string out, err;
};

// `args` go through /bin/sh; `stdin_file`, when given, is the standard input.
inline CliRun run_twinlog(const std::string& args, const std::string& stdin_file = "") {
  namespace fs = std::filesystem;
  static int serial = 0;
  const fs::path err_file =
      fs::temp_directory_path() /
      ("twinlog-cli-" + std::to_string(::getpid()) + "-" + std::to_string(++serial) + ".err");
  std::string cmd = std::string(TWINLOG_BINARY) + " " + args + " 2>" + err_file.string();
  if (!stdin_file.empty()) cmd += " <" + stdin_file;
  CliRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 65536> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_file);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  fs::remove(err_file);
  return r;
}

}  // namespace twinlog::testing
