// Hostile input through the gRPC API: every string is either stored and returned byte for byte,
// or refused with INVALID_ARGUMENT naming the field; every limit (characters, page size, evidence
// size and count, message size, request_id) is refused with INVALID_ARGUMENT or
// RESOURCE_EXHAUSTED naming it. Nothing is ever misinterpreted (SQL, wildcards, paths).
#include <string>
#include <vector>

#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

// Strings that must come back exactly as sent.
const std::vector<std::string>& StoredExactly() {
  static const std::
      vector<std::string>
          kStrings =
              {
                  "'; DROP TABLE tasks; --", "\" OR 1=1 --",
                  "Robert'); DELETE FROM units WHERE ('1'='1", "%_*?[]\\ LIKE '%'",
                  "/0000000001/ ../../etc/passwd",
                  "\xE2\x80\x8F"
                  "右到左标记 RLM",  // U+200F RIGHT-TO-LEFT MARK
                  "\xE2\x80\xAE"
                  "gnirts desrever \xE2\x80\xAC",  // U+202E ... U+202C (bidi override)
                  "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 Arabic",  // مرحبا
                  "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBB \xF0\x9F\x87\xA8\xF0\x9F\x87\xB3 "
                  "\xF0\xA0\x80\x80",     // 👍🏻
                                          // 🇨🇳
                                          // 𠀀
                  "e\xCC\x81 combining",  // e + U+0301
                  "\xEF\xBB\xBF"
                  "BOM first",                // U+FEFF
                  "line one\nline two\ttab",  // newline and tab are text in long fields
                  std::string(2000, 'x'),     // exactly the limit
              };
  return kStrings;
}

// 4-byte characters: `n` of them.
std::string Emoji(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "\xF0\x9F\x98\x80";  // 😀
  return out;
}

class HostileInputTest : public ServerTest {
 protected:
  void SetUp() override {
    settings_.max_evidence_bytes = 4096;  // small, so the tests stay small
    max_message_bytes_ = 64 << 10;
    ServerTest::SetUp();
    task_ = SeedTask();
  }

  grpc::Status CreateTaskWithMeasure(const std::string& measure, v1::Task* out) {
    v1::CreateTaskRequest req;
    req.set_problem_id(problem_.id());
    req.set_measure(measure);
    req.set_owner_unit_id(branch_.id());
    req.set_owner_person("张三");
    req.set_deadline("2021-12-31");
    return ledger_stub_->CreateTask(Ctx().get(), req, out);
  }

  int TaskCount() {
    v1::ListTasksRequest req;
    req.set_page_size(1000);
    v1::ListTasksResponse resp;
    EXPECT_TRUE(ledger_stub_->ListTasks(Ctx().get(), req, &resp).ok());
    return resp.tasks_size();
  }

  v1::Task task_;
};

