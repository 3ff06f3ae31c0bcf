// Small hostile inputs (docs/security.md): evidence file names that are directories or devices,
// Timestamps that are not normalised, page tokens whose bytes must not be echoed, and role
// refusals that say the action in words.
#include "absl/strings/escaping.h"
#include "rectify/v1/auth.grpc.pb.h"
#include "services/common/text.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

class SmallInputsTest : public ServerTest {
 protected:
  grpc::Status ReportWith(int64_t task_id, const std::string& file_name) {
    v1::ReportProgressRequest req;
    req.set_id(task_id);
    req.set_text("已完成调研");
    req.set_percent(20);
    v1::Evidence* e = req.add_evidence();
    e->set_file_name(file_name);
    e->set_content("调研报告");
    v1::ReportProgressResponse resp;
    return ledger_stub_->ReportProgress(Ctx().get(), req, &resp);
  }
};

TEST_F(SmallInputsTest, EvidenceNamesThatAreDirectoriesOrDevicesAreRefused) {
  const v1::Task task = SeedTask();
  for (const char* name : {".", "..", "...", " ", "CON", "con.txt", "NUL", "Aux.docx", "COM1",
                           "lpt9.pdf", "报告.", "报告 ", "a:b.txt", "why?.txt", "a|b"}) {
    SCOPED_TRACE(name);
    grpc::Status s = ReportWith(task.id(), name);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_NE(s.error_message().find("evidence.file_name"), std::string::npos) << s.error_message();
  }
  EXPECT_EQ(History(task.id()).progress_size(), 0);  // nothing was recorded
  for (const char* name : {"整改报告.docx", "console.txt", "COM10.txt", ".hidden", "a.b.c"}) {
    SCOPED_TRACE(name);
    grpc::Status s = ReportWith(task.id(), name);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }
}

TEST_F(SmallInputsTest, ATimestampWithNegativeNanosIsRefusedNamingTheField) {
  auto tokens = v1::TokenService::NewStub(channel_);
  v1::CreateTokenRequest req;
  req.set_name("临时令牌");
  req.set_role(v1::BRANCH);
  req.set_unit_id(root_.id);
  req.mutable_expire_time()->set_seconds(absl::ToUnixSeconds(clock_->Now()) + 86400);
  req.mutable_expire_time()->set_nanos(-1);
  v1::CreateTokenResponse resp;
  grpc::Status s = tokens->CreateToken(Ctx().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_NE(s.error_message().find("expire_time.nanos"), std::string::npos) << s.error_message();
  req.mutable_expire_time()->set_nanos(1000000000);
  EXPECT_EQ(tokens->CreateToken(Ctx().get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  req.mutable_expire_time()->set_nanos(0);
  EXPECT_TRUE(tokens->CreateToken(Ctx().get(), req, &resp).ok());
}

TEST_F(SmallInputsTest, APageTokensRawBytesAreNeverEchoed) {
  SeedTask();
  // Well-formed base64 of the right shape, with invalid UTF-8 where a date belongs.
  const std::string token = absl::WebSafeBase64Escape(std::string("tasks\n5\n\xff\xfe\xc0", 11));
  v1::ListTasksRequest req;
  req.set_page_token(token);
  v1::ListTasksResponse resp;
  grpc::Status s = ledger_stub_->ListTasks(Ctx().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(IsValidUtf8(s.error_message())) << absl::CHexEscape(s.error_message());
  EXPECT_NE(s.error_message().find("page_token"), std::string::npos) << s.error_message();
}

TEST_F(SmallInputsTest, RoleRefusalsNameTheActionInWords) {
  const v1::Task task = SeedTask();
  const std::string branch = IssueToken("一支部书记", Role::kBranch, branch_.id());
  v1::AcceptTaskRequest req;
  req.set_id(task.id());
  v1::Task out;
  grpc::Status s = ledger_stub_->AcceptTask(CtxAs(branch).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("验收销号"), std::string::npos) << s.error_message();
  EXPECT_EQ(s.error_message().find("AcceptTask"), std::string::npos) << s.error_message();
}

}  // namespace
}  // namespace rectify
