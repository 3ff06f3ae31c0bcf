// Warning lights (红黄绿灯) and escalation (督办): what should hold for a task at an instant, and
// making the stored flags agree with it exactly once.
//
// EvaluateTask is a pure function of the task, the instant and the settings. ReconcileTask stores
// its outcome: it raises each flag once per (task, deadline version, kind) — the store's unique
// key makes a retry, a restart or a second scheduler pass a no-op — clears flags that no longer
// hold, and records when the task must be looked at next, so that the scheduler only ever visits
// tasks whose flags can change.
#ifndef RECTIFY_SERVICES_DOMAIN_FLAG_RULES_H_
#define RECTIFY_SERVICES_DOMAIN_FLAG_RULES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "services/domain/settings.h"
#include "services/model/model.h"
#include "services/store/store.h"

namespace rectify {

struct TaskEvaluation {
  WarningLight light = WarningLight::kNone;
  int escalation_level = 0;
  bool overdue = false;
  std::vector<FlagKind> flags;  // the flags that hold now
  // The next instant at which the outcome can change by time alone.
  absl::optional<absl::Time> next_check_time;
};

TaskEvaluation EvaluateTask(const Task& task, absl::Time now, const LedgerSettings& settings);

// True when the task is past its deadline (or a long-term checkpoint) and not done, at `now`.
bool IsOverdue(const Task& task, absl::Time now, const LedgerSettings& settings);

// What ReconcileTask changed.
struct ReconcileResult {
  int raised = 0;
  int cleared = 0;
};

// Brings the stored flags, light, escalation level and next check time of `task` in line with
// EvaluateTask at `now`, inside `tx`, appending an event for every flag raised or cleared. Updates
// `task` in place (and in the store when anything changed). Does not bump task.version: lights
// are the scheduler's, not a change to the task.
absl::StatusOr<ReconcileResult> ReconcileTask(WriteTxn& tx, Task& task, absl::Time now,
                                              const LedgerSettings& settings);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_FLAG_RULES_H_
