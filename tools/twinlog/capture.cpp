// twinlog capture --host ... --dir DIR [--follow] [--file-compression zstd]: copies a live
// server's binlogs into DIR, one file per server file and named as the server names
// it, byte for byte (or zstd-compressed to the same bytes). Run again on the same
// DIR, it continues after the last whole event captured. SIGINT or SIGTERM ends it
// cleanly: what was received is written and fsynced, and it exits 0.
#include "src/source/capture.h"

#include <signal.h>

#include <chrono>
#include <csignal>
#include <iostream>

#include "src/report/concat.h"
#include "src/source/live_source.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/connection_cli.h"
#include "tools/twinlog/input_options.h"

namespace twinlog::cli {
namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t stop_signal = 0;

extern "C" void on_stop_signal(int signal) {
  stop_signal = signal;
}

// SIGINT and SIGTERM ask the capture to stop after the event in hand; a second one
// ends the process at once (SA_RESETHAND), and the next capture cuts off what it tore.
// No SA_RESTART: a wait for the server returns at once to look at the flag.
class StopSignals {
 public:
  StopSignals() {
    stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  static bool requested() { return stop_signal != 0; }
  static const char* name() { return stop_signal == SIGTERM ? "SIGTERM" : "SIGINT"; }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

bool start_given(const po::variables_map& vm) {
  for (const char* name : {"start-file", "start-gtid"})
    if (vm.count(name)) return true;
  for (const char* name : {"start-oldest", "start-end"})
    if (vm.count(name) && vm[name].as<bool>()) return true;
  return false;
}

void add_capture_options(po::options_description& options) {
  add_connection_options(options);
  add_live_options(options);
  options.add_options()("dir", po::value<std::string>(),
                        "directory to write the binlog files into (created if missing)")(
      "file-compression", po::value<std::string>()->default_value("none"),
      "none or zstd (files get .zst); -C / --compress compresses the connection, as in "
      "every MySQL client")("zstd-level", po::value<int>()->default_value(3),
                            "zstd compression level")(
      "fsync-every", po::value<unsigned>()->default_value(1),
      "fsync at a transaction boundary when the server has sent all it has (at most every "
      "100 ms) and every N seconds while a backlog streams in (0: at every transaction "
      "boundary); also whatever arrived before the server fell silent (200 ms without "
      "data, or an idle server's heartbeat), even if that ends inside a transaction")(
      "quiet,q", po::bool_switch(), "no summary on stderr")(
      "raw", po::bool_switch(), "mysqlbinlog's --raw: what capture always does")(
      "result-file,r", po::value<std::string>(), "mysqlbinlog's --raw prefix: capture takes --dir");
}

// The capture and live options from the command line; false (after saying why on
// stderr) when they are not usable.
bool capture_options_from(const po::variables_map& vm, CaptureOptions& capture,
                          LiveSourceOptions& live) {
  if (vm.count("result-file")) {
    std::cerr << "twinlog capture: --result-file is not a capture option: name the directory "
                 "to write the files into with --dir (they keep the server's names)\n";
    return false;
  }
  if (!vm.count("dir")) {
    std::cerr << "twinlog capture: --dir is required\n";
    return false;
  }
  const std::string compress = vm["file-compression"].as<std::string>();
  if (compress != "none" && compress != "zstd") {
    std::cerr << "twinlog capture: --file-compression must be none or zstd, not '" << compress
              << "'\n";
    return false;
  }
  try {
    live = live_source_options_from(vm);
  } catch (const po::error& e) {
    std::cerr << "twinlog capture: " << e.what() << "\n";
    return false;
  }
  if (live.start.kind == StartPoint::Kind::kGtid) {
    std::cerr << "twinlog capture: --start-gtid does not name a file to capture from: give "
                 "--start-file, --start-oldest or --start-end\n";
    return false;
  }
  capture.dir = vm["dir"].as<std::string>();
  capture.compression = compress == "zstd" ? CaptureCompression::kZstd : CaptureCompression::kNone;
  capture.zstd_level = vm["zstd-level"].as<int>();
  capture.fsync_every = std::chrono::seconds(vm["fsync-every"].as<unsigned>());
  capture.start_given = start_given(vm);
  capture.quiet = vm["quiet"].as<bool>();
  live.note = [](const std::string& text) { std::cerr << "twinlog capture: " << text << "\n"; };
  return true;
}

// What the capture's directory holds disagrees with the command line: the option
// to change.
std::string conflict_hint(const CaptureConflict& e) {
  return e.kind() == CaptureConflict::Kind::kCompression
             ? "give the same --file-compression to continue it"
             : "drop the --start option or capture into another directory";
}

void print_summary(const CaptureSummary& s, Clock::time_point started) {
  double secs = std::chrono::duration<double>(Clock::now() - started).count();
  std::cerr << "twinlog capture: " << s.events << " events, " << s.bytes << " bytes"
            << (s.first_file.empty() ? std::string() : ", " + s.first_file + " to " + s.last_file)
            << " in " << secs << " s (replica server_id " << s.replica_server_id
            << (s.tls_cipher.empty() ? std::string() : ", TLS " + s.tls_cipher)
            << (s.reconnects ? ", " + std::to_string(s.reconnects) + " reconnects" : std::string())
            << ")\n";
}

// Before -C / --compress meant the connection, capture's file compression was
// `--compress zstd|none`: a value after --compress (the next word, capture has no
// FILE operands, or `--compress=zstd`) is still read as --file-compression, with a
// note that the name changed.
Args with_old_file_compression(const Args& args) {
  Args out;
  bool noted = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool attached = a.rfind("--compress=", 0) == 0;
    const bool separate =
        a == "--compress" && i + 1 < args.size() && !args[i + 1].empty() && args[i + 1][0] != '-';
    if (a == "--") {
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    if (!attached && !separate) {
      out.push_back(a);
      continue;
    }
    const std::string value = attached ? a.substr(11) : args[++i];
    out.push_back(report::concat("--file-compression=", value));
    if (!noted)
      std::cerr << "twinlog capture: note: --compress " << value << " is now --file-compression "
                << value
                << " (--compress alone compresses the connection, as in the mysql client)\n";
    noted = true;
  }
  return out;
}

}  // namespace

int run_capture(const Args& raw_args) {
  const Args args = with_old_file_compression(raw_args);
  po::options_description options("twinlog capture options");
  po::positional_options_description positional;
  add_capture_options(options);
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(
          args,
          "twinlog capture --host HOST [connection options] --dir DIR [--follow] "
          "[--file-compression zstd]\n\nA capture holds whole files: a start inside a file "
          "begins at that file's start. Restarted on a DIR that holds a capture, it "
          "continues after the last whole event there, cutting off a torn tail.\n\n"
          "SIGINT or SIGTERM stops a capture (with or without --follow) cleanly: the "
          "events received so far are written and fsynced, every file ends at a whole "
          "event, a restart continues there, and the exit status is 0. A second signal "
          "ends it at once (a restart then cuts off a torn event).",
          options, positional, vm, code))
    return code;
  CaptureOptions co;
  LiveSourceOptions lo;
  if (!capture_options_from(vm, co, lo)) return kExitError;
  StopSignals stop_signals;
  lo.should_stop = &StopSignals::requested;

  auto started = Clock::now();
  try {
    Capture capture(co, lo);
    CaptureSummary summary = capture.run();
    if (!summary.error.empty()) std::cerr << "twinlog capture: " << summary.error << "\n";
    if (StopSignals::requested() && summary.error.empty() && !co.quiet)
      lo.note(std::string("stopped by ") + StopSignals::name() +
              (summary.last_file.empty()
                   ? std::string(" before any event")
                   : " at " + summary.last_file + ":" + std::to_string(summary.last_end) +
                         ", where a restart continues"));
    if (!co.quiet) print_summary(summary, started);
    return summary.error.empty() ? kExitClean : kExitError;
  } catch (const ConnectionError& e) {
    std::cerr << "twinlog capture: " << with_option_hint(e) << "\n";
  } catch (const CaptureConflict& e) {
    std::cerr << "twinlog capture: " << e.what() << ": " << conflict_hint(e) << "\n";
  } catch (const std::exception& e) {
    std::cerr << "twinlog capture: " << e.what() << "\n";
  }
  return kExitError;
}

}  // namespace twinlog::cli
