// The journal the crash load writes and the verifier reads: one line per fact, in the order the
// load learnt it. Every write the load sends has a fixed request_id derived from its worker and
// sequence number, so the verifier can rebuild the exact request from the line.
//
//   T <worker> <task_id>                        the worker's task (seeded idempotently)
//   R <root_unit_id>                            the root unit new units go under
//   P <op> <task_id> <expected> <percent> <report_id> <version>
//                                               progress report <op> acknowledged
//   U <op> <parent_id> <unit_id>                unit <op> acknowledged
//   X <op>                                      <op> abandoned unacknowledged (outcome unknown)
//   E <op> <code> <message...>                  <op> got an answer it must never get
//
// Ops are "p<worker>-<n>" (a progress report whose text is ProgressText(op)) and "u<worker>-<n>"
// (a unit named op).
#ifndef RECTIFY_TESTS_CRASH_CRASH_JOURNAL_H_
#define RECTIFY_TESTS_CRASH_CRASH_JOURNAL_H_

#include <string>

#include "absl/strings/str_cat.h"

namespace rectify::crash {

inline std::string ProgressText(const std::string& op) { return absl::StrCat("crash-load ", op); }

// The percent a progress op reports: from its sequence number, so a retry sends the same payload.
inline int ProgressPercent(int n) { return n % 101; }

}  // namespace rectify::crash

#endif  // RECTIFY_TESTS_CRASH_CRASH_JOURNAL_H_
