// Reading the ledger at the command line: one date reader for the command line and the
// spreadsheet, no light on a draft, the scheduler's events as a sentence with a Chinese actor,
// and an unreachable server answered with what to check and where.
#include <stdlib.h>

#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "client/commands/dates.h"
#include "client/commands/draft_csv.h"
#include "client/commands/root.h"
#include "client/output/ledger_view.h"
#include "client/output/task_view.h"
#include "client/rpc/exit_codes.h"
#include "gtest/gtest.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "tests/support/fake_server_fixture.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class FakeLedger final : public v1::LedgerService::Service {
 public:
  grpc::Status ListTasks(grpc::ServerContext*, const v1::ListTasksRequest* request,
                         v1::ListTasksResponse*) override {
    std::lock_guard<std::mutex> lock(mu_);
    sent_.push_back(*request);
    return grpc::Status::OK;
  }
  std::vector<v1::ListTasksRequest> sent() {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::vector<v1::ListTasksRequest> sent_;
};

// The command-line cases run against a fake that records the task queries it gets.
class DatesTest : public testing_support::FakeServerTest {
 protected:
  FakeLedger ledger_;
};

TEST_F(DatesTest, OneReaderForEveryFormPeopleWrite) {
  std::string day;
  ASSERT_TRUE(ParseUserDate("2026-12-31", &day));
  EXPECT_EQ(day, "2026-12-31");
  ASSERT_TRUE(ParseUserDate("2026/12/31", &day));
  EXPECT_EQ(day, "2026-12-31");
  ASSERT_TRUE(ParseUserDate("2026年12月31日", &day));
  EXPECT_EQ(day, "2026-12-31");
  ASSERT_TRUE(ParseUserDate("2027/1/5", &day));
  EXPECT_EQ(day, "2027-01-05");
  EXPECT_FALSE(ParseUserDate("2026年2月30日", &day));
  EXPECT_FALSE(ParseUserDate("12/31/2026", &day));
  EXPECT_FALSE(ParseUserDate("明年", &day));
}

TEST_F(DatesTest, CommandLineAcceptsWhatTheSpreadsheetAccepts) {
  Serve({&ledger_});
  ASSERT_EQ(Run({"task", "list", "--due-from", "2026/12/31", "--due-to", "2027年1月5日"}), 0)
      << err_.str();
  StopServing();
  ASSERT_EQ(ledger_.sent().size(), 1u);
  EXPECT_EQ(ledger_.sent()[0].deadline_from(), "2026-12-31");
  EXPECT_EQ(ledger_.sent()[0].deadline_to(), "2027-01-05");

  std::string deadline;
  int cadence = 0;
  ASSERT_TRUE(ParseDeadlineCell("2027年1月5日", &deadline, &cadence));
  EXPECT_EQ(deadline, "2027-01-05");
}

TEST_F(DatesTest, BadDateNamesTheFormsInChinese) {
  // Nothing serves: a bad date is refused before anything is sent.
  EXPECT_EQ(Run({"task", "list", "--due-to", "31.12.2026"}), 2);
  EXPECT_TRUE(Has(err_.str(), "2026年12月31日")) << err_.str();
  EXPECT_TRUE(Has(err_.str(), "--due-to")) << err_.str();
}

TEST(DraftLightTest, DraftsShowNoLightInTaskLists) {
  google::protobuf::RepeatedPtrField<v1::Task> tasks;
  v1::Task* draft = tasks.Add();
  draft->set_id(7);
  draft->set_draft(true);
  draft->set_status(v1::OPEN);
  draft->set_light(v1::GREEN);
  draft->set_measure("开展专题学习");
  const std::string text = TaskListText(tasks, Lang::kZh);
  EXPECT_TRUE(Has(text, "草稿")) << text;
  EXPECT_FALSE(Has(text, "绿灯")) << text;
  v1::LedgerRow row;
  *row.mutable_task() = *draft;
  const std::string line = LedgerTable(Lang::kZh).Row(row);
  EXPECT_FALSE(Has(line, "绿灯")) << line;
}

v1::Event SchedulerEvent(v1::EventKind kind, const std::string& detail) {
  v1::Event event;
  event.set_seq(42);
  event.set_kind(kind);
  event.set_task_id(3);
  event.set_actor("system");
  event.set_detail(detail);
  return event;
}

TEST(EventSentenceTest, SchedulerEventsReadAsASentenceWithAChineseActor) {
  v1::TaskHistory history;
  history.mutable_task()->set_id(3);
  *history.add_events() = SchedulerEvent(v1::EVENT_FLAG_RAISED, "临期");
  *history.add_events() = SchedulerEvent(v1::EVENT_FLAG_RAISED, "逾期督办：逾期超过宽限期");
  *history.add_events() = SchedulerEvent(v1::EVENT_FLAG_CLEARED, "临期");
  const std::string text = TaskHistoryText(history, Lang::kZh, absl::UTCTimeZone());
  EXPECT_TRUE(Has(text, "系统（定时任务）  将预警调整为黄灯：临期")) << text;
  EXPECT_TRUE(Has(text, "将预警调整为红灯：逾期督办：逾期超过宽限期")) << text;
  EXPECT_TRUE(Has(text, "解除预警：临期")) << text;
  EXPECT_FALSE(Has(text, "system")) << text;

  const std::string line =
      EventLine(SchedulerEvent(v1::EVENT_FLAG_RAISED, "临期"), Lang::kZh, absl::UTCTimeZone());
  EXPECT_TRUE(Has(line, "系统（定时任务）")) << line;
  EXPECT_TRUE(Has(line, "将预警调整为黄灯：临期")) << line;
  const std::string en =
      EventLine(SchedulerEvent(v1::EVENT_FLAG_RAISED, "临期"), Lang::kEn, absl::UTCTimeZone());
  EXPECT_TRUE(Has(en, "system (scheduler)")) << en;
  EXPECT_TRUE(Has(en, "set the light to yellow: due soon")) << en;
}

TEST(UnreachableTest, SaysToCheckThatRectifydRunsAndWhere) {
  const std::string text = DescribeCallError(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses"),
      "10.0.0.5:50051", 30);
  EXPECT_TRUE(Has(text, "无法连接服务器 10.0.0.5:50051")) << text;
  EXPECT_TRUE(Has(text, "请确认 rectifyd 正在运行")) << text;
  EXPECT_TRUE(Has(text, "RECTIFY_SERVER")) << text;
  // rectifyd's own "busy" stays the server's words.
  const std::string busy = DescribeCallError(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "服务器繁忙 / server busy"), "h:1", 30);
  EXPECT_FALSE(Has(busy, "rectifyd 正在运行")) << busy;
  EXPECT_TRUE(Has(busy, "服务器繁忙")) << busy;
}

}  // namespace
}  // namespace rectify::client
