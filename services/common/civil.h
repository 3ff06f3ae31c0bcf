// Civil dates and the organisation's time zone.
//
// Deadlines are civil days in the organisation's zone (default Asia/Shanghai): a task due
// 2021-12-31 is overdue from 2022-01-01 00:00 local time. Instants are stored in UTC.
#ifndef RECTIFY_SERVICES_COMMON_CIVIL_H_
#define RECTIFY_SERVICES_COMMON_CIVIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace rectify {

// Parses "YYYY-MM-DD" (a real date between 1900-01-01 and 9999-12-31). The error is
// INVALID_ARGUMENT naming `field`.
absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view field, absl::string_view text);

// "YYYY-MM-DD".
std::string FormatDay(absl::CivilDay day);

// The civil day of instant `t` in zone `tz`.
absl::CivilDay DayOf(absl::Time t, absl::TimeZone tz);

// 00:00 of `day` in `tz`, as an instant.
absl::Time StartOfDay(absl::CivilDay day, absl::TimeZone tz);

// The instant a task due `deadline` becomes overdue: 00:00 of the next day in `tz`.
absl::Time OverdueFrom(absl::CivilDay deadline, absl::TimeZone tz);

// Loads a zone by IANA name; INVALID_ARGUMENT naming the zone when unknown.
absl::StatusOr<absl::TimeZone> LoadZone(absl::string_view name);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_COMMON_CIVIL_H_
