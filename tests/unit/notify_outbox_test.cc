// The outbox (docs/notifications.md): which changes write which notices, to whose channels, and
// that each is written exactly once whatever is repeated (a scheduler pass, a restart, a plan on
// the same day), in the transaction of the change (a change rolled back leaves none).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/domain/notices.h"
#include "services/scheduler/scheduler.h"
#include "tests/support/ledger_fixture.h"

namespace rectify {
namespace {

using testing_support::LedgerTest;

class NotifyOutboxTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    SeedLedger();
    channel_a_ = AddChannel(branch_a_.id, "第一支部群");
    channel_b_ = AddChannel(branch_b_.id, "第二支部群");
    channel_committee_ = AddChannel(committee_.id, "机关党委群");
  }

  Id AddChannel(Id unit, const std::string& name, bool supervision = false, bool enabled = true) {
    NotifyChannel c;
    c.unit_id = unit;
    c.kind = ChannelKind::kWeCom;
    c.name = name;
    c.url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-" + name;
    c.supervision = supervision;
    c.enabled = enabled;
    c.create_time = clock_->Now();
    EXPECT_TRUE(store_->Write([&](WriteTxn& tx) { return tx.InsertChannel(c); }).ok());
    return c.id;
  }

  // Every delivery of the outbox with its notice and channel, oldest notice first.
  std::vector<DueDelivery> Outbox() {
    std::vector<DueDelivery> all;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto due = tx.ListDueDeliveries(absl::InfiniteFuture(), 100000);
                      if (!due.ok()) return due.status();
                      all = *due;
                      return absl::OkStatus();
                    })
                    .ok());
    std::sort(all.begin(), all.end(), [](const DueDelivery& x, const DueDelivery& y) {
      return std::make_pair(x.notice.id, x.channel.id) < std::make_pair(y.notice.id, y.channel.id);
    });
    return all;
  }

  // Channel ids per notice topic.
  std::multimap<NoticeTopic, Id> Routes() {
    std::multimap<NoticeTopic, Id> routes;
    for (const DueDelivery& d : Outbox()) routes.emplace(d.notice.topic, d.channel.id);
    return routes;
  }

  Task MustTask(const std::string& deadline, Id owner = 0) {
    absl::StatusOr<Task> t = CreateTask(deadline, owner);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : Task{};
  }

  Task Act(const std::function<absl::StatusOr<Task>(WriteTxn&)>& f) {
    absl::StatusOr<Task> t = Do<Task>(f);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : Task{};
  }

  int Plan() {
    int n = -1;
    EXPECT_TRUE(store_
                    ->Write([&](WriteTxn& tx) -> absl::Status {
                      auto planned = PlanNotices(tx, clock_->Now(), NoticePlan(), settings_);
                      if (!planned.ok()) return planned.status();
                      n = *planned;
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }

  Id channel_a_ = 0;
  Id channel_b_ = 0;
  Id channel_committee_ = 0;
};

TEST_F(NotifyOutboxTest, UrgeGoesToTheOwnerUnitsChannelsOnlyWithItsNoteAndIsUrgent) {
  Task task = MustTask("2021-12-31");
  ASSERT_TRUE(Do<Event>([&](WriteTxn& tx) {
                return ledger_->UrgeTask(tx, actor_, task.id, "请本周内报送进展");
              }).ok());
  std::vector<DueDelivery> out = Outbox();
  ASSERT_EQ(out.size(), 1u);
  const Notice& n = out[0].notice;
  EXPECT_EQ(out[0].channel.id, channel_a_);
  EXPECT_EQ(n.topic, NoticeTopic::kUrged);
  EXPECT_TRUE(n.urgent);
  EXPECT_EQ(n.task_id, task.id);
  EXPECT_EQ(n.unit_name, "第一支部");
  EXPECT_EQ(n.measure, task.measure);
  EXPECT_EQ(n.person, "张三");
  EXPECT_EQ(n.note, "请本周内报送进展");
  EXPECT_EQ(n.actor, actor_.name);
  EXPECT_EQ(n.create_time, clock_->Now());
  EXPECT_EQ(out[0].delivery.state, DeliveryState::kPending);
  EXPECT_EQ(out[0].delivery.next_attempt_time, clock_->Now());
}

TEST_F(NotifyOutboxTest, ReturnCloseOutAndExtensionDecisionsReachTheOwnerUnit) {
  Task task = MustTask("2021-12-31");
  task = Act([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, task.id, 0); });
  task = Act([&](WriteTxn& tx) { return ledger_->SubmitTask(tx, actor_, task.id, 0, "已完成"); });
  task = Act([&](WriteTxn& tx) { return ledger_->ReturnTask(tx, actor_, task.id, 0, "材料不全"); });
  // A progress report and a submission are the owner's own doings: no notice.
  using Reported = std::pair<Task, ProgressReport>;
  ASSERT_TRUE(Do<Reported>([&](WriteTxn& tx) {
                return ledger_->ReportProgress(tx, actor_, task.id, 0, "补充了材料", 90, {});
              }).ok());
  task = Act([&](WriteTxn& tx) { return ledger_->SubmitTask(tx, actor_, task.id, 0, "已补充"); });
  task = Act([&](WriteTxn& tx) { return ledger_->AcceptTask(tx, actor_, task.id, 0, "同意销号"); });

  Task other = MustTask("2021-12-20", branch_b_.id);
  auto ext = Do<ExtensionRequest>([&](WriteTxn& tx) {
    return ledger_->RequestExtension(tx, actor_, other.id, 0, "2022-01-20", "需要协调");
  });
  ASSERT_TRUE(ext.ok()) << ext.status();
  ASSERT_TRUE(Do<ExtensionRequest>([&](WriteTxn& tx) {
                return ledger_->DecideExtension(tx, actor_, ext->id, true, "同意");
              }).ok());

  std::vector<DueDelivery> out = Outbox();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].notice.topic, NoticeTopic::kReturned);
  EXPECT_EQ(out[0].notice.note, "材料不全");
  EXPECT_FALSE(out[0].notice.urgent);
  EXPECT_EQ(out[0].channel.id, channel_a_);
  EXPECT_EQ(out[1].notice.topic, NoticeTopic::kClosed);
  EXPECT_EQ(out[1].channel.id, channel_a_);
  EXPECT_EQ(out[2].notice.topic, NoticeTopic::kExtensionDecided);
  EXPECT_EQ(out[2].notice.days, 1);  // approved
  EXPECT_EQ(out[2].notice.deadline, absl::CivilDay(2022, 1, 20));
  EXPECT_EQ(out[2].channel.id, channel_b_);
}

