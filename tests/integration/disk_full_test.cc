// When the database cannot grow (capped with max_page_count, rectifyd --max_db_pages, as a full
// disk would stop it): writes fail with RESOURCE_EXHAUSTED naming the limit, the server stays
// up, reads keep working, nothing half-written is left, and writes resume when space returns.
#include <string>

#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "services/scheduler/request_purger.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

constexpr int64_t kCapPages = 160;

class DiskFullTest : public ServerTest {
 protected:
  void SetUp() override {
    options_.max_page_count = kCapPages;
    ServerTest::SetUp();
    task_ = SeedTask();
  }

  // 1500 characters (4.5 KB of UTF-8): a few pages per report with its event and stored answer.
  static std::string LongText(int n) {
    std::string text = absl::StrCat("第", n, "次：");
    for (int i = 0; i < 500; ++i) text += "走访群";
    return text;
  }

  // Reports until the database is full; returns the refusal. Fails the test if it never fills.
  grpc::Status FillUp() {
    for (int n = 0; n < 1000; ++n) {
      v1::ReportProgressResponse response;
      grpc::Status s = Report(task_.id(), absl::StrCat("fill-", n), LongText(n), &response);
      if (!s.ok()) return s;
      ++accepted_;
    }
    ADD_FAILURE() << "the database never filled up";
    return grpc::Status::OK;
  }

  v1::Task task_;
  int accepted_ = 0;
};

TEST_F(DiskFullTest, AFullDatabaseRefusesWritesNamingTheLimitInWords) {
  grpc::Status full = FillUp();
  ASSERT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << full.error_message();
  EXPECT_NE(full.error_message().find("数据库已满"), std::string::npos) << full.error_message();
  EXPECT_NE(full.error_message().find(absl::StrCat(kCapPages, " 页")), std::string::npos);
  EXPECT_NE(full.error_message().find(absl::StrCat("size limit of ", kCapPages, " pages")),
            std::string::npos);
  EXPECT_NE(full.error_message().find("--max_db_pages"), std::string::npos);
  EXPECT_GT(accepted_, 0);
}

TEST_F(DiskFullTest, TheServerStaysUpAndReadsKeepWorking) {
  ASSERT_EQ(FillUp().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  v1::TaskHistory history = History(task_.id());
  EXPECT_EQ(history.progress_size(), accepted_);  // the refused report left nothing behind
  EXPECT_EQ(history.task().version(), task_.version() + accepted_);
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  ASSERT_TRUE(health->Check(Ctx().get(), req, &resp).ok());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  // Small writes either fit in the room left or get the same clear answer (not INTERNAL).
  for (int i = 0; i < 3; ++i) {
    v1::CreateUnitRequest unit;
    unit.set_parent_id(branch_.id());
    unit.set_name(absl::StrCat("新支部", i));
    v1::OrgUnit created;
    grpc::Status s = org_->CreateUnit(Ctx().get(), unit, &created);
    EXPECT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED)
        << s.error_message();
  }
}

TEST_F(DiskFullTest, WritesResumeAfterARestartWithMoreRoomAndTheRetryIsAppliedOnce) {
  grpc::Status full = FillUp();
  ASSERT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  const std::string refused_id = absl::StrCat("fill-", accepted_);

  options_.max_page_count = kCapPages * 10;
  RestartServer();
  v1::ReportProgressResponse response;
  grpc::Status s = Report(task_.id(), refused_id, LongText(accepted_), &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::ReportProgressResponse again;
  ASSERT_TRUE(Report(task_.id(), refused_id, LongText(accepted_), &again).ok());
  EXPECT_EQ(again.report().id(), response.report().id());
  EXPECT_EQ(History(task_.id()).progress_size(), accepted_ + 1);
}

TEST_F(DiskFullTest, WritesResumeWithoutARestartWhenSpaceIsFreed) {
  ASSERT_EQ(FillUp().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Old request records are what the server deletes by itself; their pages go back to the
  // free list and take new writes.
  clock_->Advance(absl::Hours(24 * 8));
  RequestPurger::Options purge;
  purge.retention = absl::Hours(24 * 7);
  RequestPurger purger(store_.get(), clock_.get(), purge);
  ASSERT_OK_AND_ASSIGN(int64_t purged, purger.PurgeOnce());
  EXPECT_EQ(purged, accepted_);
  v1::ReportProgressResponse response;
  grpc::Status s = Report(task_.id(), "after-purge", "清理后继续反馈", &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

}  // namespace
}  // namespace rectify
