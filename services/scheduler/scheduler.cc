#include "services/scheduler/scheduler.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "services/audit/audit_chain.h"
#include "services/common/labels.h"
#include "services/common/status_macros.h"
#include "services/domain/flag_rules.h"
#include "services/model/actor.h"

namespace rectify {

Scheduler::Scheduler(Store* store, const Clock* clock, LedgerSettings settings, Options options)
    : store_(store), clock_(clock), settings_(std::move(settings)), options_(options) {}

Scheduler::~Scheduler() { Stop(); }

namespace {

std::string FlagState(const Task& task) {
  return absl::StrCat(R"({"id":)", task.id, R"(,"light":")",
                      LightLabel(static_cast<int>(task.light), Lang::kEn),
                      R"(","escalation_level":)", task.escalation_level, "}");
}

}  // namespace

// The scheduler changes what a task shows (its warning light, its escalation 督办), so those
// changes go into the audit trail like a user's, as actor "system". Moving next_check_time alone
// is bookkeeping and is not recorded.
absl::Status Scheduler::AuditReconcile(WriteTxn& tx, const Task& before, const Task& after,
                                       absl::Time now) {
  if (before.light == after.light && before.escalation_level == after.escalation_level) {
    return absl::OkStatus();
  }
  AuditEntry entry;
  entry.time = now;
  entry.actor = Actor::System().name;
  entry.method = "scheduler.Reconcile";
  entry.target = absl::StrCat("task/", after.id);
  entry.before = FlagState(before);
  entry.after = FlagState(after);
  return audit::Append(tx, std::move(entry)).status();
}

absl::StatusOr<SchedulerPass> Scheduler::RunPass() {
  SchedulerPass pass;
  const absl::Time now = clock_->Now();
  // Every commit wakes the scheduler, and almost none makes a task due: a read of the earliest
  // next check (one step in the partial index) spares those wakes a write transaction, which
  // would queue with the real writes in the group commit (6% of the server's CPU in a
  // progress-report run was such empty passes).
  absl::optional<absl::Time> next;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(next, tx.NextCheckTime());
    return absl::OkStatus();
  }));
  if (!next.has_value() || *next > now) return pass;
  while (true) {
    int64_t in_batch = 0;
    RETURN_IF_ERROR(store_->Write([&](WriteTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<Task> due, tx.ListTasksDueForCheck(now, options_.batch_size));
      in_batch = static_cast<int64_t>(due.size());
      for (Task& task : due) {
        const Task before = task;
        ASSIGN_OR_RETURN(ReconcileResult r, ReconcileTask(tx, task, now, settings_));
        RETURN_IF_ERROR(AuditReconcile(tx, before, task, now));
        pass.flags_raised += r.raised;
        pass.flags_cleared += r.cleared;
      }
      return absl::OkStatus();
    }));
    pass.tasks_checked += in_batch;
    // Reconciling moves every task's next check past `now`, so each batch is new work.
    if (in_batch < options_.batch_size) break;
  }
  if (pass.flags_raised + pass.flags_cleared > 0 && options_.on_events) options_.on_events();
  absl::MutexLock lock(&mu_);
  totals_.tasks_checked += pass.tasks_checked;
  totals_.flags_raised += pass.flags_raised;
  totals_.flags_cleared += pass.flags_cleared;
  return pass;
}

void Scheduler::Start() { loop_.Start(); }

void Scheduler::Stop() { loop_.Stop(); }

void Scheduler::Wake() { loop_.Wake(); }

SchedulerPass Scheduler::totals() const {
  absl::MutexLock lock(&mu_);
  return totals_;
}

absl::Duration Scheduler::Pass() {
  if (options_.may_run && !options_.may_run()) return options_.follower_poll;
  absl::StatusOr<SchedulerPass> pass = RunPass();
  if (!pass.ok()) {
    std::cerr << "rectifyd: 调度失败，稍后重试 / scheduler pass failed, retrying: "
              << pass.status().message() << "\n";
    return options_.retry_after;
  }
  absl::Duration sleep = options_.max_sleep;
  absl::optional<absl::Time> next;
  absl::Status s = store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(next, tx.NextCheckTime());
    return absl::OkStatus();
  });
  if (s.ok() && next.has_value()) {
    sleep = std::min(sleep, std::max(absl::ZeroDuration(), *next - clock_->Now()));
  }
  return sleep;
}

}  // namespace rectify
