// The event stream and the reports over a real channel to an in-process server: a watcher that
// disconnects and resumes from the last seq it saw misses nothing and sees nothing twice; new
// events wake watchers through the EventFeed; a stopping server ends its watches at once; urge,
// statistics and the streamed export as a client sees them.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rectify/v1/events.grpc.pb.h"
#include "services/domain/event_feed.h"
#include "tests/support/report_ledger.h"
#include "tests/support/test_server.h"
#include "tests/support/token_support.h"

namespace rectify {
namespace {

using testing_support::ChannelTo;
using testing_support::ReportLedgerTest;
using testing_support::StartTestServer;

class EventsServiceTest : public ReportLedgerTest {
 protected:
  std::string secret_;
  void SetUp() override {
    ReportLedgerTest::SetUp();
    SeedLedger();
    // 纪委办: a supervisor of the whole tree (reads, reports, urges).
    secret_ = testing_support::IssueTestToken(*store_, clock_->Now(), "纪委办", Role::kSupervisor,
                                              committee_.id);
    ledger_->set_change_listener([this] { feed_.Notify(); });
    StartServer(absl::Seconds(30));
  }
  void TearDown() override {
    server_.reset();
    ReportLedgerTest::TearDown();
  }

  // A long poll interval: only the feed can wake a watcher in time.
  void StartServer(absl::Duration poll_interval, int max_watchers = 8) {
    server_.reset();
    api::ServerOptions options;
    options.event_feed = &feed_;
    options.event_poll_interval = poll_interval;
    options.max_watchers = max_watchers;
    server_ = StartTestServer(ledger_.get(), options);
    ASSERT_NE(server_, nullptr);
    channel_ = ChannelTo(*server_);
    events_ = v1::EventService::NewStub(channel_);
    ledger_stub_ = v1::LedgerService::NewStub(channel_);
    reports_ = v1::ReportService::NewStub(channel_);
  }

  std::unique_ptr<grpc::ClientContext> Ctx(int seconds = 10) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + secret_);  // 纪委办
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    return ctx;
  }

  // A task created straight through the ledger, then the feed told, as the API layer does after
  // every commit.
  absl::StatusOr<Task> Created(const std::string& deadline, Id owner = 0) {
    absl::StatusOr<Task> task = CreateTask(deadline, owner);
    ledger_->NotifyChanged();
    return task;
  }

  // Every stored event's seq, in order: what a watcher from 0 must see.
  std::vector<int64_t> StoredSeqs(Id unit_id = 0) {
    auto events = ledger_->ListEventsAfter(unit_id, 0, 1000);
    EXPECT_TRUE(events.ok()) << events.status();
    std::vector<int64_t> seqs;
    for (const Event& e : events.value_or(std::vector<Event>())) seqs.push_back(e.seq);
    return seqs;
  }

  // Reads exactly `n` events from the stream into `seen` (a missing event fails at the deadline
  // instead of hanging).
  static void ReadN(grpc::ClientReader<v1::Event>& reader, int n, std::vector<int64_t>& seen) {
    v1::Event event;
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(reader.Read(&event)) << "stream ended after " << i << " of " << n;
      seen.push_back(event.seq());
    }
  }

  EventFeed feed_;
  std::unique_ptr<api::RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::EventService::Stub> events_;
  std::unique_ptr<v1::LedgerService::Stub> ledger_stub_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
};

