// A stopping server drains before it cancels: calls in flight finish, calls that start during
// the drain are answered UNAVAILABLE ("not run, retry") before anything is done, and only then
// is the gRPC server shut down.
#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "absl/time/clock.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

// Polls `done` for up to five seconds.
template <typename F>
bool Eventually(F done) {
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (!done()) {
    if (absl::Now() > until) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

class DrainTest : public ServerTest {};

TEST_F(DrainTest, ACallInFlightFinishesAndACallDuringTheDrainIsToldToRetry) {
  // Another connection holds the write lock, so the next write waits inside its handler.
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open(options_.path.c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  grpc::Status in_flight;
  std::thread writer([&] {
    v1::CreateUnitRequest req;
    req.set_parent_id(root_.id);
    req.set_name("第一支部");
    req.set_request_id("drain-test-unit-1");
    v1::OrgUnit unit;
    in_flight = org_->CreateUnit(Ctx().get(), req, &unit);
  });
  ASSERT_TRUE(Eventually([&] { return server_->gate().in_flight() >= 1; }));
  absl::SleepFor(absl::Milliseconds(50));  // the write is waiting for the lock by now
  std::thread stopper([&] { server_->Shutdown(absl::Seconds(20)); });
  ASSERT_TRUE(Eventually([&] { return server_->gate().draining(); }));
  // A call that arrives now is not run, and says so.
  v1::GetUnitRequest get;
  get.set_id(root_.id);
  v1::OrgUnit unit;
  grpc::Status late = org_->GetUnit(Ctx().get(), get, &unit);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::UNAVAILABLE) << late.error_message();
  EXPECT_NE(late.error_message().find("未执行"), std::string::npos) << late.error_message();
  // Let the write through: it finishes, it is not cancelled.
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  writer.join();
  stopper.join();
  EXPECT_TRUE(in_flight.ok()) << in_flight.error_code() << " " << in_flight.error_message();
}

}  // namespace
}  // namespace rectify
