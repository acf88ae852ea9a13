#include "src/source/dump_packet_reader.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include "src/server/connection_error.h"

namespace twinlog {
namespace {

constexpr std::size_t kInitialCapacity = std::size_t{1} << 20;
// Below this much free room at the end, the unread tail moves to the front so that
// the next recv() can take a large piece.
constexpr std::size_t kMinRead = std::size_t{256} << 10;
constexpr std::size_t kPacketHeader = 4;
constexpr std::size_t kMaxPayload = 0xFFFFFF;
// A wait is cut into slices this long so that a stop asked for by a signal that
// arrived outside poll() is seen soon.
constexpr int kWaitSliceMs = 200;
constexpr unsigned kServerLost = 2013;  // CR_SERVER_LOST

ConnectionError lost(const std::string& why) {
  return ConnectionError(FailureKind::kLost, kServerLost, "lost connection to the server: " + why);
}

}  // namespace

DumpPacketReader::DumpPacketReader(int fd, unsigned timeout_seconds,
                                   std::function<bool()> should_stop, std::function<void()> on_idle)
    : fd_(fd),
      timeout_ms_(timeout_seconds == 0 ? -1 : static_cast<int>(timeout_seconds) * 1000),
      should_stop_(std::move(should_stop)),
      on_idle_(std::move(on_idle)),
      buf_(std::make_unique_for_overwrite<std::byte[]>(kInitialCapacity)),
      capacity_(kInitialCapacity) {}

bool DumpPacketReader::fill(std::size_t n) {
  if (begin_ == end_) begin_ = end_ = 0;
  while (end_ - begin_ < n) {
    if (capacity_ < n) {
      std::size_t grown = std::max(capacity_ * 2, n);
      auto bigger = std::make_unique_for_overwrite<std::byte[]>(grown);
      std::memcpy(bigger.get(), buf_.get() + begin_, end_ - begin_);
      buf_ = std::move(bigger);
      capacity_ = grown;
      end_ -= begin_;
      begin_ = 0;
    } else if (begin_ > 0 && (capacity_ - begin_ < n || capacity_ - end_ < kMinRead)) {
      std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    ssize_t got = ::recv(fd_, buf_.get() + end_, capacity_ - end_, MSG_DONTWAIT);
    if (got > 0) {
      end_ += static_cast<std::size_t>(got);
      continue;
    }
    if (got == 0) throw lost("the server closed it");
    if (errno == EINTR) {
      if (should_stop_ && should_stop_()) return false;
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) throw lost(std::strerror(errno));
    // Nothing there yet: wait, in slices, asking between them whether to stop.
    auto waited = std::chrono::milliseconds(0);
    for (;;) {
      if (should_stop_ && should_stop_()) return false;
      int slice = timeout_ms_ < 0 ? kWaitSliceMs
                                  : std::min<int>(kWaitSliceMs, timeout_ms_ - waited.count());
      pollfd p{fd_, POLLIN, 0};
      auto before = std::chrono::steady_clock::now();
      int ready = ::poll(&p, 1, slice);
      if (ready > 0) break;
      if (ready < 0 && errno != EINTR) throw lost(std::strerror(errno));
      waited += std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - before);
      if (timeout_ms_ >= 0 && waited.count() >= timeout_ms_)
        throw lost("nothing received for " + std::to_string(timeout_ms_ / 1000) + " s");
      if (ready == 0 && on_idle_) on_idle_();
    }
  }
  return true;
}

DumpPacketReader::Result DumpPacketReader::next(std::span<const std::byte>& out) {
  joined_.clear();
  for (;;) {
    if (!fill(kPacketHeader)) return Result::kStopped;
    const std::byte* h = buf_.get() + begin_;
    std::size_t length = std::to_integer<std::size_t>(h[0]) |
                         std::to_integer<std::size_t>(h[1]) << 8 |
                         std::to_integer<std::size_t>(h[2]) << 16;
    auto sequence = std::to_integer<uint8_t>(h[3]);
    if (sequence != sequence_)
      throw ConnectionError(FailureKind::kLost, kServerLost,
                            "packets out of order: sequence " + std::to_string(sequence) +
                                " where " + std::to_string(sequence_) + " was due");
    if (!fill(kPacketHeader + length)) return Result::kStopped;
    ++sequence_;
    std::span<const std::byte> payload(buf_.get() + begin_ + kPacketHeader, length);
    begin_ += kPacketHeader + length;
    if (length < kMaxPayload && joined_.empty()) {
      out = payload;
      return Result::kPacket;
    }
    joined_.insert(joined_.end(), payload.begin(), payload.end());
    if (length < kMaxPayload) {
      out = joined_;
      return Result::kPacket;
    }
  }
}

}  // namespace twinlog
