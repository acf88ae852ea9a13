// A real MariaDB pair for the live suite, driven through tools/sandbox.
//
// Each SandboxPair owns a fresh SANDBOX_DIR (mktemp -d) and destroys it in its
// destructor. The pair is also started with `--watch <this process>` and
// SANDBOX_WATCH_ACTION=destroy, so the servers stop and the directory goes even
// when the test process dies without running destructors (a crash, a ctest
// timeout, kill -9). TWINLOG_KEEP_SANDBOX=1 keeps a finished test's pair
// directory (stopped) for a look.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace twinlog::live {

// Single-quotes a string for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout only; stderr goes to the test log
};

// Runs a shell command, capturing stdout.
inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("popen failed for: " + command);
  }
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), n);
  }
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

inline std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

inline std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

inline std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Pids of mariadbd processes whose command line mentions `text`.
inline std::vector<int> mariadbd_processes_mentioning(const std::string& text) {
  std::vector<int> pids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::string cmdline = read_file_bytes(entry.path().string() + "/cmdline");
    if (cmdline.find("mariadbd") != std::string::npos && cmdline.find(text) != std::string::npos) {
      pids.push_back(std::stoi(name));
    }
  }
  return pids;
}

class SandboxPair {
 public:
  // Starts a pair with tools/sandbox start ARGS.
  static std::unique_ptr<SandboxPair> start(const std::vector<std::string>& args = {}) {
    auto pair = std::unique_ptr<SandboxPair>(new SandboxPair());
    std::string cmd = "start";
    for (const auto& a : args) {
      cmd.append(" ").append(shell_quote(a));
    }
    cmd += " --watch " + std::to_string(::getpid());
    pair->sandbox_or_throw(cmd);
    return pair;
  }

  // Runs tools/scenarios/NAME.sh on a fresh pair, which it leaves running.
  // The scenario's stdout (its summary line) is kept in summary().
  static std::unique_ptr<SandboxPair> scenario(const std::string& name,
                                               const std::string& capture_dir = {}) {
    auto pair = std::unique_ptr<SandboxPair>(new SandboxPair());
    std::string cmd =
        pair->env_prefix() + "SANDBOX_WATCH_PID=" + std::to_string(::getpid()) + " " +
        shell_quote(std::string(TWINLOG_SOURCE_DIR) + "/tools/scenarios/" + name + ".sh");
    if (!capture_dir.empty()) {
      cmd += " --capture " + shell_quote(capture_dir);
    }
    auto r = run_command(cmd);
    if (r.exit_code != 0) {
      throw std::runtime_error("scenario " + name + " failed (exit " + std::to_string(r.exit_code) +
                               "), see its messages above; output: " + r.output);
    }
    pair->summary_ = trim(r.output);
    return pair;
  }

  SandboxPair(const SandboxPair&) = delete;
  SandboxPair& operator=(const SandboxPair&) = delete;

  ~SandboxPair() {
    if (!dir_.empty()) {
      const bool keep = std::getenv("TWINLOG_KEEP_SANDBOX") != nullptr;
      run_command(env_prefix() + shell_quote(TWINLOG_SANDBOX) + (keep ? " stop" : " destroy"));
      if (keep) {
        std::fprintf(stderr, "live test: pair kept (stopped) in %s\n", dir_.c_str());
      }
    }
  }

  const std::string& dir() const { return dir_; }
  const std::string& summary() const { return summary_; }

  // tools/sandbox ARGS: stdout, or an exception naming the command.
  std::string sandbox_or_throw(const std::string& args) const {
    auto r = run_command(env_prefix() + shell_quote(TWINLOG_SANDBOX) + " " + args);
    if (r.exit_code != 0) {
      throw std::runtime_error("tools/sandbox " + args + " failed (exit " +
                               std::to_string(r.exit_code) + "), see its messages above");
    }
    return r.output;
  }

  CommandResult sandbox(const std::string& args) const {
    return run_command(env_prefix() + shell_quote(TWINLOG_SANDBOX) + " " + args);
  }

  // Runs SQL on server 'A', 'B' or 'C' and returns the `mariadb -N -B` output
  // without its trailing newline; throws on an SQL error.
  std::string sql(char server, const std::string& statement) const {
    return trim(sandbox_or_throw(std::string("sql ") + server + " " + shell_quote(statement)));
  }

  // One field of SHOW SLAVE STATUS (the default connection) on a server.
  std::string slave_field(char server, const std::string& field) const {
    auto out = sandbox_or_throw(std::string("client ") + server + " -E -e " +
                                shell_quote("SHOW SLAVE STATUS"));
    for (const auto& line : split_lines(out)) {
      auto colon = line.find(':');
      if (colon == std::string::npos) {
        continue;
      }
      auto key = line.substr(0, colon);
      key.erase(0, key.find_first_not_of(' '));
      if (key == field) {
        auto value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') {
          value.erase(0, 1);
        }
        return value;
      }
    }
    return {};
  }

  void wait_sync(int seconds = 60) const {
    sandbox_or_throw("wait-sync " + std::to_string(seconds));
  }

  std::vector<std::string> binlogs(char server) const {
    return split_lines(sandbox_or_throw(std::string("binlogs ") + server));
  }

  // All of a server's binlog files, concatenated (for byte searches).
  std::string binlog_bytes(char server) const {
    std::string all;
    for (const auto& f : binlogs(server)) {
      all += read_file_bytes(f);
    }
    return all;
  }

  // mariadb-binlog's text for all of a server's binlogs (rows decoded as SQL). The
  // files of LOAD DATA events it writes go into the sandbox's folder, not /tmp.
  std::string binlog_text(char server) const {
    const std::string load_dir = dir() + "/binlog-text-load";
    std::filesystem::create_directories(load_dir);
    std::string cmd =
        "mariadb-binlog --skip-gtid-strict-mode --base64-output=decode-rows -v --local-load=" +
        shell_quote(load_dir);
    for (const auto& f : binlogs(server)) {
      cmd.append(" ").append(shell_quote(f));
    }
    auto r = run_command(cmd + " 2>/dev/null");
    return r.output;
  }

  int port(char server) const {
    return std::stoi(trim(sandbox_or_throw(std::string("port ") + server)));
  }
  std::string socket(char server) const {
    return trim(sandbox_or_throw(std::string("socket ") + server));
  }

  // Polls until the predicate holds or the timeout passes.
  template <typename Predicate>
  bool eventually(Predicate predicate, int seconds = 30) const {
    for (int i = 0; i < seconds * 5; ++i) {
      if (predicate()) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return predicate();
  }

 private:
  SandboxPair() {
    std::string tmpl = std::filesystem::temp_directory_path().string() + "/twinlog-live.XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed for " + tmpl);
    }
    dir_ = buf.data();
  }

  std::string env_prefix() const {
    // A test process that dies leaves nothing: its watcher destroys the sandbox.
    const bool keep = std::getenv("TWINLOG_KEEP_SANDBOX") != nullptr;
    return "SANDBOX_DIR=" + shell_quote(dir_) +
           " SANDBOX_WATCH_ACTION=" + (keep ? "stop " : "destroy ");
  }

  std::string dir_;
  std::string summary_;
};

}  // namespace twinlog::live
