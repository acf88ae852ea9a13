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

// A directory of this test process's own in the temporary directory, removed when
// the process ends. ctest runs two tests at a time, each in its own process: files
// named alike by two tests must not be written, read and removed by both at once.
inline const std::filesystem::path& process_temp_dir() {
  struct Dir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("twinlog-tmp-" + std::to_string(::getpid()));
    Dir() { std::filesystem::create_directories(path); }
    ~Dir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path;
}

// The path of a file named `name` in this process's temporary directory.
inline std::string temp_path(const std::string& name) {
  return (process_temp_dir() / name).string();
}

struct CliRun {
  int code = -1;
  std::string out, err;
};

// Runs `command` through /bin/sh; `stdin_file`, when given, is the standard input.
inline CliRun run_shell(const std::string& command, const std::string& stdin_file = "") {
  static int serial = 0;
  const std::string err_file = temp_path("twinlog-cli-" + std::to_string(++serial) + ".err");
  std::string cmd = command + " 2>" + err_file;
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
  std::filesystem::remove(err_file);
  return r;
}

#ifdef TWINLOG_BINARY
// `args` go through /bin/sh; `stdin_file`, when given, is the standard input.
inline CliRun run_twinlog(const std::string& args, const std::string& stdin_file = "") {
  return run_shell(std::string(TWINLOG_BINARY) + " " + args, stdin_file);
}
#endif

#ifdef TWINLOG_SAMPLES_DIR
// A captured scenario of samples/scenarios as a check command takes it: its cnf
// files and both masters' binlogs.
inline std::string scenario_pair_args(const std::string& scenario) {
  const std::string d = std::string(TWINLOG_SAMPLES_DIR) + "/scenarios/" + scenario + "/";
  std::string args = "--a-cnf ";
  args.append(d).append("master-a.cnf --b-cnf ").append(d).append("master-b.cnf ");
  args.append(d).append("a/mysql-bin.000001 --b-binlogs ").append(d).append("b/mysql-bin.000001");
  return args;
}
#endif

// Writes `text` to a file of this process's temporary directory and returns its path.
inline std::string write_temp_file(const std::string& name, const std::string& text) {
  std::string path = temp_path(name);
  std::ofstream(path) << text;
  return path;
}

}  // namespace twinlog::testing
