#include "src/source/capture.h"

#include <algorithm>

namespace twinlog {
namespace {

using Clock = std::chrono::steady_clock;

// A caught-up server is asked about at most this often: the question costs a poll().
constexpr auto kCaughtUpSyncInterval = std::chrono::milliseconds(100);

const char* compression_name(CaptureCompression c) {
  return c == CaptureCompression::kZstd ? "zstd" : "plain";
}

}  // namespace

Capture::Capture(CaptureOptions options, LiveSourceOptions live)
    : options_(std::move(options)), live_(std::move(live)) {
  live_.verify_checksums = true;
  live_.whole_files = true;
  live_.resent_format = false;
  state_ = scan_capture_dir(options_.dir);
  if (!state_.file.empty()) resume_from_directory();
}

Capture::~Capture() = default;

void Capture::resume_from_directory() {
  if (state_.compression != options_.compression)
    throw CaptureConflict(CaptureConflict::Kind::kCompression,
                          options_.dir + " holds " + compression_name(state_.compression) +
                              " captures; a capture continuing it must be " +
                              compression_name(state_.compression) + " too");
  if (options_.start_given)
    throw CaptureConflict(CaptureConflict::Kind::kStartGiven,
                          options_.dir + " already holds a capture, which continues from " +
                              state_.file + ":" + std::to_string(state_.complete_end) +
                              "; it takes no other start point");
  resuming_ = true;
  live_.start.kind = StartPoint::Kind::kPosition;
  live_.start.position = {state_.file, std::max<uint64_t>(state_.complete_end, 4)};
  live_.whole_files = false;
}

CaptureSummary Capture::run() {
  auto sync_when_idle = [this] { sync_if_dirty(); };
  live_.on_heartbeat = sync_when_idle;
  // The server has sent all it has and fell silent within 100 ms of the last
  // fsync: what came after it is synced now, not at the next heartbeat.
  live_.on_idle = sync_when_idle;
  source_ = std::make_unique<LiveSource>(live_);
  source_->open();
  if (resuming_) {
    if (state_.torn_bytes != 0 || state_.rewrite)
      note("cutting " + std::to_string(state_.torn_bytes) + " bytes of a torn event off " +
           state_.path);
    repair_capture_tail(state_);
    if (!options_.quiet)
      note("continuing " + state_.path + " from offset " +
           std::to_string(live_.start.position.offset));
  }
  writer_ =
      std::make_unique<CaptureWriter>(options_.dir, options_.compression, options_.zstd_level);
  last_sync_ = Clock::now();
  CaptureSummary summary;
  try {
    copy_events(summary);
  } catch (const std::exception& e) {
    // Keep what was captured: every event written is whole.
    summary.error = e.what();
  }
  writer_->close();
  summary.bytes = writer_->bytes_written();
  summary.replica_server_id = source_->replica_server_id();
  summary.tls_cipher = source_->tls_cipher();
  summary.reconnects = source_->reconnects();
  return summary;
}

void Capture::copy_events(CaptureSummary& summary) {
  RawEvent ev;
  while (source_->next(ev)) {
    writer_->write(ev.file, ev.offset, ev.bytes);
    if (summary.first_file.empty()) summary.first_file = ev.file;
    if (summary.last_file != ev.file) summary.last_file = ev.file;
    summary.last_end = ev.offset + ev.bytes.size();
    ++summary.events;
    dirty_ = true;
    if (source_->at_transaction_boundary()) sync_at_boundary();
  }
}

void Capture::sync_at_boundary() {
  auto since = Clock::now() - last_sync_;
  if (options_.fsync_every.count() == 0 || since >= options_.fsync_every ||
      (since >= kCaughtUpSyncInterval && source_->caught_up()))
    sync_if_dirty();
}

void Capture::note(const std::string& text) const {
  if (live_.note) live_.note(text);
}

void Capture::sync_if_dirty() {
  if (!dirty_ || !writer_) return;
  writer_->sync();
  dirty_ = false;
  last_sync_ = Clock::now();
}

}  // namespace twinlog
