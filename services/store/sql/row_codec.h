// Internal to the stores: how domain values become columns and back (SQLite and PostgreSQL
// alike).
//
// Instants are INTEGER unix microseconds UTC, civil days TEXT 'YYYY-MM-DD', enums INTEGER, absent
// values NULL. A value in the file that cannot be read back (an unparsable day, an enum out of
// range) is DATA_LOSS: the database holds something this code never wrote.
//
// Thread safety: plain helpers over one Statement; as the Statement.
#ifndef RECTIFY_SERVICES_STORE_SQL_ROW_CODEC_H_
#define RECTIFY_SERVICES_STORE_SQL_ROW_CODEC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "absl/types/variant.h"
#include "services/model/model.h"
#include "services/store/sql/connection.h"

namespace rectify {
namespace sql {

// Binds $1, $2, ... in call order, so a long INSERT reads as a list of values.
class Params {
 public:
  explicit Params(Statement& s) : s_(s) {}
  Params& Int(int v);
  Params& Int64(int64_t v);
  Params& Text(absl::string_view v);
  Params& Blob(absl::string_view v);
  Params& Time(absl::Time v);
  Params& OptionalTime(const absl::optional<absl::Time>& v);
  Params& Day(absl::CivilDay v);
  Params& OptionalDay(const absl::optional<absl::CivilDay>& v);
  // 0 (the model's "none") is stored as NULL, so foreign keys accept it.
  Params& IdOrNull(Id v);
  Params& Null();
  template <typename E>
  Params& Enum(E v) {
    return Int(static_cast<int>(v));
  }
  template <typename E>
  Params& OptionalEnum(const absl::optional<E>& v) {
    return v.has_value() ? Enum(*v) : Null();
  }

 private:
  Statement& s_;
  int next_ = 1;
};

// Reads the columns of the current row left to right. Decoding errors are remembered, and
// status() reports the first one; the getters then return zero values.
class RowReader {
 public:
  explicit RowReader(const Statement& s) : s_(s) {}
  int Int();
  int64_t Int64();
  std::string Text();
  std::string Blob();
  absl::Time Time();
  absl::optional<absl::Time> OptionalTime();
  absl::CivilDay Day(const char* column);
  absl::optional<absl::CivilDay> OptionalDay(const char* column);
  // NULL reads as 0.
  Id IdOrZero();
  bool IsNull() const { return s_.ColumnIsNull(next_); }
  void Skip() { ++next_; }
  // Checks lo <= value <= hi.
  template <typename E>
  E Enum(int lo, int hi, const char* column) {
    const int v = Int();
    if (v < lo || v > hi) {
      BadValue(column, std::to_string(v));
      return static_cast<E>(lo);
    }
    return static_cast<E>(v);
  }
  template <typename E>
  absl::optional<E> OptionalEnum(int lo, int hi, const char* column) {
    if (IsNull()) {
      Skip();
      return absl::nullopt;
    }
    return Enum<E>(lo, hi, column);
  }

  const absl::Status& status() const { return status_; }

 private:
  void BadValue(const char* column, absl::string_view value);

  const Statement& s_;
  int next_ = 0;
  absl::Status status_;
};

// The half-open range [lo, hi) of paths under a subtree path such as "/1/5/": hi replaces the
// final '/' with '0', the next character, so "/1/" covers "/1/5/" but not "/12/". A range keeps
// the query index-friendly and portable (no LIKE, no string functions).
struct PathRange {
  std::string lo;
  std::string hi;
};
// INVALID_ARGUMENT naming `field` unless `subtree_path` starts and ends with '/'.
absl::StatusOr<PathRange> SubtreeRange(const std::string& subtree_path, absl::string_view field);

// WHERE terms assembled at run time with their values. Each value gets the next placeholder
// when it is added, so terms must be added in the order their values were created.
class Conditions {
 public:
  // Adds a value and returns its placeholder ("$3").
  std::string Value(int64_t v);
  std::string Value(std::string v);
  void Add(std::string term) { terms_.push_back(std::move(term)); }
  // "" or " WHERE a AND b".
  std::string Where() const;
  void BindAll(Statement& s) const;

 private:
  std::vector<absl::variant<int64_t, std::string>> values_;
  std::vector<std::string> terms_;
};

// Runs an INSERT ... RETURNING id and returns the id.
absl::StatusOr<int64_t> InsertReturningId(Statement& s);

}  // namespace sql
}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_SQL_ROW_CODEC_H_
