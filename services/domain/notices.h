// Notices (提醒、催办、督办通知): which changes of the ledger tell whom, written to the outbox in
// the transaction of the change.
//
// Who hears of what:
//   reminder before a deadline, due soon (yellow), behind schedule, checkpoint missed, urge,
//   return, close-out, extension decision          -> the owner unit's channels
//   overdue (督办 level 1)                          -> the owner unit's channels
//   escalated (督办 level 2)                        -> the owner unit's, its parent unit's and
//                                                      every supervision channel
//   daily digest                                    -> the unit's own channels, about its subtree
// Each notice has a key (the event's sequence number, or the task, deadline version and lead
// time of a reminder, or the unit and day of a digest) that the outbox keeps unique: a scheduler
// pass repeated after a crash, a restart or a retried request never writes a second one.
//
// Thread safety: free functions over the caller's transaction.
#ifndef RECTIFY_SERVICES_DOMAIN_NOTICES_H_
#define RECTIFY_SERVICES_DOMAIN_NOTICES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/domain/settings.h"
#include "services/model/model.h"
#include "services/store/store.h"

namespace rectify {

// Urgent topics go out in quiet hours too: an urge, an overdue task, an escalation.
bool IsUrgent(NoticeTopic topic);

// Writes the notice of `topic` about `task`, caused by the event `ev` (already appended, so its
// seq is the key). `days`: see Notice::days; `note`: the urge's note, the return's reason, the
// decision's note.
absl::Status EnqueueTaskNotice(WriteTxn& tx, NoticeTopic topic, const Task& task, const Event& ev,
                               int days, const std::string& note);

// What the planner sends besides the notices of changes.
struct NoticePlan {
  // 到期提醒: days before the deadline, each sent once per deadline version.
  std::vector<int> lead_days = {7, 3, 1};
  // 每日汇总: the time of day (organisation's zone) the digest is written; negative for none.
  absl::Duration digest_at = absl::Hours(8) + absl::Minutes(30);
};

// Writes the reminders due on `today`: every open task whose deadline is today + L days for a lead
// time L. Returns how many were new.
absl::StatusOr<int> PlanReminders(WriteTxn& tx, absl::CivilDay today,
                                  const std::vector<int>& lead_days, absl::Time now);

// Writes today's digest for every unit with an enabled channel: its subtree's overdue tasks,
// those due within the warning window, and those waiting for verification, counted with the
// first few of each; nothing for a unit with nothing to say. Returns how many were new.
absl::StatusOr<int> PlanDigests(WriteTxn& tx, absl::CivilDay today, absl::Time now,
                                const LedgerSettings& settings);

// Runs whichever of the two is due at `now` and not yet done for its day (kept as marks in the
// store). Returns how many notices were new.
absl::StatusOr<int> PlanNotices(WriteTxn& tx, absl::Time now, const NoticePlan& plan,
                                const LedgerSettings& settings);

// Whether PlanNotices has anything to do at `now`: a read, so that the many passes with nothing
// due stay out of the write queue.
absl::StatusOr<bool> PlanningDue(ReadTxn& tx, absl::Time now, const NoticePlan& plan,
                                 const LedgerSettings& settings);

// The digest's item lines are "<category>\t<task id>\t<deadline>\t<unit>\t<measure>", category
// one of 'O' (overdue), 'D' (due soon), 'S' (submitted): the renderer words them per language.
constexpr int kDigestItemsPerCategory = 5;

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_NOTICES_H_
