// The HTTP/JSON gateway (services/http): each RPC as POST /api/<Service>/<Method>, forwarded
// in-process through the gRPC server, so the interceptors, handlers, limits and audit are the
// gRPC call's; errors as JSON with the grpc-gateway status mapping; streams as NDJSON and
// server-sent events; the ledger CSV; the embedded console files.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/commands/root.h"
#include "rectify/v1/auth.pb.h"
#include "services/paperwork/workbook_reader.h"
#include "tests/support/http_fixture.h"

namespace rectify {
namespace {

using testing_support::HttpServerTest;
using testing_support::StatusOfHttp;

google::protobuf::Struct ParseJson(const std::string& json) {
  google::protobuf::Struct out;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &out).ok()) << json;
  return out;
}

std::string Field(const google::protobuf::Struct& s, const std::string& name) {
  auto it = s.fields().find(name);
  return it == s.fields().end() ? "" : it->second.string_value();
}

class HttpApiTest : public HttpServerTest {
 protected:
  int64_t AuditCount() {
    int64_t n = 0;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto count = tx.CountAuditEntries();
                      if (!count.ok()) return count.status();
                      n = *count;
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }
};

TEST_F(HttpApiTest, InProcessCallsPassAuthenticationAndThePermissionTable) {
  // A valid token works only if the interceptor registered the call: without it, the handler
  // would find no call entry and refuse every caller.
  httplib::Result who = Api("TokenService/WhoAmI", "");
  ASSERT_TRUE(who);
  ASSERT_EQ(who->status, 200) << who->body;
  EXPECT_EQ(Field(ParseJson(who->body), "name"), "张三");
  EXPECT_EQ(Field(ParseJson(who->body), "role"), "COMMITTEE");

  v1::Task task = SeedTask();
  const std::string branch = IssueToken("一支部书记", Role::kBranch, branch_.id());
  httplib::Result denied =
      Api("OrgService/CreateUnit",
          absl::StrCat("{\"parentId\":\"", branch_.id(), "\",\"name\":\"x\"}"), branch);
  ASSERT_TRUE(denied);
  EXPECT_EQ(StatusOfHttp(denied->status, denied->body).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(denied->status, 403);

  httplib::Result nobody = Api("TokenService/WhoAmI", "", /*secret=*/"");
  ASSERT_TRUE(nobody);
  EXPECT_EQ(nobody->status, 401);
  EXPECT_EQ(Field(ParseJson(nobody->body), "code"), "UNAUTHENTICATED");
}

TEST_F(HttpApiTest, AnswersAreProtoJsonWithDefaultsAndInt64AsStrings) {
  v1::Task task = SeedTask();
  httplib::Result got = Api("LedgerService/GetTask", absl::StrCat("{\"id\":", task.id(), "}"));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->status, 200) << got->body;
  EXPECT_EQ(got->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_NE(got->body.find(absl::StrCat("\"id\":\"", task.id(), "\"")), std::string::npos)
      << got->body;
  EXPECT_NE(got->body.find("\"progressPercent\":0"), std::string::npos) << got->body;
  EXPECT_NE(got->body.find("\"status\":\"OPEN\""), std::string::npos) << got->body;
  // Original field names are accepted too.
  httplib::Result snake =
      Api("LedgerService/ListTasks", absl::StrCat("{\"unit_id\":", branch_.id(), "}"));
  ASSERT_TRUE(snake);
  EXPECT_EQ(snake->status, 200) << snake->body;
}

TEST_F(HttpApiTest, ErrorsAreJsonWithTheGatewayStatusAndTheMessageInBothLanguages) {
  v1::Task task = SeedTask();
  httplib::Result missing = Api("LedgerService/GetTask", "{\"id\":987654}");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  google::protobuf::Struct body = ParseJson(missing->body);
  EXPECT_EQ(Field(body, "code"), "NOT_FOUND");
  EXPECT_EQ(Field(body, "messageZh"), "任务 987654 不存在");
  EXPECT_EQ(Field(body, "messageEn"), "task 987654 not found");
  EXPECT_EQ(Field(body, "message"), "任务 987654 不存在 / task 987654 not found");

  httplib::Result bad =
      Api("LedgerService/ReportProgress",
          absl::StrCat("{\"id\":", task.id(), ",\"text\":\"x\",\"percent\":150}"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Field(ParseJson(bad->body), "code"), "INVALID_ARGUMENT");
  EXPECT_EQ(Field(ParseJson(bad->body), "field"), "percent") << bad->body;

  httplib::Result unknown = Api("LedgerService/GetTask", "{\"id\":1,\"colour\":\"red\"}");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(Field(ParseJson(unknown->body), "field"), "colour") << unknown->body;

  httplib::Result no_method = Api("LedgerService/DropEverything", "{}");
  ASSERT_TRUE(no_method);
  EXPECT_EQ(no_method->status, 404);
  EXPECT_EQ(Field(ParseJson(no_method->body), "code"), "NOT_FOUND");

  // FAILED_PRECONDITION (an illegal transition) is 400, as grpc-gateway maps it.
  httplib::Result accept =
      Api("LedgerService/AcceptTask", absl::StrCat("{\"id\":", task.id(), ",\"note\":\"好\"}"));
  ASSERT_TRUE(accept);
  EXPECT_EQ(StatusOfHttp(accept->status, accept->body).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(HttpApiTest, StatusMappingFollowsGrpcGateway) {
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::INVALID_ARGUMENT), 400);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::FAILED_PRECONDITION), 400);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::OUT_OF_RANGE), 400);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::UNAUTHENTICATED), 401);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::PERMISSION_DENIED), 403);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::NOT_FOUND), 404);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::ALREADY_EXISTS), 409);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::ABORTED), 409);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::UNIMPLEMENTED), 501);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::DEADLINE_EXCEEDED), 504);
  EXPECT_EQ(http::HttpStatusOf(grpc::StatusCode::DATA_LOSS), 500);
}