TEST_F(EventsServiceTest, ResumingAfterADisconnectMissesNothingAndRepeatsNothing) {
  const size_t seeded = StoredSeqs().size();
  std::vector<int64_t> seen;

  // First connection: the stored events, then two new tasks as they are created.
  auto first_ctx = Ctx();
  v1::WatchEventsRequest request;
  auto first = events_->WatchEvents(first_ctx.get(), request);
  ReadN(*first, static_cast<int>(seeded), seen);
  ASSERT_OK(Created("2022-06-30").status());  // one "created" event each
  ASSERT_OK(Created("2022-06-30").status());
  ReadN(*first, 2, seen);
  first_ctx->TryCancel();  // the client drops
  first->Finish();

  // While it is away, more happens.
  ASSERT_OK(Created("2022-06-30", branch_b_.id).status());
  ASSERT_OK(Created("2022-06-30").status());

  // Second connection, resuming after the last seq seen.
  auto second_ctx = Ctx();
  request.set_after_seq(seen.back());
  auto second = events_->WatchEvents(second_ctx.get(), request);
  ReadN(*second, 2, seen);
  ASSERT_OK(Created("2022-06-30").status());
  ReadN(*second, 1, seen);
  second_ctx->TryCancel();
  second->Finish();

  EXPECT_EQ(seen, StoredSeqs()) << "every event once, in order";
}

TEST_F(EventsServiceTest, WatcherOfASubtreeSeesOnlyItsUnitsEvents) {
  auto ctx = Ctx();
  v1::WatchEventsRequest request;
  request.set_unit_id(branch_b_.id);
  request.set_after_seq(StoredSeqs().back());
  auto reader = events_->WatchEvents(ctx.get(), request);
  ASSERT_OK(Created("2022-06-30", branch_a_.id).status());
  ASSERT_OK_AND_ASSIGN(Task theirs, Created("2022-06-30", branch_b_.id));
  v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.task_id(), theirs.id);
  EXPECT_EQ(event.unit_id(), branch_b_.id);
  EXPECT_EQ(event.kind(), v1::EVENT_CREATED);
  ctx->TryCancel();
  reader->Finish();
}

TEST_F(EventsServiceTest, UrgeReachesTheOwnersWatcherAtOnce) {
  ASSERT_OK_AND_ASSIGN(Task task, Created("2022-06-30", branch_b_.id));
  auto ctx = Ctx();
  v1::WatchEventsRequest request;
  request.set_unit_id(branch_b_.id);
  request.set_after_seq(StoredSeqs().back());
  auto reader = events_->WatchEvents(ctx.get(), request);

  v1::UrgeTaskRequest urge;
  urge.set_request_id("urge-0001");
  urge.set_id(task.id);
  urge.set_note("请于本周五前报送整改进展");
  v1::Event urged;
  const absl::Time sent = absl::Now();
  grpc::Status s = ledger_stub_->UrgeTask(Ctx().get(), urge, &urged);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(urged.kind(), v1::EVENT_URGED);
  EXPECT_EQ(urged.actor(), "纪委办");

  v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  // The poll interval is 30 s: only the feed can have delivered it this soon.
  EXPECT_LT(absl::Now() - sent, absl::Seconds(5));
  EXPECT_EQ(event.seq(), urged.seq());
  EXPECT_EQ(event.detail(), "请于本周五前报送整改进展");
  ctx->TryCancel();
  reader->Finish();

  // A retry with the same request_id is the same urge, not a second one.
  v1::Event again;
  ASSERT_TRUE(ledger_stub_->UrgeTask(Ctx().get(), urge, &again).ok());
  EXPECT_EQ(again.seq(), urged.seq());
}

TEST_F(EventsServiceTest, UrgingAClosedTaskIsFailedPrecondition) {
  ASSERT_OK_AND_ASSIGN(Task task, Created("2022-06-30"));
  ASSERT_OK(Do<Task>([&](WriteTxn& tx) {
              return ledger_->CancelTask(tx, actor_, task.id, 0, "并入其他措施");
            }).status());
  v1::UrgeTaskRequest urge;
  urge.set_id(task.id);
  urge.set_note("请尽快整改");
  v1::Event event;
  grpc::Status s = ledger_stub_->UrgeTask(Ctx().get(), urge, &event);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("不能催办"), std::string::npos);
}

