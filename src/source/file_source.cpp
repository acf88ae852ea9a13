#include "src/source/file_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include "protocol/format_description.h"
#include "protocol/framer.h"

namespace twinlog {
namespace {

using protocol::kBinlogMagic;
using protocol::kHeaderLength;
using protocol::kMaxEventSize;

std::string errno_text() {
  return std::strerror(errno);
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ > 2) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A read that failed below the binlog: what went wrong, without the offset, which
// only the reader of the binlog knows (a zstd stream knows its compressed bytes).
class ByteStreamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads raw bytes from somewhere (an fd, or a zstd decoder over an fd).
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Up to `n` bytes into `out`; 0 at the end. Throws ByteStreamError.
  virtual std::size_t read(std::byte* out, std::size_t n) = 0;
};

class FdStream final : public ByteStream {
 public:
  explicit FdStream(int fd) : fd_(fd) {}
  std::size_t read(std::byte* out, std::size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_.get(), out, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR) throw ByteStreamError("read failed: " + errno_text());
    }
  }

 private:
  FileDescriptor fd_;
};

// The bytes read ahead to tell the input's kind, then the rest of `inner`: stdin
// and pipes cannot be read twice.
class PrefixedStream final : public ByteStream {
 public:
  PrefixedStream(std::vector<std::byte> prefix, std::unique_ptr<ByteStream> inner)
      : prefix_(std::move(prefix)), inner_(std::move(inner)) {}
  std::size_t read(std::byte* out, std::size_t n) override {
    if (at_ == prefix_.size()) return inner_->read(out, n);
    const std::size_t k = std::min(n, prefix_.size() - at_);
    std::copy_n(prefix_.begin() + static_cast<std::ptrdiff_t>(at_), k, out);
    at_ += k;
    return k;
  }

 private:
  std::vector<std::byte> prefix_;
  std::size_t at_ = 0;
  std::unique_ptr<ByteStream> inner_;
};

class ZstdStream final : public ByteStream {
 public:
  explicit ZstdStream(std::unique_ptr<ByteStream> inner)
      : inner_(std::move(inner)), ctx_(ZSTD_createDCtx()), in_buf_(ZSTD_DStreamInSize()) {}
  ~ZstdStream() override { ZSTD_freeDCtx(ctx_); }

  std::size_t read(std::byte* out, std::size_t n) override {
    ZSTD_outBuffer ob{out, n, 0};
    while (ob.pos == 0) {
      if (in_.pos == in_.size) {
        if (eof_) break;
        std::size_t got = inner_->read(in_buf_.data(), in_buf_.size());
        compressed_read_ += got;
        if (got == 0) {
          eof_ = true;
          if (frame_open_) {
            throw ByteStreamError("zstd stream ends in the middle of a frame (" +
                                  std::to_string(compressed_read_) + " compressed bytes read)");
          }
          break;
        }
        in_ = ZSTD_inBuffer{in_buf_.data(), got, 0};
      }
      std::size_t rc = ZSTD_decompressStream(ctx_, &ob, &in_);
      if (ZSTD_isError(rc)) {
        throw ByteStreamError(std::string("zstd: ") + ZSTD_getErrorName(rc) + " after " +
                              std::to_string(compressed_read_) + " compressed bytes");
      }
      frame_open_ = rc != 0;
    }
    return ob.pos;
  }

 private:
  std::unique_ptr<ByteStream> inner_;
  ZSTD_DCtx* ctx_;
  std::vector<std::byte> in_buf_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool eof_ = false;
  bool frame_open_ = false;
  uint64_t compressed_read_ = 0;
};

// A streamed binlog: keeps only the current event (and a read-ahead chunk).
class StreamedFileSource final : public EventSource {
 public:
  StreamedFileSource(std::string name, std::unique_ptr<ByteStream> stream, bool rereadable)
      : name_(std::move(name)), stream_(std::move(stream)), rereadable_(rereadable) {
    fill(kBinlogMagic.size());
    if (available() < kBinlogMagic.size() ||
        !std::equal(kBinlogMagic.begin(), kBinlogMagic.end(), buffer_.begin())) {
      throw SourceError(name_, 0,
                        available() < kBinlogMagic.size()
                            ? "input too short for the binlog magic (fe 62 69 6e)"
                            : "not a binlog file: expected magic bytes fe 62 69 6e");
    }
    begin_ = kBinlogMagic.size();
    offset_ = kBinlogMagic.size();
  }

