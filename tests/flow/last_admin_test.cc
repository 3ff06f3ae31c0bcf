// The last active root committee token cannot be revoked (nobody could administer the ledger
// after it), and the host can always recover with MintAdminToken (rectifyd --mint-admin-token),
// which the audit trail records.
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "rectify/v1/auth.grpc.pb.h"
#include "services/auth/bootstrap.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

class LastAdminTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    tokens_ = v1::TokenService::NewStub(channel_);
  }
  int64_t IdOf(const std::string& secret) {
    v1::ApiToken me;
    grpc::Status s = tokens_->WhoAmI(CtxAs(secret).get(), v1::WhoAmIRequest(), &me);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return me.id();
  }
  grpc::Status Revoke(const std::string& secret, int64_t id) {
    v1::RevokeTokenRequest req;
    req.set_id(id);
    v1::ApiToken out;
    return tokens_->RevokeToken(CtxAs(secret).get(), req, &out);
  }
  std::unique_ptr<v1::TokenService::Stub> tokens_;
};

TEST_F(LastAdminTest, TheLastRootCommitteeTokenCannotRevokeItself) {
  const int64_t self = IdOf(admin_secret_);
  grpc::Status s = Revoke(admin_secret_, self);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_NE(s.error_message().find("--mint-admin-token"), std::string::npos) << s.error_message();
  // Still in office.
  EXPECT_EQ(IdOf(admin_secret_), self);
  // Branch and supervisor tokens of the root do not count as administrators.
  IssueToken("纪委书记", Role::kSupervisor, root_.id);
  EXPECT_EQ(Revoke(admin_secret_, self).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(LastAdminTest, WithASecondRootCommitteeTokenTheFirstMayGo) {
  const int64_t self = IdOf(admin_secret_);
  const std::string second = IssueToken("李四", Role::kCommittee, root_.id);
  ASSERT_TRUE(Revoke(admin_secret_, self).ok());
  // Now the second is the last one.
  EXPECT_EQ(Revoke(second, IdOf(second)).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(LastAdminTest, AnExpiredSecondTokenIsNoAdministrator) {
  const int64_t self = IdOf(admin_secret_);
  IssueToken("临时管理员", Role::kCommittee, root_.id, clock_->Now() + absl::Hours(1));
  clock_->Advance(absl::Hours(2));
  EXPECT_EQ(Revoke(admin_secret_, self).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(LastAdminTest, MintingOnTheHostIssuesAWorkingTokenAndAnAuditEntry) {
  const std::string file = dir_ + "/recovered.token";
  auto minted = auth::MintAdminToken(*ledger_, file, "主机操作员 root");
  ASSERT_TRUE(minted.ok()) << minted.status();
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(file);
  std::string secret;
  std::getline(in, secret);
  v1::ApiToken me;
  ASSERT_TRUE(tokens_->WhoAmI(CtxAs(secret).get(), v1::WhoAmIRequest(), &me).ok());
  EXPECT_EQ(me.id(), minted->id);
  EXPECT_EQ(me.role(), v1::COMMITTEE);
  EXPECT_EQ(me.unit_id(), root_.id);
  std::vector<AuditEntry> entries;
  ASSERT_TRUE(store_
                  ->Read([&](ReadTxn& tx) -> absl::Status {
                    auto all = tx.ListAuditEntries(0, 1000);
                    if (!all.ok()) return all.status();
                    entries = *all;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().method, "MintAdminToken");
  EXPECT_EQ(entries.back().actor, "主机操作员 root");
  EXPECT_EQ(entries.back().target, absl::StrCat("token/", minted->id));
  // Never over an existing file: it may be someone's token.
  EXPECT_EQ(auth::MintAdminToken(*ledger_, file, "主机操作员 root").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace rectify
