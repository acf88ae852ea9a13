// The files `twinlog capture` writes: one per server binlog file, named as the
// server names it (plus ".zst" when compressed), holding the magic and the events
// exactly as the server's file does. A capture restarted into the same directory
// continues after the last whole event of the newest file, cutting off a torn tail.
#pragma once

#include <zstd.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace twinlog {

// Walks the event headers of a binlog fed in pieces (magic first) and remembers
// where the last whole event ends. Pure: no I/O.
class EventWalker {
 public:
  void feed(std::span<const std::byte> bytes);
  // False once the first 4 bytes are not the binlog magic or a header is impossible.
  bool ok() const { return ok_; }
  // Offset just past the last whole event (4 after the magic alone, 0 before it).
  uint64_t complete_end() const { return complete_end_; }
  // Bytes fed so far.
  uint64_t fed() const { return fed_; }
  uint64_t events() const { return events_; }
  // Type code of the last whole event (0 if none).
  uint8_t last_type() const { return last_type_; }

 private:
  bool ok_ = true;
  uint64_t fed_ = 0;
  uint64_t complete_end_ = 0;
  uint64_t events_ = 0;
  uint8_t last_type_ = 0;
  uint8_t pending_type_ = 0;
  bool in_body_ = false;
  uint64_t next_event_ = 4;  // end of the event whose body is being skipped
  std::byte header_[19]{};
  std::size_t header_have_ = 0;
};

enum class CaptureCompression { kNone, kZstd };

// What a capture directory already holds.
struct CaptureState {
  std::string file;  // binlog name of the newest captured file, empty if none
  std::string path;  // its path in the directory
  CaptureCompression compression = CaptureCompression::kNone;
  uint64_t complete_end = 0;       // offset after its last whole event
  uint64_t torn_bytes = 0;         // bytes after that (a torn event), to be cut off
  bool rewrite = false;            // a .zst whose tail must be rewritten (torn or unfinished frame)
  std::vector<std::string> files;  // every captured binlog name, oldest first
};

// Reads `dir` (which may not exist). Throws std::runtime_error for a directory
// mixing compressed and plain captures, or a file that is not a binlog.
CaptureState scan_capture_dir(const std::string& dir);

// Cuts the newest file back to its last whole event (rewriting a .zst file when its
// tail is torn or its last frame unfinished), so that writing can continue there.
void repair_capture_tail(const CaptureState& state);

// Appends events to capture files, one file at a time.
class CaptureWriter {
 public:
  CaptureWriter(std::string dir, CaptureCompression compression, int zstd_level = 3);
  ~CaptureWriter();
  CaptureWriter(const CaptureWriter&) = delete;
  CaptureWriter& operator=(const CaptureWriter&) = delete;

  // Writes one event read at (`file`, `offset`). A new file name opens (or continues)
  // that file; an offset other than where the file ends is an error (a gap).
  void write(const std::string& file, uint64_t offset, std::span<const std::byte> event);
  // Hands buffered bytes to the kernel (and ends a zstd block so readers see them).
  void flush();
  // flush() and fsync.
  void sync();
  // sync() and close the current file (ending the zstd frame).
  void close();
  uint64_t bytes_written() const { return bytes_; }
  const std::string& current_file() const { return file_; }

 private:
  void open(const std::string& file, uint64_t offset);
  void put(std::span<const std::byte> bytes);
  void write_out(const void* data, std::size_t size);
  void compress(ZSTD_EndDirective mode);

  std::string dir_;
  CaptureCompression compression_;
  int level_;
  int fd_ = -1;
  std::string file_;
  std::string path_;
  uint64_t end_ = 0;             // uncompressed size of the current file
  uint64_t file_size_ = 0;       // its size on disk (compressed size for .zst)
  uint64_t writeback_from_ = 0;  // where writing to the disk has not been started yet
  uint64_t bytes_ = 0;
  std::vector<std::byte> buffer_;
  ZSTD_CCtx* cctx_ = nullptr;
  std::vector<std::byte> zout_;
};

}  // namespace twinlog