TEST_F(NotifyOutboxTest, FlagsNotifyTheOwnerAndEscalationTheParentAndSupervisorsExactlyOnce) {
  const Id supervision = AddChannel(branch_b_.id, "纪委督查室", /*supervision=*/true);
  Task task = MustTask("2021-12-05");
  Scheduler scheduler(store_.get(), clock_.get(), settings_);
  // Yellow (due within three days), then overdue, then past the grace period.
  clock_->Set(Local(2021, 12, 3, 9));
  ASSERT_TRUE(scheduler.RunPass().ok());
  clock_->Set(Local(2021, 12, 6, 9));
  ASSERT_TRUE(scheduler.RunPass().ok());
  clock_->Set(Local(2021, 12, 13, 9));
  ASSERT_TRUE(scheduler.RunPass().ok());

  std::multimap<NoticeTopic, Id> routes = Routes();
  EXPECT_EQ(routes.count(NoticeTopic::kDueSoon), 1u);
  EXPECT_EQ(routes.find(NoticeTopic::kDueSoon)->second, channel_a_);
  EXPECT_EQ(routes.count(NoticeTopic::kOverdue), 1u);
  EXPECT_EQ(routes.find(NoticeTopic::kOverdue)->second, channel_a_);
  std::vector<Id> escalated;
  auto range = routes.equal_range(NoticeTopic::kEscalated);
  for (auto it = range.first; it != range.second; ++it) escalated.push_back(it->second);
  std::sort(escalated.begin(), escalated.end());
  EXPECT_EQ(escalated, (std::vector<Id>{channel_a_, channel_committee_, supervision}))
      << "level 2 goes to the owner, its parent unit and every supervision channel";
  for (const DueDelivery& d : Outbox()) {
    if (d.notice.topic == NoticeTopic::kEscalated) {
      EXPECT_EQ(d.notice.days, 8);
    } else if (d.notice.topic == NoticeTopic::kOverdue) {
      EXPECT_TRUE(d.notice.urgent);
    } else if (d.notice.topic == NoticeTopic::kDueSoon) {
      EXPECT_FALSE(d.notice.urgent);
    }
  }

  // Passes repeated, and a restarted server's first pass, write nothing again.
  const size_t before = Outbox().size();
  ASSERT_TRUE(scheduler.RunPass().ok());
  Reopen();
  Scheduler restarted(store_.get(), clock_.get(), settings_);
  ASSERT_TRUE(restarted.RunPass().ok());
  EXPECT_EQ(Outbox().size(), before);
}