TEST_F(HostileInputTest, SqlQuotesBidiMarksAndEmojiAreStoredAndReturnedExactly) {
  for (const std::string& text : StoredExactly()) {
    SCOPED_TRACE(text.substr(0, 40));
    v1::Task created;
    grpc::Status s = CreateTaskWithMeasure(text, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(created.measure(), text);
    v1::GetTaskRequest get;
    get.set_id(created.id());
    v1::Task read;
    ASSERT_TRUE(ledger_stub_->GetTask(Ctx().get(), get, &read).ok());
    EXPECT_EQ(read.measure(), text);

    v1::ReportProgressResponse report;
    ASSERT_TRUE(Report(created.id(), "", text, &report).ok());
    v1::TaskHistory history = History(created.id());
    ASSERT_EQ(history.progress_size(), 1);
    EXPECT_EQ(history.progress(0).text(), text);
  }
  // The SQL went in as text: the tables are all there, with every task.
  EXPECT_EQ(TaskCount(), 1 + static_cast<int>(StoredExactly().size()));
}

TEST_F(HostileInputTest, NamesWithQuotesAndEmojiRoundTripAndDoNotTouchTheTree) {
  for (const std::string& name :
       {std::string("'; DROP TABLE units; --"), std::string("%"), std::string("/"), Emoji(100)}) {
    v1::CreateUnitRequest req;
    req.set_parent_id(branch_.id());
    req.set_name(name);
    v1::OrgUnit unit;
    grpc::Status s = org_->CreateUnit(Ctx().get(), req, &unit);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(unit.name(), name);
    EXPECT_EQ(unit.parent_id(), branch_.id());
    EXPECT_EQ(unit.depth(), 2);
  }
  v1::ListUnitsRequest list;
  list.set_subtree_of(branch_.id());
  v1::ListUnitsResponse units;
  ASSERT_TRUE(org_->ListUnits(Ctx().get(), list, &units).ok());
  EXPECT_EQ(units.units_size(), 5);  // the branch and its four children, nothing else
}

TEST_F(HostileInputTest, FiltersAreExactNotPatterns) {
  v1::ListTasksRequest req;
  for (const char* pattern : {"%", "_", "*", "' OR '1'='1"}) {
    req.set_area(pattern);
    v1::ListTasksResponse resp;
    ASSERT_TRUE(ledger_stub_->ListTasks(Ctx().get(), req, &resp).ok());
    EXPECT_EQ(resp.tasks_size(), 0) << pattern;
    req.clear_area();
    req.set_owner_person(pattern);
    ASSERT_TRUE(ledger_stub_->ListTasks(Ctx().get(), req, &resp).ok());
    EXPECT_EQ(resp.tasks_size(), 0) << pattern;
    req.clear_owner_person();
  }
}

TEST_F(HostileInputTest, NulAndControlCharactersAreRefusedNamingTheField) {
  const int before = TaskCount();
  for (const std::string& text :
       {std::string("before\0after", 12), std::string("escape \x1b[31mred"),
        std::string("bell \x07"), std::string("delete \x7f")}) {
    v1::Task created;
    grpc::Status s = CreateTaskWithMeasure(text, &created);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(s.error_message().find("measure"), std::string::npos) << s.error_message();
    EXPECT_NE(s.error_message().find("控制字符"), std::string::npos) << s.error_message();
  }
  // Single-line fields refuse newlines too.
  v1::CreateUnitRequest unit;
  unit.set_name("第一\n支部");
  v1::OrgUnit out;
  grpc::Status s = org_->CreateUnit(Ctx().get(), unit, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("name"), std::string::npos);
  EXPECT_EQ(TaskCount(), before);
}

TEST_F(HostileInputTest, InvalidUtf8IsRefusedClearlyBeforeItReachesTheLedger) {
  const int before = TaskCount();
  for (const std::string& bytes : {std::string("\xC3\x28"), std::string("\xED\xA0\x80"),
                                   std::string("\xF4\x90\x80\x80"), std::string("\xC0\xAF")}) {
    v1::Task created;
    grpc::Status s = CreateTaskWithMeasure("整改" + bytes, &created);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(s.error_message().find("UTF-8"), std::string::npos) << s.error_message();
  }
  EXPECT_EQ(TaskCount(), before);
}

TEST_F(HostileInputTest, CharacterLimitsCountCharactersNotBytes) {
  v1::Task created;
  ASSERT_TRUE(CreateTaskWithMeasure(Emoji(2000), &created).ok());  // 8000 bytes, 2000 characters
  EXPECT_EQ(created.measure(), Emoji(2000));
  grpc::Status s = CreateTaskWithMeasure(Emoji(2001), &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("2000"), std::string::npos) << s.error_message();
  EXPECT_NE(s.error_message().find("measure"), std::string::npos);
}

TEST_F(HostileInputTest, PageSizesAreCappedAndNegativeOnesRefused) {
  v1::ListTasksRequest req;
  req.set_page_size(-1);
  v1::ListTasksResponse resp;
  grpc::Status s = ledger_stub_->ListTasks(Ctx().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("page_size"), std::string::npos) << s.error_message();
  req.set_page_size(2000000000);
  EXPECT_TRUE(ledger_stub_->ListTasks(Ctx().get(), req, &resp).ok());
  req.set_page_token("not a token");
  req.set_page_size(10);
  s = ledger_stub_->ListTasks(Ctx().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("page_token"), std::string::npos) << s.error_message();
}

TEST_F(HostileInputTest, EvidenceSizeAndCountAreResourceLimitsNamingTheLimit) {
  v1::ReportProgressRequest req;
  req.set_id(task_.id());
  req.set_text("附材料");
  req.set_percent(10);
  v1::Evidence* big = req.add_evidence();
  big->set_file_name("scan.pdf");
  big->set_content(std::string(4097, 'x'));
  v1::ReportProgressResponse resp;
  grpc::Status s = ledger_stub_->ReportProgress(Ctx().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("4096"), std::string::npos) << s.error_message();

  req.clear_evidence();
  for (int i = 0; i < 11; ++i) {
    v1::Evidence* e = req.add_evidence();
    e->set_file_name(absl::StrCat("p", i, ".jpg"));
    e->set_content("jpg");
  }
  s = ledger_stub_->ReportProgress(Ctx().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("10"), std::string::npos) << s.error_message();

  req.clear_evidence();
  v1::Evidence* sneaky = req.add_evidence();
  sneaky->set_file_name("../../etc/passwd");
  sneaky->set_content("x");
  s = ledger_stub_->ReportProgress(Ctx().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("file_name"), std::string::npos) << s.error_message();
  EXPECT_EQ(History(task_.id()).progress_size(), 0);
}

TEST_F(HostileInputTest, OversizedMessagesAreRefusedByTheServerNamingItsLimit) {
  v1::ReportProgressRequest req;
  req.set_id(task_.id());
  req.set_text("附材料");
  req.set_percent(10);
  req.add_evidence()->set_content(std::string(100 << 10, 'x'));  // > the 64 KiB message limit
  v1::ReportProgressResponse resp;
  grpc::Status s = ledger_stub_->ReportProgress(Ctx().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find(std::to_string(64 << 10)), std::string::npos)
      << s.error_message();
  EXPECT_EQ(History(task_.id()).progress_size(), 0);
}

TEST_F(HostileInputTest, RequestIdsAreBoundedPrintableAscii) {
  v1::ReportProgressResponse resp;
  grpc::Status s = Report(task_.id(), std::string(65, 'a'), "进展", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("request_id"), std::string::npos);
  EXPECT_NE(s.error_message().find("64"), std::string::npos);
  s = Report(task_.id(), "id with space", "进展", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  s = Report(task_.id(), "';DROP-TABLE-requests;--", "进展", &resp);  // printable: kept as is
  EXPECT_TRUE(s.ok()) << s.error_message();
  v1::ReportProgressResponse again;
  EXPECT_TRUE(Report(task_.id(), "';DROP-TABLE-requests;--", "进展", &again).ok());
  EXPECT_EQ(again.report().id(), resp.report().id());
  EXPECT_EQ(History(task_.id()).progress_size(), 1);
}

}  // namespace
}  // namespace rectify