TEST_F(HttpApiTest, AMutationOverHttpIsAuditedLikeOneOverGrpc) {
  const int64_t before = AuditCount();
  httplib::Result made = Api("OrgService/CreateUnit", absl::StrCat("{\"parentId\":\"", root_.id,
                                                                   "\",\"name\":\"第三支部\"}"));
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 200) << made->body;
  EXPECT_EQ(AuditCount(), before + 1);
  absl::optional<AuditEntry> head;
  ASSERT_TRUE(store_
                  ->Read([&](ReadTxn& tx) -> absl::Status {
                    auto got = tx.GetAuditHead();
                    if (!got.ok()) return got.status();
                    head = *got;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->actor, "张三");
  EXPECT_EQ(head->method, "CreateUnit");
  EXPECT_NE(head->after.find("第三支部"), std::string::npos) << head->after;
}

TEST_F(HttpApiTest, ARetryWithTheSameRequestIdChangesNothingTwice) {
  v1::Task task = SeedTask();
  const std::string body = absl::StrCat("{\"requestId\":\"http-1\",\"id\":", task.id(),
                                        ",\"text\":\"调研\",\"percent\":20}");
  httplib::Result first = Api("LedgerService/ReportProgress", body);
  httplib::Result second = Api("LedgerService/ReportProgress", body);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(second->body, first->body);
  EXPECT_EQ(History(task.id()).progress_size(), 1);
}

TEST_F(HttpApiTest, ABodyOverTheLimitIs413AndStoresNothing) {
  v1::Task task = SeedTask();
  http_options_.max_body_bytes = 4096;
  StartHttp();
  const std::string big(8000, 'a');
  httplib::Result res =
      Api("LedgerService/ReportProgress",
          absl::StrCat("{\"id\":", task.id(), ",\"text\":\"", big, "\",\"percent\":20}"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(Field(ParseJson(res->body), "code"), "RESOURCE_EXHAUSTED") << res->body;
  EXPECT_EQ(History(task.id()).progress_size(), 0);
}

TEST_F(HttpApiTest, ExportStreamsAsNdjsonOneRowALine) {
  SeedTask();
  NewTask("第二项措施");
  httplib::Result res = Api("ReportService/ExportLedger", "{}");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/x-ndjson; charset=utf-8");
  std::vector<std::string> lines = absl::StrSplit(res->body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << res->body;
  for (const std::string& line : lines) {
    v1::LedgerRow row;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &row).ok()) << line;
    EXPECT_FALSE(row.problem_text().empty()) << line;
  }
}

// Reads server-sent events until `count` have arrived; their ids and data lines.
std::vector<std::pair<std::string, std::string>> ReadEvents(httplib::Client& client,
                                                            const std::string& path,
                                                            const httplib::Headers& headers,
                                                            size_t count) {
  std::vector<std::pair<std::string, std::string>> events;
  std::string buffer;
  client.set_read_timeout(5, 0);
  client.Get(path.c_str(), headers, [&](const char* data, size_t n) {
    buffer.append(data, n);
    for (size_t end = buffer.find("\n\n"); end != std::string::npos; end = buffer.find("\n\n")) {
      std::string id, payload;
      for (absl::string_view line : absl::StrSplit(buffer.substr(0, end), '\n')) {
        if (absl::ConsumePrefix(&line, "id: ")) id = std::string(line);
        if (absl::ConsumePrefix(&line, "data: ")) payload = std::string(line);
      }
      buffer.erase(0, end + 2);
      if (!payload.empty()) events.emplace_back(id, payload);
    }
    return events.size() < count;
  });
  return events;
}

TEST_F(HttpApiTest, EventsStreamAsServerSentEventsAndResumeFromLastEventId) {
  v1::Task task = SeedTask();
  v1::ReportProgressResponse reported;
  ASSERT_TRUE(Report(task.id(), "r1", "第一次", &reported).ok());
  auto client = Client();
  const httplib::Headers headers = {{"Authorization", "Bearer " + admin_secret_},
                                    {"Accept", "text/event-stream"}};
  const std::string path =
      absl::StrCat("/api/rectify.v1.EventService/WatchEvents?unitId=", root_.id);
  auto events = ReadEvents(*client, path, headers, 2);
  ASSERT_EQ(events.size(), 2u);
  v1::Event first;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(events[0].second, &first).ok());
  EXPECT_EQ(events[0].first, std::to_string(first.seq()));

  // An EventSource reconnecting sends the last id it saw: the stream goes on after it.
  httplib::Headers resume = headers;
  resume.emplace("Last-Event-ID", events[0].first);
  auto resumed = ReadEvents(*client, path, resume, 1);
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(resumed[0].first, events[1].first);
}

TEST_F(HttpApiTest, StreamOpenedFromNowResumesFromLastEventIdWhenItReconnects) {
  v1::Task task = SeedTask();
  v1::ReportProgressResponse reported;
  ASSERT_TRUE(Report(task.id(), "r1", "第一次", &reported).ok());
  ASSERT_TRUE(Report(task.id(), "r2", "第二次", &reported).ok());
  auto client = Client();
  const httplib::Headers headers = {{"Authorization", "Bearer " + admin_secret_},
                                    {"Accept", "text/event-stream"}};
  const std::string all =
      absl::StrCat("/api/rectify.v1.EventService/WatchEvents?unitId=", root_.id);
  auto stored = ReadEvents(*client, all, headers, 3);
  ASSERT_EQ(stored.size(), 3u);

  // The console's URL asks "from now"; the browser reconnects to that same URL with the last
  // id it saw, and must get what followed that id, not an error and not only what comes next.
  const std::string from_now = all + "&fromNow=true";
  httplib::Headers resume = headers;
  resume.emplace("Last-Event-ID", stored[0].first);
  auto resumed = ReadEvents(*client, from_now, resume, 2);
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_EQ(resumed[0].first, stored[1].first);
  EXPECT_EQ(resumed[1].first, stored[2].first);
}

TEST_F(HttpApiTest, LedgerCsvDownloadHasTheCliExportsBytes) {
  SeedTask();
  NewTask("建立\"三会一课\"台账，逐月检查");
  const std::string path = dir_ + "/cli.csv";
  ASSERT_EQ(Run({"export", "--format", "csv", "-o", path}), 0) << err_.str();
  std::ifstream in(path, std::ios::binary);
  std::stringstream cli;
  cli << in.rdbuf();

  httplib::Headers headers = {{"Authorization", "Bearer " + admin_secret_}};
  httplib::Result res = Client()->Get("/export/ledger.csv", headers);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->body, cli.str());
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  // httplib's client percent-decodes header values: on the wire this is
  // filename*=UTF-8''%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6.csv (RFC 5987).
  EXPECT_NE(res->get_header_value("Content-Disposition").find("filename*=UTF-8''整改台账.csv"),
            std::string::npos)
      << res->get_header_value("Content-Disposition");
}

