// A capture of a live server's binlogs into a directory (capture_files.h holds the
// files): where it starts, and when what it wrote is fsynced.
//
// Where: a directory that holds a capture continues after its last whole event
// (a torn tail is cut off); an empty or missing one starts where the live options
// say, at the beginning of that file. Nothing is created or changed on disk before
// the server has accepted the connection.
//
// When: at a transaction boundary, always when `fsync_every` is 0; otherwise when
// the server has sent all it has (at most every 100 ms) and every `fsync_every`
// while a backlog streams in. When the server falls silent (200 ms without data, or
// a heartbeat) what arrived is synced too, wherever it ends: the files are byte
// copies, and a restart keeps whole events.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "src/source/capture_files.h"
#include "src/source/live_source.h"

namespace twinlog {

struct CaptureOptions {
  std::string dir;
  CaptureCompression compression = CaptureCompression::kNone;
  int zstd_level = 3;
  std::chrono::seconds fsync_every{1};
  bool start_given = false;  // the live options name a start point of their own
  bool quiet = false;        // no note that a capture continues
};

// The directory's capture and what was asked disagree; nothing was read or written.
class CaptureConflict : public std::runtime_error {
 public:
  enum class Kind { kCompression, kStartGiven };
  CaptureConflict(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct CaptureSummary {
  uint64_t events = 0;
  uint64_t bytes = 0;  // written to the files (compressed size for zstd)
  std::string first_file, last_file;
  uint64_t last_end = 0;  // where the last event captured ends in last_file
  uint32_t replica_server_id = 0;
  std::string tls_cipher;  // empty: not encrypted
  unsigned reconnects = 0;
  // Non-empty when the read ended with an error after the connection was made;
  // everything captured before it is whole and synced.
  std::string error;
};

class Capture {
 public:
  // Reads the directory and decides where the capture starts. Throws
  // CaptureConflict, or std::runtime_error for a directory that is not a capture.
  Capture(CaptureOptions options, LiveSourceOptions live);
  ~Capture();
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  // Connects (connection errors throw, before anything is on disk), then copies
  // events until the read ends: its stop point, or should_stop.
  CaptureSummary run();

 private:
  void resume_from_directory();
  void copy_events(CaptureSummary& summary);
  void sync_at_boundary();
  void sync_if_dirty();
  void note(const std::string& text) const;

  CaptureOptions options_;
  LiveSourceOptions live_;
  CaptureState state_;
  bool resuming_ = false;
  std::unique_ptr<LiveSource> source_;
  std::unique_ptr<CaptureWriter> writer_;
  bool dirty_ = false;  // written since the last fsync
  std::chrono::steady_clock::time_point last_sync_;
};

}  // namespace twinlog