  bool next(RawEvent& out) override {
    // Drop the previous event's bytes.
    if (begin_ > (4u << 20) || begin_ == end_) compact();
    fill(kHeaderLength);
    if (available() == 0) return false;
    if (available() < kHeaderLength) {
      throw SourceError(name_, offset_,
                        "truncated event: " + std::to_string(available()) +
                            " bytes left, shorter than an event header (19)");
    }
    const uint32_t size = protocol::load_le32(buffer_.data() + begin_ + 9);
    const bool start_v3 = std::to_integer<uint8_t>(buffer_[begin_ + 4]) == 1;
    if (size < (start_v3 ? 13u : kHeaderLength)) {
      throw SourceError(name_, offset_,
                        "event size " + std::to_string(size) + " is below the 19-byte header");
    }
    if (size > kMaxEventSize) {
      throw SourceError(name_, offset_,
                        "event size " + std::to_string(size) + " is above the 1 GiB limit");
    }
    fill(size);
    if (available() < size) {
      throw SourceError(name_, offset_,
                        "truncated event: header says " + std::to_string(size) +
                            " bytes, the input has " + std::to_string(available()) + " left");
    }
    out.bytes = ByteSpan(buffer_.data() + begin_, size);
    out.file = name_;
    out.offset = offset_;
    begin_ += size;
    offset_ += size;
    return true;
  }

  bool rereadable_by_offset() const override { return rereadable_; }

 private:
  static constexpr std::size_t kChunk = 1u << 20;

  std::size_t available() const { return end_ - begin_; }
  void compact() {
    if (begin_ == 0) return;
    std::memmove(buffer_.data(), buffer_.data() + begin_, available());
    end_ -= begin_;
    begin_ = 0;
  }
  // Reads until `want` bytes are buffered from begin_, or the input ends.
  void fill(std::size_t want) {
    while (available() < want && !eof_) {
      if (buffer_.size() < begin_ + want) {
        compact();
        if (buffer_.size() < want) buffer_.resize(std::max(want, kChunk));
      }
      std::size_t room =
          std::min(buffer_.size() - end_, std::max<std::size_t>(kChunk, want - available()));
      if (room == 0) {
        buffer_.resize(buffer_.size() * 2);
        continue;
      }
      std::size_t got = 0;
      try {
        got = stream_->read(buffer_.data() + end_, room);
      } catch (const ByteStreamError& e) {
        // The offset in the binlog the input reached: where its bytes broke off.
        throw SourceError(name_, offset_ + available(), e.what());
      }
      if (got == 0) eof_ = true;
      end_ += got;
    }
  }

  std::string name_;
  std::unique_ptr<ByteStream> stream_;
  bool rereadable_;
  std::vector<std::byte> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  uint64_t offset_ = 0;
  bool eof_ = false;
};

// A zstd frame's magic number (0xFD2FB528, little-endian), which tells a
// compressed binlog from a plain one whatever its name, on stdin too.
constexpr std::array<std::byte, 4> kZstdMagic = {std::byte{0x28}, std::byte{0xb5}, std::byte{0x2f},
                                                 std::byte{0xfd}};

// The input as a binlog's bytes: through zstd when it starts with zstd's magic.
// `regular_file`: `name` is a regular file's path, which can be read again by
// offset if its bytes are the binlog's own (not zstd's).
std::unique_ptr<StreamedFileSource> open_stream(const std::string& name,
                                                std::unique_ptr<ByteStream> raw,
                                                bool regular_file) {
  std::vector<std::byte> head(kZstdMagic.size());
  std::size_t got = 0;
  try {
    while (got < head.size()) {
      const std::size_t n = raw->read(head.data() + got, head.size() - got);
      if (n == 0) break;
      got += n;
    }
  } catch (const ByteStreamError& e) {
    throw SourceError(name, 0, e.what());
  }
  head.resize(got);
  const bool zstd = std::equal(head.begin(), head.end(), kZstdMagic.begin(), kZstdMagic.end());
  auto stream = std::make_unique<PrefixedStream>(std::move(head), std::move(raw));
  if (zstd) {
    return std::make_unique<StreamedFileSource>(
        name, std::make_unique<ZstdStream>(std::move(stream)), false);
  }
  return std::make_unique<StreamedFileSource>(name, std::move(stream), regular_file);
}

}  // namespace

std::unique_ptr<EventSource> open_binlog_file(const std::string& path) {
  if (path == "-") return open_stream("-", std::make_unique<FdStream>(0), false);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SourceError(path, 0, "cannot open: " + errno_text());
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    throw SourceError(path, 0, "cannot stat: " + errno_text());
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw SourceError(path, 0, "is a directory, not a binlog file");
  }
  const bool regular = S_ISREG(st.st_mode);
  if (regular) ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return open_stream(path, std::make_unique<FdStream>(fd), regular);
}

}  // namespace twinlog
