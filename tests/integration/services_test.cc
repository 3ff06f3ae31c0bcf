// The gRPC services over a real channel to an in-process server: conversions, error codes and
// messages as a client sees them, idempotent retries, health and reflection.
#include "google/protobuf/util/message_differencer.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

class ServicesTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    reports_ = v1::ReportService::NewStub(channel_);
  }

  std::unique_ptr<v1::ReportService::Stub> reports_;
};

TEST_F(ServicesTest, CreatedTaskComesBackWithChineseTextIntactAndUnitName) {
  v1::Task task = SeedTask();
  EXPECT_GT(task.id(), 0);
  EXPECT_EQ(task.status(), v1::OPEN);
  EXPECT_EQ(task.deadline(), "2021-12-31");
  EXPECT_EQ(task.owner_unit_name(), "第一支部");
  EXPECT_EQ(task.area(), "在联系服务群众方面");
  EXPECT_EQ(task.version(), 1);
  v1::GetTaskRequest get;
  get.set_id(task.id());
  v1::Task again;
  ASSERT_TRUE(ledger_stub_->GetTask(Ctx().get(), get, &again).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(task, again));
}

TEST_F(ServicesTest, ErrorsCarryTheRightCodeAndNameTheField) {
  v1::Task task = SeedTask();
  v1::ReportProgressRequest bad_percent;
  bad_percent.set_id(task.id());
  bad_percent.set_text("进展");
  bad_percent.set_percent(150);
  v1::ReportProgressResponse progress;
  grpc::Status s = ledger_stub_->ReportProgress(Ctx().get(), bad_percent, &progress);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("percent"), std::string::npos);
  EXPECT_NE(s.error_message().find("进度"), std::string::npos);

  v1::GetTaskRequest missing;
  missing.set_id(424242);
  v1::Task t;
  EXPECT_EQ(ledger_stub_->GetTask(Ctx().get(), missing, &t).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::AcceptTaskRequest accept_open;
  accept_open.set_id(task.id());
  s = ledger_stub_->AcceptTask(Ctx().get(), accept_open, &t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("待整改"), std::string::npos);

  v1::StartTaskRequest stale;
  stale.set_id(task.id());
  stale.set_expected_version(7);
  EXPECT_EQ(ledger_stub_->StartTask(Ctx().get(), stale, &t).error_code(),
            grpc::StatusCode::ABORTED);

  v1::CreateReviewRequest unknown_kind;
  unknown_kind.set_title("检视");
  unknown_kind.set_kind(static_cast<v1::ReviewKind>(99));
  unknown_kind.set_held_on("2021-12-01");
  unknown_kind.set_unit_id(root_.id);
  v1::Review review;
  s = ledger_stub_->CreateReview(Ctx().get(), unknown_kind, &review);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("kind"), std::string::npos);

  // A bad token is refused before anything runs, without echoing it.
  s = ledger_stub_->GetTask(CtxAs("rfy_not-a-token").get(), missing, &t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message().find("rfy_not-a-token"), std::string::npos);
}

TEST_F(ServicesTest, RetryWithTheSameRequestIdReturnsTheFirstResultAndChangesNothing) {
  v1::Task task = SeedTask();
  v1::ReportProgressRequest req;
  req.set_request_id("retry-0001");
  req.set_id(task.id());
  req.set_text("已完成第一阶段");
  req.set_percent(30);
  v1::ReportProgressResponse first, second;
  ASSERT_TRUE(ledger_stub_->ReportProgress(Ctx().get(), req, &first).ok());
  ASSERT_TRUE(ledger_stub_->ReportProgress(Ctx().get(), req, &second).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(first, second));

  v1::GetTaskHistoryRequest history_req;
  history_req.set_id(task.id());
  v1::TaskHistory history;
  ASSERT_TRUE(ledger_stub_->GetTaskHistory(Ctx().get(), history_req, &history).ok());
  EXPECT_EQ(history.progress_size(), 1);
  EXPECT_EQ(history.task().version(), 2);
  EXPECT_EQ(history.progress(0).reporter(), "张三");

  req.set_percent(31);  // same id, different payload
  grpc::Status s = ledger_stub_->ReportProgress(Ctx().get(), req, &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_NE(s.error_message().find("request_id"), std::string::npos);
}

TEST_F(ServicesTest, OverdueReportGroupsByUnitAsOfADate) {
  v1::Task task = SeedTask();
  v1::OverdueReportRequest req;
  req.set_as_of("2022-01-05");
  v1::OverdueReportResponse report;
  ASSERT_TRUE(reports_->OverdueReport(Ctx().get(), req, &report).ok());
  EXPECT_EQ(report.as_of(), "2022-01-05");
  EXPECT_EQ(report.total(), 1);
  ASSERT_EQ(report.groups_size(), 1);
  EXPECT_EQ(report.groups(0).unit_name(), "第一支部");
  ASSERT_EQ(report.groups(0).items_size(), 1);
  EXPECT_EQ(report.groups(0).items(0).task().id(), task.id());
  EXPECT_EQ(report.groups(0).items(0).days_overdue(), 5);
  req.set_as_of("2022-13-01");
  EXPECT_EQ(reports_->OverdueReport(Ctx().get(), req, &report).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServicesTest, HealthCheckServes) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  ASSERT_TRUE(health->Check(Ctx().get(), req, &resp).ok());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ServicesTest, UnitsListInTreeOrderAcrossPages) {
  // The root is the one rectifyd's first start made (ServerTest).
  v1::OrgUnit a = Unit(root_.id, "一支部");
  v1::OrgUnit b = Unit(root_.id, "二支部");
  v1::OrgUnit a1 = Unit(a.id(), "一支部第一党小组");
  v1::ListUnitsRequest req;
  req.set_page_size(2);
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    v1::ListUnitsResponse resp;
    ASSERT_TRUE(org_->ListUnits(Ctx().get(), req, &resp).ok());
    for (const auto& u : resp.units()) ids.push_back(u.id());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(ids, (std::vector<int64_t>{root_.id, a.id(), a1.id(), b.id()}));
  EXPECT_EQ(a1.depth(), 2);
  EXPECT_EQ(a1.path_size(), 3);
}

}  // namespace
}  // namespace rectify
