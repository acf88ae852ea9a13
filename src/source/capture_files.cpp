#include "src/source/capture_files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "protocol/endian.h"
#include "protocol/format_description.h"
#include "src/source/live_source.h"

namespace twinlog {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kZstSuffix = ".zst";
constexpr std::size_t kBufferSize = 1 << 20;
// Written bytes are handed to the disk (sync_file_range) in pieces this big, so that
// an fsync at a transaction boundary or at the end of a file finds little left to
// write and does not stall the stream for the whole backlog (0.2 s for 256 MiB here).
constexpr uint64_t kWritebackChunk = uint64_t{8} << 20;

std::runtime_error io_error(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

void write_all(int fd, const void* data, std::size_t size, const std::string& path) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error("cannot write", path);
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Walks a plain capture file through a read-only mapping.
EventWalker walk_plain(const std::string& path, uint64_t& size) {
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) throw io_error("cannot open", path);
  struct stat st {};
  if (fstat(f.fd, &st) != 0) throw io_error("cannot stat", path);
  size = static_cast<uint64_t>(st.st_size);
  EventWalker walker;
  if (size == 0) return walker;
  void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, f.fd, 0);
  if (map == MAP_FAILED) throw io_error("cannot map", path);
  walker.feed({static_cast<const std::byte*>(map), size});
  munmap(map, size);
  return walker;
}

// Decompresses a .zst capture, handing each piece to `sink`; returns true when the
// input ended exactly at the end of a frame.
template <class Sink>
bool decompress_file(const std::string& path, Sink&& sink) {
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) throw io_error("cannot open", path);
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::vector<std::byte> in(ZSTD_DStreamInSize()), out(ZSTD_DStreamOutSize());
  std::size_t last = 0;
  bool any = false;
  for (;;) {
    ssize_t n = ::read(f.fd, in.data(), in.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error("cannot read", path);
    }
    if (n == 0) break;
    any = true;
    ZSTD_inBuffer ib{in.data(), static_cast<std::size_t>(n), 0};
    while (ib.pos < ib.size) {
      ZSTD_outBuffer ob{out.data(), out.size(), 0};
      last = ZSTD_decompressStream(dctx.get(), &ob, &ib);
      if (ZSTD_isError(last)) {
        sink(std::span<const std::byte>(out.data(), ob.pos));
        return false;  // a damaged frame: what came before it stands
      }
      sink(std::span<const std::byte>(out.data(), ob.pos));
    }
  }
  // Drain what the decoder still holds of an unfinished frame.
  while (any && last != 0) {
    ZSTD_inBuffer ib{nullptr, 0, 0};
    ZSTD_outBuffer ob{out.data(), out.size(), 0};
    std::size_t r = ZSTD_decompressStream(dctx.get(), &ob, &ib);
    if (ZSTD_isError(r)) return false;
    sink(std::span<const std::byte>(out.data(), ob.pos));
    if (ob.pos < ob.size) {
      last = r;
      break;
    }
    last = r;
  }
  return !any || last == 0;
}

}  // namespace

void EventWalker::feed(std::span<const std::byte> bytes) {
  std::size_t i = 0;
  while (i < bytes.size() && ok_) {
    if (fed_ < 4) {
      if (bytes[i] != protocol::kBinlogMagic[fed_]) {
        ok_ = false;
        return;
      }
      ++i;
      if (++fed_ == 4) complete_end_ = 4;
      continue;
    }
    if (in_body_) {
      uint64_t take = std::min<uint64_t>(bytes.size() - i, next_event_ - fed_);
      i += take;
      fed_ += take;
      if (fed_ == next_event_) {
        in_body_ = false;
        complete_end_ = next_event_;
        ++events_;
        last_type_ = pending_type_;
      }
      continue;
    }
    std::size_t take = std::min(bytes.size() - i, protocol::kHeaderLength - header_have_);
    std::memcpy(header_ + header_have_, bytes.data() + i, take);
    header_have_ += take;
    i += take;
    fed_ += take;
    if (header_have_ == protocol::kHeaderLength) {
      uint32_t size = protocol::load_le32(header_ + 9);
      if (size < protocol::kHeaderLength || size > protocol::kMaxEventSize) {
        ok_ = false;
        return;
      }
      header_have_ = 0;
      pending_type_ = std::to_integer<uint8_t>(header_[4]);
      next_event_ = fed_ - protocol::kHeaderLength + size;
      in_body_ = true;
      if (fed_ == next_event_) {
        in_body_ = false;
        complete_end_ = next_event_;
        ++events_;
        last_type_ = pending_type_;
      }
    }
  }
}

