// twinlog capture --host ... --dir DIR [--follow] [--compress zstd]: copies a live
// server's binlogs into DIR, one file per server file and named as the server names
// it, byte for byte (or zstd-compressed to the same bytes). Run again on the same
// DIR, it continues after the last whole event captured. SIGINT or SIGTERM ends it
// cleanly: what was received is written and fsynced, and it exits 0.
#include <signal.h>

#include <chrono>
#include <csignal>
#include <iostream>

#include "src/source/capture_files.h"
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

}  // namespace

int run_capture(const Args& args) {
  po::options_description options("twinlog capture options");
  po::positional_options_description positional;
  add_connection_options(options);
  add_live_options(options);
  options.add_options()("dir", po::value<std::string>(),
                        "directory to write the binlog files into (created if missing)")(
      "compress", po::value<std::string>()->default_value("none"), "none or zstd (files get .zst)")(
      "zstd-level", po::value<int>()->default_value(3), "zstd compression level")(
      "fsync-every", po::value<unsigned>()->default_value(1),
      "fsync at a transaction boundary when the server has sent all it has (at most every "
      "100 ms) and every N seconds while a backlog streams in (0: at every transaction "
      "boundary); also whatever arrived before the server fell silent (200 ms without "
      "data, or an idle server's heartbeat), even if that ends inside a transaction")(
      "quiet,q", po::bool_switch(), "no summary on stderr");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(
          args,
          "twinlog capture --host HOST [connection options] --dir DIR [--follow] "
          "[--compress zstd]\n\nA capture holds whole files: a start inside a file "
          "begins at that file's start. Restarted on a DIR that holds a capture, it "
          "continues after the last whole event there, cutting off a torn tail.\n\n"
          "SIGINT or SIGTERM stops a capture (with or without --follow) cleanly: the "
          "events received so far are written and fsynced, every file ends at a whole "
          "event, a restart continues there, and the exit status is 0. A second signal "
          "ends it at once (a restart then cuts off a torn event).",
          options, positional, vm, code))
    return code;
  if (!vm.count("dir")) {
    std::cerr << "twinlog capture: --dir is required\n";
    return kExitError;
  }
  const std::string dir = vm["dir"].as<std::string>();
  const std::string compress = vm["compress"].as<std::string>();
  if (compress != "none" && compress != "zstd") {
    std::cerr << "twinlog capture: --compress must be none or zstd, not '" << compress << "'\n";
    return kExitError;
  }
  const CaptureCompression compression =
      compress == "zstd" ? CaptureCompression::kZstd : CaptureCompression::kNone;
  const bool quiet = vm["quiet"].as<bool>();
  const auto fsync_every = std::chrono::seconds(vm["fsync-every"].as<unsigned>());

  LiveSourceOptions lo;
  try {
    lo = live_source_options_from(vm);
  } catch (const po::error& e) {
    std::cerr << "twinlog capture: " << e.what() << "\n";
    return kExitError;
  }
  if (lo.start.kind == StartPoint::Kind::kGtid) {
    std::cerr << "twinlog capture: --start-gtid does not name a file to capture from: give "
                 "--start-file, --start-oldest or --start-end\n";
    return kExitError;
  }
  lo.verify_checksums = true;
  lo.whole_files = true;
  lo.note = [](const std::string& text) { std::cerr << "twinlog capture: " << text << "\n"; };
  StopSignals stop_signals;
  lo.should_stop = &StopSignals::requested;

  auto started = Clock::now();
  uint64_t events = 0;
  std::string first_file;
  std::string last_file;
  uint64_t last_end = 0;
  int exit_code = kExitClean;
  try {
    CaptureState state = scan_capture_dir(dir);
    if (!state.file.empty()) {
      if (state.compression != compression) {
        std::cerr << "twinlog capture: " << dir << " holds "
                  << (state.compression == CaptureCompression::kZstd ? "zstd" : "plain")
                  << " captures; give the same --compress to continue it\n";
        return kExitError;
      }
      if (start_given(vm)) {
        std::cerr << "twinlog capture: " << dir << " already holds a capture, which continues from "
                  << state.file << ":" << state.complete_end
                  << "; drop the --start option or capture into another directory\n";
        return kExitError;
      }
      if (state.torn_bytes != 0 || state.rewrite)
        lo.note("cutting " + std::to_string(state.torn_bytes) + " bytes of a torn event off " +
                state.path);
      repair_capture_tail(state);
      lo.start.kind = StartPoint::Kind::kPosition;
      lo.start.position = {state.file, std::max<uint64_t>(state.complete_end, 4)};
      lo.whole_files = false;
      if (!quiet)
        lo.note("continuing " + state.path + " from offset " +
                std::to_string(lo.start.position.offset));
    }

    // fsync happens at transaction boundaries: always with --fsync-every 0; otherwise
    // when the server has sent all it has (at most every 100 ms) and every
    // --fsync-every seconds while a backlog streams in. When the server falls silent
    // (200 ms without data, or a heartbeat) what arrived is synced too, wherever it
    // ends: the files are byte copies, and a restart keeps whole events.
    CaptureWriter writer(dir, compression, vm["zstd-level"].as<int>());
    auto last_sync = Clock::now();
    bool dirty = false;
    lo.on_heartbeat = [&] {
      if (dirty) {
        writer.sync();
        dirty = false;
        last_sync = Clock::now();
      }
    };
    // The server has sent all it has and fell silent within 100 ms of the last
    // fsync: what came after it is synced now, not at the next heartbeat.
    lo.on_idle = lo.on_heartbeat;
    LiveSource source(lo);
    source.open();
    RawEvent ev;
    try {
      while (source.next(ev)) {
        writer.write(ev.file, ev.offset, ev.bytes);
        if (first_file.empty()) first_file = ev.file;
        if (last_file != ev.file) last_file = ev.file;
        last_end = ev.offset + ev.bytes.size();
        ++events;
        dirty = true;
        if (source.at_transaction_boundary()) {
          auto now = Clock::now();
          auto since = now - last_sync;
          if (fsync_every.count() == 0 || since >= fsync_every ||
              (since >= std::chrono::milliseconds(100) && source.caught_up())) {
            writer.sync();
            dirty = false;
            last_sync = now;
          }
        }
      }
    } catch (const std::exception& e) {
      // Keep what was captured: every event written is whole.
      std::cerr << "twinlog capture: " << e.what() << "\n";
      exit_code = kExitError;
    }
    writer.close();
    if (StopSignals::requested() && exit_code == kExitClean && !quiet)
      lo.note(std::string("stopped by ") + StopSignals::name() +
              (last_file.empty() ? std::string(" before any event")
                                 : " at " + last_file + ":" + std::to_string(last_end) +
                                       ", where a restart continues"));
    if (!quiet) {
      double secs = std::chrono::duration<double>(Clock::now() - started).count();
      std::cerr << "twinlog capture: " << events << " events, " << writer.bytes_written()
                << " bytes"
                << (first_file.empty() ? std::string() : ", " + first_file + " to " + last_file)
                << " in " << secs << " s (replica server_id " << source.replica_server_id()
                << (source.tls_cipher().empty() ? std::string() : ", TLS " + source.tls_cipher())
                << (source.reconnects() ? ", " + std::to_string(source.reconnects()) + " reconnects"
                                        : std::string())
                << ")\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "twinlog capture: " << e.what() << "\n";
    return kExitError;
  }
  return exit_code;
}

}  // namespace twinlog::cli