TEST_F(NotifyOutboxTest, AChangeRolledBackLeavesNoNotice) {
  Task task = MustTask("2021-12-31");
  absl::Status s = store_->Write([&](WriteTxn& tx) -> absl::Status {
    auto urged = ledger_->UrgeTask(tx, actor_, task.id, "请尽快");
    if (!urged.ok()) return urged.status();
    return absl::AbortedError("the caller gave up");
  });
  ASSERT_TRUE(absl::IsAborted(s));
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(NotifyOutboxTest, ADisabledChannelGetsNoDeliveryAndAUnitWithoutChannelsNone) {
  const OrgUnit quiet = MustUnit(committee_.id, "第三支部");
  AddChannel(quiet.id, "停用的群", false, /*enabled=*/false);
  Task task = MustTask("2021-12-31", quiet.id);
  ASSERT_TRUE(
      Do<Event>([&](WriteTxn& tx) { return ledger_->UrgeTask(tx, actor_, task.id, "催"); }).ok());
  EXPECT_TRUE(Outbox().empty());
  // The notice itself is written (its key keeps a re-run from writing it again).
  absl::optional<Notice> n;
  ASSERT_TRUE(store_
                  ->Read([&](ReadTxn& tx) -> absl::Status {
                    auto events = tx.ListTaskEvents(task.id);
                    if (!events.ok()) return events.status();
                    auto found = tx.FindNotice("event/" + std::to_string(events->back().seq));
                    if (!found.ok()) return found.status();
                    n = *found;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->topic, NoticeTopic::kUrged);
}

TEST_F(NotifyOutboxTest, RemindersGoOutOnTheirLeadDaysOncePerDeadlineVersion) {
  Task task = MustTask("2021-12-08");  // 7 days after the fixture's today (2021-12-01)
  EXPECT_EQ(Plan(), 1);
  EXPECT_EQ(Plan(), 0) << "planned once a day";
  clock_->Set(Local(2021, 12, 2, 9));
  EXPECT_EQ(Plan(), 0) << "6 days before is no lead day";
  clock_->Set(Local(2021, 12, 5, 0, 1));
  EXPECT_EQ(Plan(), 1);  // 3 days before
  std::vector<int> days;
  for (const DueDelivery& d : Outbox()) {
    ASSERT_EQ(d.notice.topic, NoticeTopic::kReminder);
    EXPECT_EQ(d.channel.id, channel_a_);
    EXPECT_FALSE(d.notice.urgent);
    days.push_back(d.notice.days);
  }
  EXPECT_EQ(days, (std::vector<int>{7, 3}));

  // A moved deadline is a new deadline version: its reminders are new notices.
  auto ext = Do<ExtensionRequest>([&](WriteTxn& tx) {
    return ledger_->RequestExtension(tx, actor_, task.id, 0, "2021-12-13", "需要协调");
  });
  ASSERT_TRUE(ext.ok()) << ext.status();
  ASSERT_TRUE(Do<ExtensionRequest>([&](WriteTxn& tx) {
                return ledger_->DecideExtension(tx, actor_, ext->id, true, "");
              }).ok());
  clock_->Set(Local(2021, 12, 6, 8));
  EXPECT_EQ(Plan(), 1);
  EXPECT_EQ(Outbox().back().notice.key, absl::StrCat("remind/", task.id, "/2/7"));

  // A closed task is reminded of nothing.
  Task done = MustTask("2021-12-13");
  Act([&](WriteTxn& tx) { return ledger_->CancelTask(tx, actor_, done.id, 0, "合并"); });
  const size_t before = Outbox().size();
  clock_->Set(Local(2021, 12, 10, 8));
  Plan();
  for (size_t i = before; i < Outbox().size(); ++i) EXPECT_NE(Outbox()[i].notice.task_id, done.id);
}

TEST_F(NotifyOutboxTest, TheDigestCountsTheSubtreeAtItsTimeAndSaysNothingWhenThereIsNothing) {
  Task late = MustTask("2021-12-01");  // overdue from tomorrow
  Task waiting = MustTask("2021-12-31");
  Act([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, waiting.id, 0); });
  Act([&](WriteTxn& tx) { return ledger_->SubmitTask(tx, actor_, waiting.id, 0, "完成"); });
  Scheduler scheduler(store_.get(), clock_.get(), settings_);
  ASSERT_TRUE(scheduler.RunPass().ok());
  auto digests = [&] {
    std::vector<DueDelivery> out;
    for (const DueDelivery& d : Outbox()) {
      if (d.notice.topic == NoticeTopic::kDigest) out.push_back(d);
    }
    return out;
  };
  clock_->Set(Local(2021, 12, 2, 8, 29));
  Plan();
  EXPECT_TRUE(digests().empty()) << "not before 08:30";
  clock_->Set(Local(2021, 12, 2, 8, 30));
  Plan();
  Plan();
  std::vector<DueDelivery> out = digests();
  // Branch A (its own two tasks) and the committee (its subtree); branch B has nothing to say.
  ASSERT_EQ(out.size(), 2u);
  for (const DueDelivery& d : out) {
    EXPECT_NE(d.channel.id, channel_b_);
    EXPECT_EQ(d.notice.overdue, 1);
    EXPECT_EQ(d.notice.submitted, 1);
    EXPECT_EQ(d.notice.note, "2021-12-02");
    ASSERT_EQ(d.notice.items.size(), 2u);
    EXPECT_EQ(d.notice.items[0].substr(0, 2), "O\t");
    EXPECT_NE(d.notice.items[0].find(absl::StrCat("\t", late.id, "\t2021-12-01\t第一支部\t")),
              std::string::npos)
        << d.notice.items[0];
    EXPECT_EQ(d.notice.items[1].substr(0, 2), "S\t");
  }
}

}  // namespace
}  // namespace rectify