CaptureState scan_capture_dir(const std::string& dir) {
  CaptureState state;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return state;
  bool plain = false, zst = false;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    if (name.ends_with(".tmp") || name.ends_with(".index")) continue;
    if (name.ends_with(kZstSuffix)) {
      zst = true;
      name.resize(name.size() - kZstSuffix.size());
    } else {
      plain = true;
    }
    state.files.push_back(name);
  }
  if (plain && zst)
    throw std::runtime_error(
        dir + " holds both plain and .zst captures: capture into a directory of one kind");
  if (state.files.empty()) return state;
  std::sort(state.files.begin(), state.files.end(), [](const std::string& a, const std::string& b) {
    return compare_binlog_names(a, b) < 0;
  });
  state.file = state.files.back();
  state.compression = zst ? CaptureCompression::kZstd : CaptureCompression::kNone;
  state.path = dir + "/" + state.file + (zst ? std::string(kZstSuffix) : std::string());

  if (!zst) {
    uint64_t size = 0;
    EventWalker w = walk_plain(state.path, size);
    if (!w.ok() && w.complete_end() < 4 && size >= 4)
      throw std::runtime_error(state.path + " is not a binlog file (no FE 62 69 6E magic)");
    state.complete_end = w.complete_end();
    state.torn_bytes = size - w.complete_end();
  } else {
    EventWalker w;
    bool clean = decompress_file(state.path, [&](std::span<const std::byte> b) { w.feed(b); });
    if (!w.ok() && w.complete_end() < 4 && w.fed() >= 4)
      throw std::runtime_error(state.path + " does not hold a binlog file (no FE 62 69 6E magic)");
    state.complete_end = w.complete_end();
    state.torn_bytes = w.fed() - w.complete_end();
    state.rewrite = !clean || state.torn_bytes != 0;
  }
  return state;
}

void repair_capture_tail(const CaptureState& state) {
  if (state.file.empty()) return;
  if (state.compression == CaptureCompression::kNone) {
    if (state.torn_bytes != 0 &&
        ::truncate(state.path.c_str(), static_cast<off_t>(state.complete_end)) != 0)
      throw io_error("cannot truncate", state.path);
    return;
  }
  if (!state.rewrite) return;
  // Re-compress the whole events into a new file, then put it in place.
  std::string tmp = state.path + ".tmp";
  {
    Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (out.fd < 0) throw io_error("cannot create", tmp);
    std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
    std::vector<std::byte> zout(ZSTD_CStreamOutSize());
    uint64_t left = state.complete_end;
    auto push = [&](std::span<const std::byte> b, ZSTD_EndDirective mode) {
      ZSTD_inBuffer ib{b.data(), b.size(), 0};
      for (;;) {
        ZSTD_outBuffer ob{zout.data(), zout.size(), 0};
        std::size_t r = ZSTD_compressStream2(cctx.get(), &ob, &ib, mode);
        if (ZSTD_isError(r)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(r));
        write_all(out.fd, zout.data(), ob.pos, tmp);
        if (mode == ZSTD_e_end ? r == 0 : ib.pos == ib.size) break;
      }
    };
    decompress_file(state.path, [&](std::span<const std::byte> b) {
      std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(left, b.size()));
      if (n > 0) push(b.first(n), ZSTD_e_continue);
      left -= n;
    });
    push({}, ZSTD_e_end);
    if (::fsync(out.fd) != 0) throw io_error("cannot fsync", tmp);
  }
  if (::rename(tmp.c_str(), state.path.c_str()) != 0) throw io_error("cannot rename", tmp);
}

CaptureWriter::CaptureWriter(std::string dir, CaptureCompression compression, int zstd_level)
    : dir_(std::move(dir)), compression_(compression), level_(zstd_level) {
  buffer_.reserve(kBufferSize);
  if (compression_ == CaptureCompression::kZstd) zout_.resize(ZSTD_CStreamOutSize());
  fs::create_directories(dir_);
}

CaptureWriter::~CaptureWriter() {
  try {
    close();
  } catch (const std::exception&) {
    // Destruction after an error: the next capture repairs the tail.
  }
  if (cctx_ != nullptr) ZSTD_freeCCtx(cctx_);
}

