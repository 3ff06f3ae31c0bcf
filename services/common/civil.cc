#include "services/common/civil.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/errors.h"

namespace rectify {

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view field, absl::string_view text) {
  auto bad = [&] {
    return InvalidField(field, absl::StrCat("日期“", text, "”无效，应为 YYYY-MM-DD"),
                        absl::StrCat("invalid date \"", text, "\", expected YYYY-MM-DD"));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < lens[i]; ++j) {
      char c = text[starts[i] + j];
      if (c < '0' || c > '9') return bad();
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  absl::CivilDay day(parts[0], parts[1], parts[2]);
  // CivilDay normalises 2021-02-30 to 2021-03-02: a date that does not round-trip is not real.
  if (day.year() != parts[0] || day.month() != parts[1] || day.day() != parts[2] ||
      parts[0] < 1900) {
    return bad();
  }
  return day;
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::CivilDay DayOf(absl::Time t, absl::TimeZone tz) { return absl::ToCivilDay(t, tz); }

absl::Time StartOfDay(absl::CivilDay day, absl::TimeZone tz) { return absl::FromCivil(day, tz); }

absl::Time OverdueFrom(absl::CivilDay deadline, absl::TimeZone tz) {
  return absl::FromCivil(deadline + 1, tz);
}

absl::StatusOr<absl::TimeZone> LoadZone(absl::string_view name) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(std::string(name), &tz)) {
    return InvalidField("time_zone", absl::StrCat("未知时区“", name, "”"),
                        absl::StrCat("unknown time zone \"", name, "\""));
  }
  return tz;
}

}  // namespace rectify