TEST_F(EventsServiceTest, StoppingServerEndsItsWatchesAtOnce) {
  auto ctx = Ctx(60);
  v1::WatchEventsRequest request;
  request.set_after_seq(StoredSeqs().back());
  auto reader = events_->WatchEvents(ctx.get(), request);
  ASSERT_OK(Created("2022-06-30").status());
  v1::Event event;
  ASSERT_TRUE(reader->Read(&event));  // the watch is up and waiting
  const absl::Time start = absl::Now();
  server_->Shutdown(absl::Seconds(30));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5)) << "shutdown waited for the watcher";
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(EventsServiceTest, WatchersBeyondTheLimitAreTurnedAway) {
  StartServer(absl::Seconds(1), /*max_watchers=*/1);
  auto ctx = Ctx();
  v1::WatchEventsRequest request;
  auto first = events_->WatchEvents(ctx.get(), request);
  v1::Event event;
  ASSERT_TRUE(first->Read(&event));  // the first watch holds the only slot
  auto ctx2 = Ctx();
  auto second = events_->WatchEvents(ctx2.get(), request);
  EXPECT_FALSE(second->Read(&event));
  EXPECT_EQ(second->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  ctx->TryCancel();
  first->Finish();
}

TEST_F(EventsServiceTest, AWatchFromNowSkipsTheLogAndSeesTheNextEvent) {
  ASSERT_OK_AND_ASSIGN(Task task, Created("2022-06-30", branch_b_.id));
  ASSERT_FALSE(StoredSeqs().empty());
  auto ctx = Ctx();
  v1::WatchEventsRequest request;
  request.set_from_now(true);
  auto reader = events_->WatchEvents(ctx.get(), request);
  // Give the watch time to read where the log ends before the urge commits.
  absl::SleepFor(absl::Milliseconds(300));
  v1::UrgeTaskRequest urge;
  urge.set_request_id("urge-from-now");
  urge.set_id(task.id);
  urge.set_note("请抓紧整改");
  v1::Event urged;
  ASSERT_TRUE(ledger_stub_->UrgeTask(Ctx().get(), urge, &urged).ok());
  v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  // The first event delivered is the urge: nothing of the stored log came before it.
  EXPECT_EQ(event.seq(), urged.seq());
  ctx->TryCancel();
  reader->Finish();

  request.set_after_seq(1);
  auto ctx2 = Ctx();
  auto both = events_->WatchEvents(ctx2.get(), request);
  EXPECT_FALSE(both->Read(&event));
  grpc::Status refused = both->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("from_now"), std::string::npos);
}