void CaptureWriter::open(const std::string& file, uint64_t offset) {
  if (file.empty() || file.find('/') != std::string::npos || file == "." || file == "..")
    throw std::runtime_error("the server named a binlog file '" + file +
                             "' twinlog will not write");
  path_ = dir_ + "/" + file +
          (compression_ == CaptureCompression::kZstd ? std::string(kZstSuffix) : "");
  bool fresh = offset <= 4;
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (fresh ? O_TRUNC : O_APPEND);
  fd_ = ::open(path_.c_str(), flags, 0644);
  if (fd_ < 0) throw io_error("cannot open", path_);
  file_ = file;
  file_size_ = 0;
  if (!fresh) {
    struct stat st {};
    if (fstat(fd_, &st) != 0) throw io_error("cannot stat", path_);
    file_size_ = static_cast<uint64_t>(st.st_size);
  }
  writeback_from_ = file_size_;
  if (compression_ == CaptureCompression::kZstd) {
    if (cctx_ == nullptr) cctx_ = ZSTD_createCCtx();
    ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_only);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level_);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
  } else if (!fresh && file_size_ != offset) {
    throw std::runtime_error(path_ + " ends at " + std::to_string(file_size_) +
                             " but the next event is at " + std::to_string(offset));
  }
  if (fresh) {
    end_ = 0;
    put(protocol::kBinlogMagic);
  }
  end_ = fresh ? 4 : offset;
}

void CaptureWriter::write(const std::string& file, uint64_t offset,
                          std::span<const std::byte> event) {
  if (file != file_) {
    close();
    open(file, offset);
  }
  if (offset != end_)
    throw std::runtime_error(path_ + ": the next event is at offset " + std::to_string(offset) +
                             " but the capture ends at " + std::to_string(end_) +
                             " (a gap in the stream)");
  put(event);
  end_ += event.size();
}

void CaptureWriter::put(std::span<const std::byte> bytes) {
  bytes_ += bytes.size();
  if (compression_ == CaptureCompression::kZstd) {
    ZSTD_inBuffer ib{bytes.data(), bytes.size(), 0};
    while (ib.pos < ib.size) {
      ZSTD_outBuffer ob{zout_.data(), zout_.size(), 0};
      std::size_t r = ZSTD_compressStream2(cctx_, &ob, &ib, ZSTD_e_continue);
      if (ZSTD_isError(r)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(r));
      write_out(zout_.data(), ob.pos);
    }
    return;
  }
  if (buffer_.size() + bytes.size() > kBufferSize) {
    write_out(buffer_.data(), buffer_.size());
    buffer_.clear();
    if (bytes.size() > kBufferSize) {
      write_out(bytes.data(), bytes.size());
      return;
    }
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void CaptureWriter::write_out(const void* data, std::size_t size) {
  if (size == 0) return;
  write_all(fd_, data, size, path_);
  file_size_ += size;
  if (file_size_ - writeback_from_ >= kWritebackChunk) {
    // Only starts the writing: durability still comes from fsync. A file system
    // without it (EINVAL, ENOSYS) just leaves everything to fsync.
    ::sync_file_range(fd_, static_cast<off_t>(writeback_from_),
                      static_cast<off_t>(file_size_ - writeback_from_), SYNC_FILE_RANGE_WRITE);
    writeback_from_ = file_size_;
  }
}

void CaptureWriter::compress(ZSTD_EndDirective mode) {
  ZSTD_inBuffer ib{nullptr, 0, 0};
  for (;;) {
    ZSTD_outBuffer ob{zout_.data(), zout_.size(), 0};
    std::size_t r = ZSTD_compressStream2(cctx_, &ob, &ib, mode);
    if (ZSTD_isError(r)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(r));
    write_out(zout_.data(), ob.pos);
    if (r == 0) break;
  }
}

void CaptureWriter::flush() {
  if (fd_ < 0) return;
  if (compression_ == CaptureCompression::kZstd) {
    compress(ZSTD_e_flush);
  } else {
    write_out(buffer_.data(), buffer_.size());
    buffer_.clear();
  }
}

void CaptureWriter::sync() {
  if (fd_ < 0) return;
  flush();
  if (::fsync(fd_) != 0) throw io_error("cannot fsync", path_);
}

void CaptureWriter::close() {
  if (fd_ < 0) return;
  if (compression_ == CaptureCompression::kZstd) {
    compress(ZSTD_e_end);
  } else {
    flush();
  }
  if (::fsync(fd_) != 0) throw io_error("cannot fsync", path_);
  ::close(fd_);
  fd_ = -1;
  file_.clear();
}

}  // namespace twinlog