TEST_F(HttpApiTest, LedgerWorkbookDownloadHoldsTheLedgerSheetsRows) {
  SeedTask();
  NewTask("建立\"三会一课\"台账，逐月检查");
  httplib::Headers headers = {{"Authorization", "Bearer " + admin_secret_}};
  httplib::Result res = Client()->Get("/export/ledger.xlsx?as_of=2030-01-01", headers);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  absl::StatusOr<std::vector<paperwork::SheetRow>> rows =
      paperwork::ReadWorksheet(res->body, "整改台账");
  ASSERT_TRUE(rows.ok()) << rows.status();
  bool found = false;
  for (const paperwork::SheetRow& row : *rows) {
    for (const std::string& cell : row.cells) found |= cell == "建立\"三会一课\"台账，逐月检查";
  }
  EXPECT_TRUE(found) << "the new task's measure is not on the 整改台账 sheet";
  // A bad day is refused naming the parameter, and no token is no workbook.
  httplib::Result bad = Client()->Get("/export/ledger.xlsx?as_of=2030-13-01", headers);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
  httplib::Result anonymous = Client()->Get("/export/ledger.xlsx");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

TEST_F(HttpApiTest, LedgerWorkbookOfOneReviewHasOnlyThatReviewInEverySheet) {
  SeedTask();  // review 1: one task due 2021-12-31, overdue as of 2030
  v1::CreateReviewRequest review_req;
  review_req.set_title("2021年度民主生活会");
  review_req.set_kind(v1::DEMOCRATIC_LIFE_MEETING);
  review_req.set_held_on("2021-12-10");
  review_req.set_unit_id(root_.id);
  v1::Review second;
  ASSERT_TRUE(ledger_stub_->CreateReview(Ctx().get(), review_req, &second).ok());
  v1::CreateProblemRequest problem_req;
  problem_req.set_review_id(second.id());
  problem_req.set_area("在担当作为方面");
  problem_req.set_text("攻坚克难的勇气不足");
  ASSERT_TRUE(ledger_stub_->CreateProblem(Ctx().get(), problem_req, &problem_).ok());
  NewTask("主动认领攻坚任务");
  NewTask("建立攻坚任务台账");

  httplib::Headers headers = {{"Authorization", "Bearer " + admin_secret_}};
  httplib::Result res = Client()->Get(
      absl::StrCat("/export/ledger.xlsx?as_of=2030-01-01&review_id=", second.id()), headers);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  // The ledger sheet: the second review's two tasks, red as of the date.
  auto ledger = paperwork::ReadWorksheet(res->body, "整改台账");
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  ASSERT_EQ(ledger->size(), 5u);  // title, unit and date, header, two tasks
  for (size_t i = 3; i < 5; ++i) EXPECT_EQ((*ledger)[i].cells[13], "红灯");
  // The overdue list and the statistics of the same review, not of the whole unit.
  auto overdue = paperwork::ReadWorksheet(res->body, "逾期清单");
  ASSERT_TRUE(overdue.ok()) << overdue.status();
  ASSERT_EQ(overdue->size(), 6u);  // title, unit and date, header, two tasks, 合计
  EXPECT_EQ(overdue->back().cells[0], "合计");
  EXPECT_EQ(overdue->back().cells[8], "2");
  auto stats = paperwork::ReadWorksheet(res->body, "统计");
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->back().cells[0], "合计");
  EXPECT_EQ(stats->back().cells[1], "2");  // 总数: not the three tasks of the unit
  EXPECT_EQ(stats->back().cells[6], "2");  // 其中逾期

  // An unknown review is not found, as for the ledger.
  httplib::Result missing =
      Client()->Get("/export/ledger.xlsx?as_of=2030-01-01&review_id=987654", headers);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404) << missing->body;
}

TEST_F(HttpApiTest, ServesTheConsoleFilesWithTypesCachingAndAStrictPolicy) {
  auto client = Client();
  httplib::Result index = client->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  const std::string csp = index->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("http"), std::string::npos) << "no external origin may be allowed: " << csp;

  httplib::Result css = client->Get("/static/vendor/bootstrap.min.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_NE(css->body.find("Bootstrap"), std::string::npos);
  const std::string etag = css->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  httplib::Result again =
      client->Get("/static/vendor/bootstrap.min.css", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  for (const char* vendor :
       {"/static/vendor/bootstrap.bundle.min.js", "/static/vendor/chart.umd.min.js"}) {
    httplib::Result js = client->Get(vendor);
    ASSERT_TRUE(js);
    EXPECT_EQ(js->status, 200) << vendor;
    EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  }
  httplib::Result none = client->Get("/static/no-such-file.js");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  httplib::Result health = client->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok");
}

}  // namespace
}  // namespace rectify
