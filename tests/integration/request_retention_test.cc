// Idempotent retries across restarts, and the retention of the records that make them so
// (RequestPurger, rectifyd --request_retention_days).
#include "google/protobuf/util/message_differencer.h"
#include "services/scheduler/request_purger.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing_support::ServerTest;

class RequestRetentionTest : public ServerTest {
 protected:
  absl::optional<StoredRequest> Stored(const std::string& request_id) {
    absl::optional<StoredRequest> found;
    EXPECT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
      auto r = tx.FindRequest(request_id);
      if (!r.ok()) return r.status();
      found = *r;
      return absl::OkStatus();
    }));
    return found;
  }

  RequestPurger::Options SevenDays() {
    RequestPurger::Options options;
    options.retention = absl::Hours(24 * 7);
    return options;
  }
};

TEST_F(RequestRetentionTest, RetryAfterARestartReturnsTheFirstResultAndChangesNothing) {
  v1::Task task = SeedTask();
  v1::ReportProgressResponse first;
  ASSERT_TRUE(Report(task.id(), "branch-a-0001", "走访群众 20 户", &first).ok());

  RestartServer();  // the store is closed and reopened on the same file
  clock_->Advance(absl::Hours(24 * 6));

  v1::ReportProgressResponse retried;
  ASSERT_TRUE(Report(task.id(), "branch-a-0001", "走访群众 20 户", &retried).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(first, retried));
  v1::TaskHistory history = History(task.id());
  EXPECT_EQ(history.progress_size(), 1);
  EXPECT_EQ(history.task().version(), first.task().version());
}

TEST_F(RequestRetentionTest, SameIdWithAnotherPayloadIsStillRefusedAfterARestart) {
  v1::Task task = SeedTask();
  v1::ReportProgressResponse first;
  ASSERT_TRUE(Report(task.id(), "branch-a-0002", "走访群众 20 户", &first).ok());
  RestartServer();
  grpc::Status s = Report(task.id(), "branch-a-0002", "走访群众 30 户", &first);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(History(task.id()).progress_size(), 1);
}

TEST_F(RequestRetentionTest, RecordsAreKeptForTheRetentionAndPurgedAfterIt) {
  v1::Task task = SeedTask();
  v1::ReportProgressResponse response;
  ASSERT_TRUE(Report(task.id(), "old-0001", "第一次", &response).ok());
  clock_->Advance(absl::Hours(24 * 3));
  ASSERT_TRUE(Report(task.id(), "new-0001", "第二次", &response).ok());

  RequestPurger purger(store_.get(), clock_.get(), SevenDays());
  clock_->Advance(absl::Hours(24 * 4) - absl::Seconds(1));  // old-0001 is not quite 7 days old
  ASSERT_OK_AND_ASSIGN(int64_t purged, purger.PurgeOnce());
  EXPECT_EQ(purged, 0);
  EXPECT_TRUE(Stored("old-0001").has_value());

  clock_->Advance(absl::Seconds(2));  // now it is
  ASSERT_OK_AND_ASSIGN(purged, purger.PurgeOnce());
  EXPECT_EQ(purged, 1);
  EXPECT_FALSE(Stored("old-0001").has_value());
  EXPECT_TRUE(Stored("new-0001").has_value());
  EXPECT_EQ(purger.purged_total(), 1);
}

TEST_F(RequestRetentionTest, ARetryAfterThePurgeOfATaskChangeIsRefusedByItsVersion) {
  // Past the retention a request_id is forgotten; a task change still carries expected_version,
  // which no longer matches, so the late retry changes nothing.
  v1::Task task = SeedTask();
  v1::StartTaskRequest start;
  start.set_request_id("start-0001");
  start.set_id(task.id());
  start.set_expected_version(task.version());
  v1::Task started;
  ASSERT_TRUE(ledger_stub_->StartTask(Ctx().get(), start, &started).ok());
  clock_->Advance(absl::Hours(24 * 8));
  RequestPurger purger(store_.get(), clock_.get(), SevenDays());
  ASSERT_OK_AND_ASSIGN(int64_t purged, purger.PurgeOnce());
  EXPECT_EQ(purged, 1);
  v1::Task again;
  EXPECT_EQ(ledger_stub_->StartTask(Ctx().get(), start, &again).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(History(task.id()).task().version(), started.version());
}

}  // namespace
}  // namespace rectify
