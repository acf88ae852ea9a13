#include "src/report/metrics.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <system_error>
#include <utility>

namespace twinlog::report {
namespace {

// A label value: backslash, double quote and newline escaped, as the format asks.
std::string label_value(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Shortest text that reads back as the same double (%.17g would print 0.1 as
// 0.10000000000000001).
std::string number(double v) {
  char buf[40];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void metric(const char* name, const char* help) {
    name_ = name;
    out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out_.append("# TYPE ").append(name).append(" gauge\n");
  }
  void sample(const std::vector<std::pair<const char*, std::string>>& labels, double value) {
    out_ += name_;
    if (!labels.empty()) {
      out_.push_back('{');
      for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i) out_.push_back(',');
        out_.append(labels[i].first).append("=\"").append(label_value(labels[i].second));
        out_.push_back('"');
      }
      out_.push_back('}');
    }
    out_.append(" ").append(number(value)).append("\n");
  }

 private:
  std::string& out_;
  const char* name_ = "";
};

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::system_error(errno, std::generic_category(), what + " " + path);
}

}  // namespace

std::string render_metrics(const RunMetrics& run) {
  std::string out;
  Writer w(out);
  const auto& cmd = run.command;
  std::map<std::pair<std::string, Severity>, uint64_t> by_code;
  for (const auto& f : run.findings) ++by_code[{f.code, f.severity}];
  w.metric("twinlog_findings", "Findings of the last run, by code and severity.");
  for (const auto& [key, count] : by_code) {
    w.sample({{"command", cmd},
              {"code", key.first},
              {"severity", std::string(severity_name(key.second))}},
             static_cast<double>(count));
  }
  const Summary sum = summarize(run.findings);
  w.metric("twinlog_findings_by_severity", "Findings of the last run, by severity.");
  w.sample({{"command", cmd}, {"severity", "error"}}, static_cast<double>(sum.error));
  w.sample({{"command", cmd}, {"severity", "warning"}}, static_cast<double>(sum.warning));
  w.sample({{"command", cmd}, {"severity", "info"}}, static_cast<double>(sum.info));
  if (!run.replication.empty()) {
    w.metric("twinlog_replication_running",
             "1 when the server's replica channel from its peer has both threads running.");
    for (const auto& r : run.replication) {
      w.sample({{"command", cmd}, {"server", r.server}}, r.running ? 1 : 0);
    }
    bool any_lag = false;
    for (const auto& r : run.replication) any_lag = any_lag || r.lag_seconds.has_value();
    if (any_lag) {
      w.metric("twinlog_replication_lag_seconds",
               "Seconds_Behind_Master of the server's channel from its peer.");
      for (const auto& r : run.replication) {
        if (r.lag_seconds) {
          w.sample({{"command", cmd}, {"server", r.server}}, static_cast<double>(*r.lag_seconds));
        }
      }
    }
  }
  w.metric("twinlog_last_run_timestamp_seconds", "When the last run started, in Unix time.");
  w.sample({{"command", cmd}}, run.started);
  w.metric("twinlog_run_duration_seconds", "How long the last run took.");
  w.sample({{"command", cmd}}, run.duration);
  w.metric("twinlog_run_success", "1 when the last run completed, 0 when an error stopped it.");
  w.sample({{"command", cmd}}, run.success ? 1 : 0);
  if (run.rows_checked) {
    w.metric("twinlog_rows_checked", "Rows the last run checked.");
    w.sample({{"command", cmd}}, static_cast<double>(*run.rows_checked));
  }
  if (run.bytes_checked) {
    w.metric("twinlog_bytes_checked", "Binlog bytes the last run read.");
    w.sample({{"command", cmd}}, static_cast<double>(*run.bytes_checked));
  }
  return out;
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create", temporary);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      errno = saved;
      fail("cannot write", temporary);
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const int sync_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed) {
    const int saved = synced ? errno : sync_errno;
    ::unlink(temporary.c_str());
    errno = saved;
    fail("cannot write", temporary);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temporary.c_str());
    errno = saved;
    fail("cannot rename " + temporary + " to", path);
  }
}

}  // namespace twinlog::report
