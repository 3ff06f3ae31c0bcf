#include "services/store/sql/row_codec.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace rectify {
namespace sql {

// ---------------------------------------------------------------------------------------------
// Params

Params& Params::Int(int v) {
  s_.BindInt(next_++, v);
  return *this;
}

Params& Params::Int64(int64_t v) {
  s_.BindInt64(next_++, v);
  return *this;
}

Params& Params::Text(absl::string_view v) {
  s_.BindText(next_++, v);
  return *this;
}

Params& Params::Blob(absl::string_view v) {
  s_.BindBlob(next_++, v);
  return *this;
}

Params& Params::Null() {
  s_.BindNull(next_++);
  return *this;
}

Params& Params::Time(absl::Time v) { return Int64(absl::ToUnixMicros(v)); }

Params& Params::OptionalTime(const absl::optional<absl::Time>& v) {
  if (!v.has_value()) return Null();
  return Time(*v);
}

Params& Params::Day(absl::CivilDay v) { return Text(FormatDay(v)); }

Params& Params::OptionalDay(const absl::optional<absl::CivilDay>& v) {
  if (!v.has_value()) return Null();
  return Day(*v);
}

Params& Params::IdOrNull(Id v) {
  if (v == 0) return Null();
  return Int64(v);
}

// ---------------------------------------------------------------------------------------------
// RowReader

int RowReader::Int() { return s_.ColumnInt(next_++); }

int64_t RowReader::Int64() { return s_.ColumnInt64(next_++); }

std::string RowReader::Text() { return s_.ColumnText(next_++); }

std::string RowReader::Blob() { return s_.ColumnBlob(next_++); }

absl::Time RowReader::Time() { return absl::FromUnixMicros(Int64()); }

absl::optional<absl::Time> RowReader::OptionalTime() {
  if (IsNull()) {
    Skip();
    return absl::nullopt;
  }
  return Time();
}

absl::CivilDay RowReader::Day(const char* column) {
  const std::string text = Text();
  absl::CivilDay day;
  // Written by FormatDay, so anything else is damage.
  if (!absl::ParseCivilTime(text, &day) || FormatDay(day) != text) {
    BadValue(column, text);
    return absl::CivilDay();
  }
  return day;
}

absl::optional<absl::CivilDay> RowReader::OptionalDay(const char* column) {
  if (IsNull()) {
    Skip();
    return absl::nullopt;
  }
  return Day(column);
}

Id RowReader::IdOrZero() {
  if (IsNull()) {
    Skip();
    return 0;
  }
  return Int64();
}

void RowReader::BadValue(const char* column, absl::string_view value) {
  if (!status_.ok()) return;
  status_ = absl::DataLossError(absl::StrCat("数据库中 ", column, " 的值无效: ", value,
                                             " / invalid value in the database for ", column, ": ",
                                             value));
}

// ---------------------------------------------------------------------------------------------
// Paths and dynamic conditions

absl::StatusOr<PathRange> SubtreeRange(const std::string& subtree_path, absl::string_view field) {
  if (subtree_path.size() < 1 || subtree_path.front() != '/' || subtree_path.back() != '/') {
    return InvalidField(field, "单位路径须以 / 开头和结尾",
                        "a unit path must start and end with /");
  }
  PathRange range{subtree_path, subtree_path};
  range.hi.back() = '0';  // '0' is the character right after '/'
  return range;
}

std::string Conditions::Value(int64_t v) {
  values_.emplace_back(v);
  return absl::StrCat("$", values_.size());
}

std::string Conditions::Value(std::string v) {
  values_.emplace_back(std::move(v));
  return absl::StrCat("$", values_.size());
}

std::string Conditions::Where() const {
  if (terms_.empty()) return std::string();
  return absl::StrCat(" WHERE ", absl::StrJoin(terms_, " AND "));
}

void Conditions::BindAll(Statement& s) const {
  for (size_t i = 0; i < values_.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const int64_t* v = absl::get_if<int64_t>(&values_[i])) {
      s.BindInt64(index, *v);
    } else {
      s.BindText(index, absl::get<std::string>(values_[i]));
    }
  }
}

absl::StatusOr<int64_t> InsertReturningId(Statement& s) {
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return absl::InternalError(absl::StrCat("INSERT returned no id: ", s.sql()));
  const int64_t id = s.ColumnInt64(0);
  // Step to the end so the statement is complete before the next one runs.
  RETURN_IF_ERROR(s.Run());
  return id;
}

}  // namespace sql
}  // namespace rectify