TEST_F(EventsServiceTest, EvidenceIsDownloadedWithItsTaskAndOnlyThere) {
  ASSERT_OK_AND_ASSIGN(Task task, Created("2030-06-30", branch_b_.id));
  ASSERT_OK_AND_ASSIGN(Task other, Created("2030-06-30", branch_b_.id));
  const std::string content("走访记录：三个社区\n\x00\xff", 30);
  ASSERT_OK(store_->Write([&](WriteTxn& tx) {
    return ledger_
        ->ReportProgress(tx, actor_, task.id, 0, "已走访三个社区", 40,
                         {NewEvidence{"走访记录.txt", "", content}})
        .status();
  }));
  v1::GetTaskHistoryRequest history_req;
  history_req.set_id(task.id);
  v1::TaskHistory history;
  ASSERT_TRUE(ledger_stub_->GetTaskHistory(Ctx().get(), history_req, &history).ok());
  ASSERT_EQ(history.progress_size(), 1);
  ASSERT_EQ(history.progress(0).evidence_size(), 1);
  const v1::Evidence& listed = history.progress(0).evidence(0);
  EXPECT_TRUE(listed.content().empty());  // the history lists files without their bytes

  v1::GetEvidenceRequest req;
  req.set_task_id(task.id);
  req.set_evidence_id(listed.id());
  v1::Evidence file;
  grpc::Status s = ledger_stub_->GetEvidence(Ctx().get(), req, &file);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(file.content(), content);
  EXPECT_EQ(file.file_name(), "走访记录.txt");
  EXPECT_EQ(file.sha256(), listed.sha256());
  EXPECT_EQ(file.size_bytes(), static_cast<int64_t>(content.size()));

  // Named through another task, the file is not there.
  req.set_task_id(other.id);
  v1::Evidence none;
  EXPECT_EQ(ledger_stub_->GetEvidence(Ctx().get(), req, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  req.set_task_id(task.id);
  req.set_evidence_id(0);
  EXPECT_EQ(ledger_stub_->GetEvidence(Ctx().get(), req, &none).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(EventsServiceTest, BadWatchRequestsAreRefused) {
  v1::WatchEventsRequest request;
  request.set_unit_id(999);
  v1::Event event;
  auto ctx = Ctx();
  auto reader = events_->WatchEvents(ctx.get(), request);
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
  request.set_unit_id(0);
  request.set_after_seq(-1);
  auto ctx2 = Ctx();
  auto negative = events_->WatchEvents(ctx2.get(), request);
  EXPECT_FALSE(negative->Read(&event));
  EXPECT_EQ(negative->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

class ReportsServiceTest : public EventsServiceTest {
 protected:
  void SetUp() override {
    ReportLedgerTest::SetUp();
    BuildReportLedger();
    secret_ = testing_support::IssueTestToken(*store_, clock_->Now(), "纪委办", Role::kSupervisor,
                                              committee_.id);
    StartServer(absl::Seconds(1));
  }
};

TEST_F(ReportsServiceTest, OverdueReportCarriesFiltersAgingAndEscalation) {
  v1::OverdueReportRequest req;
  req.set_as_of("2022-03-10");
  req.set_group_by(v1::GROUP_BY_OWNER_PERSON);
  req.set_min_days_overdue(8);
  v1::OverdueReportResponse report;
  ASSERT_TRUE(reports_->OverdueReport(Ctx().get(), req, &report).ok());
  EXPECT_EQ(report.total(), 6);
  EXPECT_EQ(report.group_by(), v1::GROUP_BY_OWNER_PERSON);
  ASSERT_EQ(report.groups_size(), 3);
  EXPECT_EQ(report.groups(0).label(), "张三");  // 2 each now that T3 (7 days) is left out
  EXPECT_EQ(report.groups(0).unit_id(), 0);
  const v1::OverdueItem& t1 = report.groups(0).items(0);
  EXPECT_EQ(t1.task().id(), t1_.id);
  EXPECT_EQ(t1.days_overdue(), 90);
  EXPECT_EQ(t1.aging(), v1::AGING_31_TO_90_DAYS);
  EXPECT_EQ(t1.escalation_level(), 2);
  EXPECT_EQ(t1.task().owner_unit_name(), "第一支部");
  ASSERT_EQ(report.aging_size(), 4);
  EXPECT_EQ(report.aging(0).bucket(), v1::AGING_1_TO_7_DAYS);
  EXPECT_EQ(report.aging(0).count(), 0);
  EXPECT_EQ(report.aging(2).count(), 4);
  EXPECT_EQ(report.aging(3).count(), 1);
}

TEST_F(ReportsServiceTest, StatisticsLeaveUndefinedRatesUnset) {
  v1::StatisticsRequest req;
  req.set_as_of("2022-03-10");
  v1::StatisticsResponse stats;
  ASSERT_TRUE(reports_->Statistics(Ctx().get(), req, &stats).ok());
  ASSERT_EQ(stats.rows_size(), 4);
  EXPECT_EQ(stats.rows(2).unit_name(), "第一党小组");
  EXPECT_EQ(stats.rows(2).depth(), 2);
  EXPECT_TRUE(stats.rows(2).has_completion_rate());
  EXPECT_FALSE(stats.rows(2).has_on_time_rate());
  EXPECT_EQ(stats.total().counts().total(), 11);
  EXPECT_EQ(stats.total().counts().overdue(), 7);
  EXPECT_DOUBLE_EQ(stats.total().on_time_rate(), 0.5);
  req.set_by(static_cast<v1::StatisticsDimension>(5));
  EXPECT_EQ(reports_->Statistics(Ctx().get(), req, &stats).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// The lights per unit come from counts the store keeps; they must equal what listing each
// unit's active tasks shows, before and after a light changes (the scheduler's kind of write).
TEST_F(ReportsServiceTest, StatisticsCountTheActiveTasksLightsPerUnitLikeTheTaskList) {
  auto listed = [&](int64_t unit_id) {
    std::map<v1::WarningLight, int> by_light;
    v1::ListTasksRequest req;
    req.set_unit_id(unit_id);
    for (v1::TaskStatus s : {v1::OPEN, v1::IN_PROGRESS, v1::SUBMITTED, v1::ONGOING}) {
      req.add_statuses(s);
    }
    req.set_page_size(1000);
    v1::ListTasksResponse resp;
    EXPECT_TRUE(ledger_stub_->ListTasks(Ctx().get(), req, &resp).ok());
    for (const v1::Task& t : resp.tasks()) ++by_light[t.light()];
    return by_light;
  };
  auto check = [&](const std::string& when) {
    v1::StatisticsResponse stats;
    ASSERT_TRUE(reports_->Statistics(Ctx().get(), v1::StatisticsRequest(), &stats).ok());
    for (const v1::StatisticsRow& row : stats.rows()) {
      auto want = listed(row.unit_id());
      EXPECT_EQ(row.counts().red(), want[v1::RED]) << when << row.unit_name();
      EXPECT_EQ(row.counts().yellow(), want[v1::YELLOW]) << when << row.unit_name();
      EXPECT_EQ(row.counts().green(), want[v1::GREEN]) << when << row.unit_name();
    }
    const v1::TaskCounts& total = stats.total().counts();
    const int active = total.in_progress() + total.submitted() + total.ongoing();
    EXPECT_EQ(total.red() + total.yellow() + total.green(), active) << when;
  };
  check("as built: ");
  ASSERT_OK(store_->Write([&](WriteTxn& tx) -> absl::Status {
    auto task = tx.GetTask(t1_.id);
    if (!task.ok()) return task.status();
    task->light = task->light == WarningLight::kRed ? WarningLight::kYellow : WarningLight::kRed;
    return tx.UpdateTask(*task);
  }));
  check("after a light changed: ");
}

TEST_F(ReportsServiceTest, ExportStreamsEveryRowWithClosingDates) {
  auto ctx = Ctx();
  v1::ExportLedgerRequest req;
  auto reader = reports_->ExportLedger(ctx.get(), req);
  std::vector<v1::LedgerRow> rows;
  v1::LedgerRow row;
  while (reader->Read(&row)) rows.push_back(row);
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows[0].task().id(), t1_.id);
  EXPECT_EQ(rows[0].task().owner_unit_name(), "第一支部");
  EXPECT_EQ(rows[0].review_title(), "2021年党史学习教育专题组织生活会");
  EXPECT_EQ(rows[7].task().id(), t4_.id);
  EXPECT_EQ(rows[7].closed_on(), "2021-12-15");
  EXPECT_EQ(rows[1].closed_on(), "");
  EXPECT_FALSE(rows[11].has_task());
  EXPECT_EQ(rows[11].problem_seq(), 3);
}

// Both reports take a review; one outside the caller's reach reads exactly as a missing one.
TEST_F(ReportsServiceTest, ReportsOfOneReviewAndReviewsOutOfReachReadAsMissing) {
  auto held_by_b = Do<Review>([&](WriteTxn& tx) {
    return ledger_->CreateReview(tx, actor_, "第二支部组织生活会", 1, "2021-12-10", branch_b_.id,
                                 "");
  });
  ASSERT_TRUE(held_by_b.ok()) << held_by_b.status();
  review_ = *held_by_b;
  Make(branch_b_, "王五", MustProblem("在担当作为方面", "攻坚克难的勇气不足"), "2022-01-31");

  v1::StatisticsRequest stats_req;
  stats_req.set_as_of("2022-03-10");
  stats_req.set_review_id(held_by_b->id);
  v1::StatisticsResponse stats;
  ASSERT_TRUE(reports_->Statistics(Ctx().get(), stats_req, &stats).ok());
  EXPECT_EQ(stats.total().counts().total(), 1);
  EXPECT_EQ(stats.total().counts().overdue(), 1);
  v1::OverdueReportRequest overdue_req;
  overdue_req.set_as_of("2022-03-10");
  overdue_req.set_review_id(held_by_b->id);
  v1::OverdueReportResponse overdue;
  ASSERT_TRUE(reports_->OverdueReport(Ctx().get(), overdue_req, &overdue).ok());
  EXPECT_EQ(overdue.total(), 1);

  // 第一支部's secretary cannot see 第二支部's review: the same answer as for no review at all.
  secret_ = testing_support::IssueTestToken(*store_, clock_->Now(), "一支部书记", Role::kBranch,
                                            branch_a_.id);
  constexpr int64_t kMissing = 987654;
  auto same = [&](const grpc::Status& hidden, const grpc::Status& missing) {
    EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND) << hidden.error_message();
    EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND) << missing.error_message();
    auto without = [](std::string message, int64_t id) {
      const std::string digits = std::to_string(id);
      for (size_t at = message.find(digits); at != std::string::npos; at = message.find(digits)) {
        message.replace(at, digits.size(), "#");
      }
      return message;
    };
    EXPECT_EQ(without(hidden.error_message(), held_by_b->id),
              without(missing.error_message(), kMissing));
  };
  grpc::Status hidden = reports_->Statistics(Ctx().get(), stats_req, &stats);
  stats_req.set_review_id(kMissing);
  same(hidden, reports_->Statistics(Ctx().get(), stats_req, &stats));
  hidden = reports_->OverdueReport(Ctx().get(), overdue_req, &overdue);
  overdue_req.set_review_id(kMissing);
  same(hidden, reports_->OverdueReport(Ctx().get(), overdue_req, &overdue));
}

// The export carries each task's light as of the day asked for and, with the history, what the
// owner reported at the close-out.
TEST_F(ReportsServiceTest, ExportCarriesTheLightAsOfTheDayAndTheCloseOutSummary) {
  auto ctx = Ctx();
  v1::ExportLedgerRequest req;
  req.set_as_of("2022-03-10");
  req.set_with_history(true);
  auto reader = reports_->ExportLedger(ctx.get(), req);
  std::map<int64_t, v1::LedgerRow> rows;
  v1::LedgerRow row;
  while (reader->Read(&row)) {
    if (row.has_task()) rows[row.task().id()] = row;
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(rows[t3_.id].light_as_of(), v1::RED);                        // due 2022-03-03
  EXPECT_EQ(rows[t4_.id].light_as_of(), v1::WARNING_LIGHT_UNSPECIFIED);  // closed
  EXPECT_EQ(rows[t4_.id].submit_summary(), "已完成");
  EXPECT_EQ(rows[t7_.id].submit_summary(), "已完成");  // submitted
  EXPECT_EQ(rows[t1_.id].submit_summary(), "");

  auto bad_ctx = Ctx();
  req.set_as_of("2022-13-01");
  auto bad = reports_->ExportLedger(bad_ctx.get(), req);
  while (bad->Read(&row)) {
  }
  grpc::Status s = bad->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("as_of"), std::string::npos) << s.error_message();
}

TEST_F(EventsServiceTest, ExportOfASubtreeWithNothingInItIsEmptyAndOk) {
  auto ctx = Ctx();
  v1::ExportLedgerRequest req;
  req.set_unit_id(branch_b_.id);  // seeded: one problem, no tasks, review held by the committee
  auto reader = reports_->ExportLedger(ctx.get(), req);
  v1::LedgerRow row;
  EXPECT_FALSE(reader->Read(&row));
  EXPECT_TRUE(reader->Finish().ok());
}

}  // namespace
}  // namespace rectify
