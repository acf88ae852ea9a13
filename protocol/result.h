// The error value every decoder returns instead of throwing or reading out of
// bounds: where (offset) and what was expected.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace twinlog::protocol {

struct DecodeError {
  uint64_t offset = 0;  // absolute position in the input where decoding failed
  std::string message;  // what was expected there
};

// A value or a DecodeError. Small on purpose: ok(), value(), error().
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Result(DecodeError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  // Builds the value in place from what T is made from (an alternative of a
  // variant T, say), without moving a finished T into the result. The
  // constraint keeps Result itself out, so copy and move stay the implicit ones
  // (the forwarding-reference check does not read requires-clauses).
  template <class U>
  requires(!std::is_same_v<std::remove_cvref_t<U>, Result> &&
           !std::is_same_v<std::remove_cvref_t<U>, T> &&
           !std::is_same_v<std::remove_cvref_t<U>, DecodeError> && std::is_constructible_v<T, U&&>)
      // NOLINTNEXTLINE(google-explicit-constructor,bugprone-forwarding-reference-overload)
      Result(U&& value)
      : v_(std::in_place_index<0>, std::forward<U>(value)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  const DecodeError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, DecodeError> v_;
};

}  // namespace twinlog::protocol
