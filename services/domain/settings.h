// Server settings the domain rules depend on. Constant after start-up.
#ifndef RECTIFY_SERVICES_DOMAIN_SETTINGS_H_
#define RECTIFY_SERVICES_DOMAIN_SETTINGS_H_

#include <cstdint>

#include "absl/time/time.h"

namespace rectify {

struct LedgerSettings {
  // The organisation's time zone: deadlines are civil days in it.
  absl::TimeZone time_zone = absl::FixedTimeZone(8 * 3600);
  // 预警窗口: a task turns YELLOW this long before it becomes overdue.
  absl::Duration warning_window = absl::Hours(24 * 3);
  // 序时进度: YELLOW when progress trails the elapsed share of the time by more than this many
  // percentage points.
  int behind_schedule_points = 20;
  // 宽限期: overdue longer than this escalates to level 2 (the owner's parent unit is involved).
  absl::Duration grace_period = absl::Hours(24 * 7);
  // Largest evidence file kept, in bytes.
  int64_t max_evidence_bytes = 4 << 20;
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_SETTINGS_H_
