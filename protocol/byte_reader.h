// A bounds-checked little-endian reader over a byte span.
//
// Every read past the end returns zero (or an empty view) and records a sticky
// error with the absolute offset and what was being read; the first error wins.
// Decoders read a whole structure, then check failed() once. Nothing here can
// read outside the span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/endian.h"
#include "protocol/result.h"

namespace twinlog::protocol {

using Bytes = std::span<const std::byte>;

inline std::string_view as_chars(Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

class ByteReader {
 public:
  // `base` is the absolute offset of bytes[0], used in error messages.
  explicit ByteReader(Bytes bytes, uint64_t base = 0) : bytes_(bytes), base_(base) {}

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return failed_ ? 0 : bytes_.size() - pos_; }
  bool at_end() const { return remaining() == 0; }
  uint64_t absolute() const { return base_ + pos_; }
  Bytes rest() const { return failed_ ? Bytes{} : bytes_.subspan(pos_); }

  bool failed() const { return failed_; }
  const DecodeError& error() const { return error_; }
  DecodeError error_or(std::string_view what) const {
    return failed_ ? error_ : DecodeError{absolute(), std::string(what)};
  }
  // Records a semantic error (a bad value rather than a short buffer).
  void fail(std::string message) {
    if (!failed_) {
      failed_ = true;
      error_ = DecodeError{absolute(), std::move(message)};
    }
  }

  uint8_t u8(std::string_view what = "1 byte") {
    return need(1, what) ? std::to_integer<uint8_t>(bytes_[pos_++]) : 0;
  }
  uint16_t u16(std::string_view what = "2-byte integer") {
    return take<uint16_t>(2, what, load_le16);
  }
  uint32_t u24(std::string_view what = "3-byte integer") {
    return take<uint32_t>(3, what, load_le24);
  }
  uint32_t u32(std::string_view what = "4-byte integer") {
    return take<uint32_t>(4, what, load_le32);
  }
  uint64_t u48(std::string_view what = "6-byte integer") {
    return take<uint64_t>(6, what, load_le48);
  }
  uint64_t u64(std::string_view what = "8-byte integer") {
    return take<uint64_t>(8, what, load_le64);
  }
  uint64_t uint_n(std::size_t n, std::string_view what = "integer") {
    if (n > 8 || !need(n, what)) return 0;
    uint64_t v = load_le_n(bytes_.data() + pos_, n);
    pos_ += n;
    return v;
  }

  Bytes bytes(std::size_t n, std::string_view what = "bytes") {
    if (!need(n, what)) return {};
    Bytes b = bytes_.subspan(pos_, n);
    pos_ += n;
    return b;
  }
  std::string_view chars(std::size_t n, std::string_view what = "string") {
    return as_chars(bytes(n, what));
  }
  void skip(std::size_t n, std::string_view what = "bytes") { (void)bytes(n, what); }

  // MySQL packed (length-encoded) integer: < 251 one byte, 252 + u16, 253 + u24, 254 + u64.
  // 251 is SQL NULL in the client protocol and is an error here.
  uint64_t packed_int(std::string_view what = "packed integer") {
    uint8_t first = u8(what);
    if (failed_) return 0;
    if (first < 251) return first;
    if (first == 252) return u16(what);
    if (first == 253) return u24(what);
    if (first == 254) return u64(what);
    pos_--;
    fail("bad packed integer prefix " + std::to_string(first) + " in " + std::string(what));
    return 0;
  }
  // A string prefixed by a 1-byte length.
  std::string_view lstring8(std::string_view what = "length-prefixed string") {
    return chars(u8(what), what);
  }
  // A NUL-terminated string; the NUL is consumed and not returned.
  std::string_view cstring(std::string_view what = "NUL-terminated string") {
    if (failed_) return {};
    for (std::size_t i = pos_; i < bytes_.size(); ++i) {
      if (bytes_[i] == std::byte{0}) {
        std::string_view s = as_chars(bytes_.subspan(pos_, i - pos_));
        pos_ = i + 1;
        return s;
      }
    }
    fail("unterminated " + std::string(what));
    return {};
  }

 private:
  // Inlined into every read; the error is built out of line (with it inline the
  // compiler called need() for every field: 8% of the instructions of a read).
  bool need(std::size_t n, std::string_view what) {
    if (!failed_ && bytes_.size() - pos_ >= n) [[likely]]
      return true;
    return short_of(n, what);
  }
  [[gnu::cold, gnu::noinline]] bool short_of(std::size_t n, std::string_view what) {
    if (failed_) return false;
    failed_ = true;
    error_ = DecodeError{absolute(), "truncated: expected " + std::string(what) + " (" +
                                         std::to_string(n) + " bytes), " +
                                         std::to_string(bytes_.size() - pos_) + " left"};
    return false;
  }
  template <class T, class F>
  T take(std::size_t n, std::string_view what, F load) {
    if (!need(n, what)) return 0;
    T v = static_cast<T>(load(bytes_.data() + pos_));
    pos_ += n;
    return v;
  }

  Bytes bytes_;
  uint64_t base_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  DecodeError error_;
};

}  // namespace twinlog::protocol
