// The permission matrix: every RPC of every rectify.v1 service, called with a token of
// every role from inside and from outside its subtree, against the matrix written below, which
// must equal the server's table (services/auth/permissions.cc) and the table in docs/security.md.
//
// The tree: 机关党委 (root) → 第一总支 → 第一支部 (A), and 机关党委 → 第二总支 → 第二支部 (B).
// The callers are bound to 第一总支 (committee, supervisor) and 第一支部 (branch); "inside" objects
// belong to 第一支部, "outside" ones to 第二支部.
//
// Outcomes: a role the matrix refuses gets PERMISSION_DENIED; an allowed role gets NOT_FOUND
// for an object outside its subtree, worded as for an id that does not exist; inside, it gets
// past the gate, and each cell names the exact code it gets there (OK, or the state machine's or
// the ledger's refusal), so that a rule that starts refusing, or stops, shows up here. The cells
// run in the matrix's order, committee before branch before supervisor, inside before outside,
// on one ledger, so a cell sees what the ones before it did (the committee starts the task, so
// the branch's start finds it started). RECTIFY_MATRIX_DUMP=1 prints the outcomes as found.
//
// Every cell runs twice: over gRPC, and over the HTTP/JSON gateway (POST /api/<Service>/<Method>,
// services/http), where the same code must come back in the JSON error with the HTTP status the
// gateway's mapping gives it: the HTTP API has no permission rules of its own.
#include <grpcpp/generic/generic_stub.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/util/json_util.h"
#include "rectify/v1/audit.grpc.pb.h"
#include "rectify/v1/auth.grpc.pb.h"
#include "rectify/v1/events.grpc.pb.h"
#include "rectify/v1/import.grpc.pb.h"
#include "rectify/v1/notify.grpc.pb.h"
#include "rectify/v1/reports.grpc.pb.h"
#include "services/auth/permissions.h"
#include "services/http/rpc_routes.h"
#include "tests/support/http_fixture.h"

namespace rectify {
namespace {

using testing_support::HttpServerTest;

enum class Transport { kGrpc, kHttp };

// The written matrix: method, committee, branch, supervisor, root only, and the outcome of
// every cell: committee inside, committee outside, branch inside, branch outside, supervisor
// inside, supervisor outside, one letter each (Outcome below: O ok, D permission denied, N not
// found, F failed precondition, I invalid argument). The inside task goes through the rows in
// order: the committee starts it (so the branch's start is F), progress, submit, accept (closed:
// return and long-term are F), reopen, cancel (cancelled: an extension, its decision and an urge
// are F). GetEvidence asks for evidence id 0 (I). The callers are not at the root, so the
// root-only rows are D throughout.
struct Expected {
  const char* method;
  bool c, b, s, root;
  const char* outcomes;
};
constexpr bool Y = true, N = false;
const Expected kMatrix[] = {
    {"OrgService/CreateUnit", Y, N, N, N, "ONDDDD"},
    {"OrgService/GetUnit", Y, Y, Y, N, "ONONON"},
    {"OrgService/ListUnits", Y, Y, Y, N, "ONONON"},
    {"OrgService/RenameUnit", Y, N, N, N, "ONDDDD"},
    {"LedgerService/CreateReview", Y, N, N, N, "ONDDDD"},
    {"LedgerService/GetReview", Y, Y, Y, N, "ONONON"},
    {"LedgerService/ListReviews", Y, Y, Y, N, "ONONON"},
    {"LedgerService/CreateRootCause", Y, N, N, N, "ONDDDD"},
    {"LedgerService/CreateProblem", Y, N, N, N, "ONDDDD"},
    {"LedgerService/ListProblems", Y, Y, Y, N, "ONONON"},
    {"LedgerService/CreateTask", Y, N, N, N, "ONDDDD"},
    {"LedgerService/GetTask", Y, Y, Y, N, "ONONON"},
    {"LedgerService/ListTasks", Y, Y, Y, N, "ONONON"},
    {"LedgerService/GetTaskHistory", Y, Y, Y, N, "ONONON"},
    {"LedgerService/GetEvidence", Y, Y, Y, N, "INININ"},
    {"LedgerService/StartTask", Y, Y, N, N, "ONFNDD"},
    {"LedgerService/ReportProgress", Y, Y, N, N, "ONONDD"},
    {"LedgerService/SubmitTask", Y, Y, N, N, "ONFNDD"},
    {"LedgerService/AcceptTask", Y, N, N, N, "ONDDDD"},
    {"LedgerService/ReturnTask", Y, N, N, N, "FNDDDD"},
    {"LedgerService/MarkOngoing", Y, N, N, N, "FNDDDD"},
    {"LedgerService/ReopenTask", Y, N, N, N, "ONDDDD"},
    {"LedgerService/CancelTask", Y, N, N, N, "ONDDDD"},
    {"LedgerService/RequestExtension", Y, Y, N, N, "FNFNDD"},
    {"LedgerService/DecideExtension", Y, N, N, N, "FNDDDD"},
    {"LedgerService/UrgeTask", Y, N, Y, N, "FNDDFN"},
    {"ReportService/OverdueReport", Y, Y, Y, N, "ONONON"},
    {"ReportService/Statistics", Y, Y, Y, N, "ONONON"},
    {"ReportService/ExportLedger", Y, Y, Y, N, "ONONON"},
    {"EventService/WatchEvents", Y, Y, Y, N, "ONONON"},
    {"ImportService/PreviewImport", Y, N, N, N, "ONDDDD"},
    {"ImportService/ImportReview", Y, N, N, N, "ONDDDD"},
    {"ImportService/AssignTask", Y, N, N, N, "ONDDDD"},
    {"ImportService/AssignTasks", Y, N, N, N, "ONDDDD"},
    {"AdminService/Backup", Y, N, N, Y, "DDDDDD"},
    {"TokenService/CreateToken", Y, N, N, N, "ONDDDD"},
    {"TokenService/ListTokens", Y, N, N, N, "OODDDD"},
    {"TokenService/RevokeToken", Y, N, N, N, "ONDDDD"},
    {"TokenService/WhoAmI", Y, Y, Y, N, "OOOOOO"},
    {"AuditService/VerifyAudit", Y, N, Y, Y, "DDDDDD"},
    {"AuditService/GetAuditHead", Y, N, Y, Y, "DDDDDD"},
    // Correcting an import.
    {"ImportService/WithdrawImport", Y, N, N, N, "FNDDDD"},
    {"ImportService/CorrectProblem", Y, N, N, N, "FNDDDD"},
    {"ImportService/CorrectDraftMeasure", Y, N, N, N, "FNDDDD"},
    {"ImportService/AddDraftMeasure", Y, N, N, N, "ONDDDD"},
    {"AuditService/ListAuditEntries", Y, N, Y, Y, "DDDDDD"},
    // Notification channels; DeleteChannel last, as it removes the side's channel.
    {"NotifyService/CreateChannel", Y, N, N, N, "ONDDDD"},
    {"NotifyService/ListChannels", Y, Y, Y, N, "ONONON"},
    {"NotifyService/UpdateChannel", Y, N, N, N, "ONDDDD"},
    {"NotifyService/TestChannel", Y, N, N, N, "ONDDDD"},
    {"NotifyService/GetNotifyStatus", Y, Y, Y, N, "ONONON"},
    {"NotifyService/DeleteChannel", Y, N, N, N, "ONDDDD"},
};

constexpr char kReport[] =
    "关于2021年度民主生活会的对照检查材料\n"
    "一、存在的问题\n"
    "1、在学习教育方面。一是学习不够深入，理论学习浮于表面。\n"
    "二、问题根源剖析\n"
    "一是理论武装不够强。\n"
    "三、整改措施\n"
    "1、加强理论学习，丰富学习方式，推动学习深入。\n";

// The objects of one side of the tree.
struct Side {
  v1::OrgUnit unit;
  v1::Review review;
  v1::Problem problem;
  v1::Task task;
  int64_t extension_id = 0;
  int64_t token_id = 0;
  int64_t channel_id = 0;
};

using Call = std::function<grpc::Status(grpc::ClientContext*, const Side&)>;

class PermissionMatrixTest : public HttpServerTest,
                             public ::testing::WithParamInterface<Transport> {
 protected:
  // On PostgreSQL a permitted Backup is answered FAILED_PRECONDITION pointing to pg_dump (the
  // store has no backup of its own): the permission check passed, as with OK on SQLite.
  bool BackupRefusedByPostgres(const grpc::Status& s) const {
    return backend_ == testing_support::Backend::kPostgres &&
           s.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
           s.error_message().find("pg_dump") != std::string::npos;
  }

  void SetUp() override {
    HttpServerTest::SetUp();
    reports_ = v1::ReportService::NewStub(channel_);
    events_ = v1::EventService::NewStub(channel_);
    import_ = v1::ImportService::NewStub(channel_);
    tokens_ = v1::TokenService::NewStub(channel_);
    notify_ = v1::NotifyService::NewStub(channel_);
    generic_ = std::make_unique<grpc::GenericStub>(channel_);
    v1::OrgUnit c1 = Unit(root_.id, "第一总支");
    v1::OrgUnit c2 = Unit(root_.id, "第二总支");
    inside_ = MakeSide(c1.id(), "第一支部");
    outside_ = MakeSide(c2.id(), "第二支部");
    secrets_[Role::kCommittee] = IssueToken("一总支书记", Role::kCommittee, c1.id());
    secrets_[Role::kBranch] = IssueToken("一支部书记", Role::kBranch, inside_.unit.id());
    secrets_[Role::kSupervisor] = IssueToken("一总支纪检", Role::kSupervisor, c1.id());
    RegisterCalls();
  }

  Side MakeSide(int64_t parent, const std::string& name) {
    Side side;
    side.unit = Unit(parent, name);
    v1::CreateReviewRequest review;
    review.set_title(name + "组织生活会");
    review.set_kind(v1::ORGANIZATIONAL_LIFE_MEETING);
    review.set_held_on("2021-11-30");
    review.set_unit_id(side.unit.id());
    EXPECT_TRUE(ledger_stub_->CreateReview(Ctx().get(), review, &side.review).ok());
    v1::CreateProblemRequest problem;
    problem.set_review_id(side.review.id());
    problem.set_area("在联系服务群众方面");
    problem.set_text("调研指导还不够深入");
    EXPECT_TRUE(ledger_stub_->CreateProblem(Ctx().get(), problem, &side.problem).ok());
    v1::CreateTaskRequest task;
    task.set_problem_id(side.problem.id());
    task.set_measure("每季度到联系点调研一次");
    task.set_owner_unit_id(side.unit.id());
    task.set_owner_person("张三");
    task.set_deadline("2022-06-30");
    EXPECT_TRUE(ledger_stub_->CreateTask(Ctx().get(), task, &side.task).ok());
    v1::RequestExtensionRequest ext;
    ext.set_id(side.task.id());
    ext.set_requested_deadline("2022-09-30");
    ext.set_reason("需要更多时间");
    v1::ExtensionRequest made;
    grpc::Status s = ledger_stub_->RequestExtension(Ctx().get(), ext, &made);
    EXPECT_TRUE(s.ok()) << s.error_message();
    side.extension_id = made.id();
    v1::CreateTokenRequest token;
    token.set_name(name + "备用");
    token.set_role(v1::BRANCH);
    token.set_unit_id(side.unit.id());
    v1::CreateTokenResponse issued;
    EXPECT_TRUE(tokens_->CreateToken(Ctx().get(), token, &issued).ok());
    side.token_id = issued.token().id();
    v1::CreateChannelRequest channel;
    channel.set_unit_id(side.unit.id());
    channel.set_kind(v1::WECOM);
    channel.set_name(name + "工作群");
    channel.set_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix-key");
    v1::Channel made_channel;
    s = notify_->CreateChannel(Ctx().get(), channel, &made_channel);
    EXPECT_TRUE(s.ok()) << s.error_message();
    side.channel_id = made_channel.id();
    return side;
  }

  // Reads a server stream until it ends or `ctx`'s deadline passes.
  template <typename Reader, typename Message>
  static grpc::Status Drain(Reader reader, Message* message) {
    while (reader->Read(message)) {
    }
    return reader->Finish();
  }

  // An empty request to an RPC by name (the audit methods: their requests are small).
  grpc::Status Generic(grpc::ClientContext* ctx, const std::string& method) {
    if (GetParam() == Transport::kHttp) return HttpCall(google::protobuf::Empty(), false);
    grpc::ByteBuffer request, response;
    grpc::Status done;
    grpc::Slice empty("", 0);
    request = grpc::ByteBuffer(&empty, 1);
    std::mutex mu;
    std::condition_variable cv;
    bool finished = false;
    generic_->UnaryCall(ctx, "/rectify.v1." + method, grpc::StubOptions(), &request, &response,
                        [&](grpc::Status s) {
                          std::lock_guard<std::mutex> lock(mu);
                          done = s;
                          finished = true;
                          cv.notify_one();
                        });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return finished; });
    return done;
  }

  void RegisterCalls();
  void RegisterImportFixCalls();

  // Runs the cell `method` as the holder of `secret` against `side`, over the test's transport.
  grpc::Status RunCell(const std::string& method, const std::string& secret, const Side& side) {
    current_method_ = method;
    current_secret_ = secret;
    return calls_.at(method)(CtxAs(secret).get(), side);
  }

  // A unary call: over gRPC through `grpc_call`, over HTTP as POST with the request in JSON.
  template <typename GrpcCall>
  grpc::Status Invoke(const google::protobuf::Message& request, GrpcCall grpc_call) {
    if (GetParam() == Transport::kGrpc) return grpc_call();
    return HttpCall(request, /*stream=*/false);
  }
  template <typename GrpcCall>
  grpc::Status InvokeStream(const google::protobuf::Message& request, GrpcCall grpc_call) {
    if (GetParam() == Transport::kGrpc) return grpc_call();
    return HttpCall(request, /*stream=*/true);
  }

  // The current cell over HTTP. A stream is read up to its first line: a refusal comes before
  // it (an HTTP error status) or as it ({"error":…}); anything else means the call was let in.
  grpc::Status HttpCall(const google::protobuf::Message& request, bool stream) {
    std::string json;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(request, &json).ok());
    const std::string path = "/api/rectify.v1." + current_method_;
    httplib::Headers headers = {{"Authorization", "Bearer " + current_secret_}};
    auto client = Client();
    if (!stream) {
      httplib::Result res = client->Post(path.c_str(), headers, json, "application/json");
      if (!res) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "no HTTP answer");
      return testing_support::StatusOfHttp(res->status, res->body);
    }
    client->set_read_timeout(2, 0);  // a watch with nothing to send stays silent
    httplib::Request req;
    req.method = "POST";
    req.path = path;
    req.headers = headers;
    req.headers.emplace("Content-Type", "application/json");
    req.body = json;
    int status = 0;
    std::string body;
    req.response_handler = [&](const httplib::Response& r) {
      status = r.status;
      return true;
    };
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      body.append(data, n);
      return body.find('\n') == std::string::npos;
    };
    client->send(req);
    if (status == 0) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "no HTTP answer");
    if (status == 200 && body.rfind("{\"error\":", 0) == 0) {
      const size_t end = body.find('\n');
      const std::string error = body.substr(9, end == std::string::npos ? end : end - 10);
      return testing_support::StatusOfHttp(200, error, /*check_http_status=*/false);
    }
    return testing_support::StatusOfHttp(status, body);
  }

  std::string current_method_;
  std::string current_secret_;
  Side inside_, outside_;
  int n_ = 0;  // makes request ids unique across calls
  std::map<Role, std::string> secrets_;
  std::map<std::string, Call> calls_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::EventService::Stub> events_;
  std::unique_ptr<v1::ImportService::Stub> import_;
  std::unique_ptr<v1::TokenService::Stub> tokens_;
  std::unique_ptr<v1::NotifyService::Stub> notify_;
  std::unique_ptr<grpc::GenericStub> generic_;
};

void PermissionMatrixTest::RegisterCalls() {
  auto& c = calls_;
  c["OrgService/CreateUnit"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::CreateUnitRequest r;
    r.set_parent_id(s.unit.id());
    r.set_name("党小组");
    v1::OrgUnit o;
    return Invoke(r, [&] { return org_->CreateUnit(x, r, &o); });
  };
  c["OrgService/GetUnit"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::GetUnitRequest r;
    r.set_id(s.unit.id());
    v1::OrgUnit o;
    return Invoke(r, [&] { return org_->GetUnit(x, r, &o); });
  };
  c["OrgService/ListUnits"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::ListUnitsRequest r;
    r.set_subtree_of(s.unit.id());
    v1::ListUnitsResponse o;
    return Invoke(r, [&] { return org_->ListUnits(x, r, &o); });
  };
  c["OrgService/RenameUnit"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::RenameUnitRequest r;
    r.set_id(s.unit.id());
    r.set_name(s.unit.name());
    v1::OrgUnit o;
    return Invoke(r, [&] { return org_->RenameUnit(x, r, &o); });
  };
  c["LedgerService/CreateReview"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::CreateReviewRequest r;
    r.set_title("专项检查");
    r.set_kind(v1::ORGANIZATIONAL_LIFE_MEETING);
    r.set_held_on("2021-12-01");
    r.set_unit_id(s.unit.id());
    v1::Review o;
    return Invoke(r, [&] { return ledger_stub_->CreateReview(x, r, &o); });
  };
  c["LedgerService/GetReview"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::GetReviewRequest r;
    r.set_id(s.review.id());
    v1::Review o;
    return Invoke(r, [&] { return ledger_stub_->GetReview(x, r, &o); });
  };
  c["LedgerService/ListReviews"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::ListReviewsRequest r;
    r.set_unit_id(s.unit.id());
    v1::ListReviewsResponse o;
    return Invoke(r, [&] { return ledger_stub_->ListReviews(x, r, &o); });
  };
  c["LedgerService/CreateRootCause"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::CreateRootCauseRequest r;
    r.set_review_id(s.review.id());
    r.set_text("宗旨意识不够牢固");
    v1::RootCause o;
    return Invoke(r, [&] { return ledger_stub_->CreateRootCause(x, r, &o); });
  };
  c["LedgerService/CreateProblem"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::CreateProblemRequest r;
    r.set_review_id(s.review.id());
    r.set_area("在学习方面");
    r.set_text("学习不够深入");
    v1::Problem o;
    return Invoke(r, [&] { return ledger_stub_->CreateProblem(x, r, &o); });
  };
  c["LedgerService/ListProblems"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::ListProblemsRequest r;
    r.set_review_id(s.review.id());
    v1::ListProblemsResponse o;
    return Invoke(r, [&] { return ledger_stub_->ListProblems(x, r, &o); });
  };
  c["LedgerService/CreateTask"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::CreateTaskRequest r;
    r.set_problem_id(s.problem.id());
    r.set_measure("再调研一次");
    r.set_owner_unit_id(s.unit.id());
    r.set_owner_person("李四");
    r.set_deadline("2022-06-30");
    v1::Task o;
    return Invoke(r, [&] { return ledger_stub_->CreateTask(x, r, &o); });
  };
  c["LedgerService/GetTask"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::GetTaskRequest r;
    r.set_id(s.task.id());
    v1::Task o;
    return Invoke(r, [&] { return ledger_stub_->GetTask(x, r, &o); });
  };
  c["LedgerService/ListTasks"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::ListTasksRequest r;
    r.set_unit_id(s.unit.id());
    v1::ListTasksResponse o;
    return Invoke(r, [&] { return ledger_stub_->ListTasks(x, r, &o); });
  };
  c["LedgerService/GetTaskHistory"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::GetTaskHistoryRequest r;
    r.set_id(s.task.id());
    v1::TaskHistory o;
    return Invoke(r, [&] { return ledger_stub_->GetTaskHistory(x, r, &o); });
  };
  // No evidence id: inside, the call gets past the task's reach and is refused for the missing
  // evidence_id (INVALID_ARGUMENT); outside, the task reads as missing.
  c["LedgerService/GetEvidence"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::GetEvidenceRequest r;
    r.set_task_id(s.task.id());
    v1::Evidence o;
    return Invoke(r, [&] { return ledger_stub_->GetEvidence(x, r, &o); });
  };
#define RECTIFY_TASK_CALL(Method, Request, Response, setup)                     \
  c["LedgerService/" #Method] = [this](grpc::ClientContext* x, const Side& s) { \
    v1::Request r;                                                              \
    r.set_id(s.task.id());                                                      \
    setup;                                                                      \
    v1::Response o;                                                             \
    return Invoke(r, [&] { return ledger_stub_->Method(x, r, &o); });           \
  }
  RECTIFY_TASK_CALL(StartTask, StartTaskRequest, Task, (void)0);
  RECTIFY_TASK_CALL(ReportProgress, ReportProgressRequest, ReportProgressResponse,
                    (r.set_text("已完成调研"), r.set_percent(20)));
  RECTIFY_TASK_CALL(SubmitTask, SubmitTaskRequest, Task, r.set_summary("已完成"));
  RECTIFY_TASK_CALL(AcceptTask, AcceptTaskRequest, Task, r.set_note("验收通过"));
  RECTIFY_TASK_CALL(ReturnTask, ReturnTaskRequest, Task, r.set_reason("材料不全"));
  RECTIFY_TASK_CALL(MarkOngoing, MarkOngoingRequest, Task,
                    (r.set_cadence_days(30), r.set_note("长期坚持")));
  RECTIFY_TASK_CALL(ReopenTask, ReopenTaskRequest, Task, r.set_reason("回头看"));
  RECTIFY_TASK_CALL(CancelTask, CancelTaskRequest, Task, r.set_reason("撤销"));
  RECTIFY_TASK_CALL(RequestExtension, RequestExtensionRequest, ExtensionRequest,
                    (r.set_requested_deadline("2022-12-31"), r.set_reason("再延")));
  RECTIFY_TASK_CALL(UrgeTask, UrgeTaskRequest, Event, r.set_note("请加快"));
#undef RECTIFY_TASK_CALL
  c["LedgerService/DecideExtension"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::DecideExtensionRequest r;
    r.set_extension_id(s.extension_id);
    r.set_approve(false);
    r.set_note("不同意");
    v1::ExtensionRequest o;
    return Invoke(r, [&] { return ledger_stub_->DecideExtension(x, r, &o); });
  };
  c["ReportService/OverdueReport"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::OverdueReportRequest r;
    r.set_unit_id(s.unit.id());
    v1::OverdueReportResponse o;
    return Invoke(r, [&] { return reports_->OverdueReport(x, r, &o); });
  };
  c["ReportService/Statistics"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::StatisticsRequest r;
    r.set_unit_id(s.unit.id());
    v1::StatisticsResponse o;
    return Invoke(r, [&] { return reports_->Statistics(x, r, &o); });
  };
  c["ReportService/ExportLedger"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::ExportLedgerRequest r;
    r.set_unit_id(s.unit.id());
    v1::LedgerRow row;
    return InvokeStream(r, [&] { return Drain(reports_->ExportLedger(x, r), &row); });
  };
  c["EventService/WatchEvents"] = [this](grpc::ClientContext* x, const Side& s) {
    x->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
    v1::WatchEventsRequest r;
    r.set_unit_id(s.unit.id());
    v1::Event e;
    return InvokeStream(r, [&] { return Drain(events_->WatchEvents(x, r), &e); });
  };
  c["ImportService/PreviewImport"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::PreviewImportRequest r;
    r.set_document(kReport);
    r.set_file_name("检视材料.txt");
    r.set_unit_id(s.unit.id());
    v1::ImportPreview o;
    return Invoke(r, [&] { return import_->PreviewImport(x, r, &o); });
  };
  c["ImportService/ImportReview"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::ImportReviewRequest r;
    r.set_document(kReport);
    r.set_file_name("检视材料.txt");
    r.set_held_on("2021-12-01");
    r.set_unit_id(s.unit.id());
    v1::ImportReviewResponse o;
    return Invoke(r, [&] { return import_->ImportReview(x, r, &o); });
  };
  c["ImportService/AssignTask"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::AssignTaskRequest r;
    r.set_id(s.task.id());
    r.set_owner_unit_id(s.unit.id());
    r.set_owner_person("张三");
    r.set_deadline("2022-06-30");
    v1::Task o;
    return Invoke(r, [&] { return import_->AssignTask(x, r, &o); });
  };
  c["ImportService/AssignTasks"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::AssignTasksRequest r;
    v1::TaskAssignmentRow* row = r.add_rows();
    row->set_id(s.task.id());
    row->set_owner_unit_id(s.unit.id());
    row->set_owner_person("张三");
    row->set_deadline("2022-06-30");
    v1::AssignTasksResponse o;
    return Invoke(r, [&] { return import_->AssignTasks(x, r, &o); });
  };
  RegisterImportFixCalls();
  c["AdminService/Backup"] = [this](grpc::ClientContext* x, const Side&) {
    v1::BackupRequest r;
    r.set_path(dir_ + "/backup.db");
    r.set_force(true);
    v1::BackupResponse o;
    return Invoke(r, [&] { return admin_->Backup(x, r, &o); });
  };
  c["TokenService/CreateToken"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::CreateTokenRequest r;
    r.set_name("新书记");
    r.set_role(v1::BRANCH);
    r.set_unit_id(s.unit.id());
    v1::CreateTokenResponse o;
    return Invoke(r, [&] { return tokens_->CreateToken(x, r, &o); });
  };
  c["TokenService/ListTokens"] = [this](grpc::ClientContext* x, const Side&) {
    v1::ListTokensRequest r;
    v1::ListTokensResponse o;
    return Invoke(r, [&] { return tokens_->ListTokens(x, r, &o); });
  };
  c["TokenService/RevokeToken"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::RevokeTokenRequest r;
    r.set_id(s.token_id);
    v1::ApiToken o;
    return Invoke(r, [&] { return tokens_->RevokeToken(x, r, &o); });
  };
  c["NotifyService/CreateChannel"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::CreateChannelRequest r;
    r.set_unit_id(s.unit.id());
    r.set_kind(v1::DINGTALK);
    r.set_name("钉钉群");
    r.set_url("https://oapi.dingtalk.com/robot/send?access_token=abc");
    v1::Channel o;
    return Invoke(r, [&] { return notify_->CreateChannel(x, r, &o); });
  };
  c["NotifyService/ListChannels"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::ListChannelsRequest r;
    r.set_unit_id(s.unit.id());
    v1::ListChannelsResponse o;
    return Invoke(r, [&] { return notify_->ListChannels(x, r, &o); });
  };
  c["NotifyService/UpdateChannel"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::UpdateChannelRequest r;
    r.set_id(s.channel_id);
    r.add_update_mask("name");
    r.set_name("改名的群");
    v1::Channel o;
    return Invoke(r, [&] { return notify_->UpdateChannel(x, r, &o); });
  };
  c["NotifyService/DeleteChannel"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::DeleteChannelRequest r;
    r.set_id(s.channel_id);
    v1::Channel o;
    return Invoke(r, [&] { return notify_->DeleteChannel(x, r, &o); });
  };
  c["NotifyService/TestChannel"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::TestChannelRequest r;
    r.set_id(s.channel_id);
    v1::TestChannelResponse o;
    return Invoke(r, [&] { return notify_->TestChannel(x, r, &o); });
  };
  c["NotifyService/GetNotifyStatus"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::GetNotifyStatusRequest r;
    r.set_unit_id(s.unit.id());
    v1::NotifyStatus o;
    return Invoke(r, [&] { return notify_->GetNotifyStatus(x, r, &o); });
  };
  c["TokenService/WhoAmI"] = [this](grpc::ClientContext* x, const Side&) {
    v1::WhoAmIRequest r;
    v1::ApiToken o;
    return Invoke(r, [&] { return tokens_->WhoAmI(x, r, &o); });
  };
  c["AuditService/VerifyAudit"] = [this](grpc::ClientContext* x, const Side&) {
    return Generic(x, "AuditService/VerifyAudit");
  };
  c["AuditService/GetAuditHead"] = [this](grpc::ClientContext* x, const Side&) {
    return Generic(x, "AuditService/GetAuditHead");
  };
  c["AuditService/ListAuditEntries"] = [this](grpc::ClientContext* x, const Side&) {
    return Generic(x, "AuditService/ListAuditEntries");
  };
}

// One letter per status code, for the matrix's outcome column.
char Outcome(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 'O';
    case grpc::StatusCode::PERMISSION_DENIED:
      return 'D';
    case grpc::StatusCode::NOT_FOUND:
      return 'N';
    case grpc::StatusCode::FAILED_PRECONDITION:
      return 'F';
    case grpc::StatusCode::INVALID_ARGUMENT:
      return 'I';
    case grpc::StatusCode::ALREADY_EXISTS:
      return 'E';
    case grpc::StatusCode::ABORTED:
      return 'A';
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 'R';
    case grpc::StatusCode::UNAVAILABLE:
      return 'U';
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 'T';
    default:
      return '?';
  }
}

bool Allowed(const Expected& e, Role role) {
  return role == Role::kCommittee ? e.c : role == Role::kBranch ? e.b : e.s;
}

// Methods without an object: the same answer from inside and outside.
bool Objectless(const std::string& method) {
  return method == "TokenService/WhoAmI" || method == "TokenService/ListTokens" ||
         method == "AdminService/Backup" || method.rfind("AuditService/", 0) == 0;
}

TEST(PermissionTable, WrittenMatrixEqualsTheServersTable) {
  const auto& rules = auth::MethodRules();
  ASSERT_EQ(rules.size(), sizeof(kMatrix) / sizeof(kMatrix[0]));
  for (size_t i = 0; i < rules.size(); ++i) {
    const Expected& e = kMatrix[i];
    SCOPED_TRACE(e.method);
    EXPECT_EQ(std::string(rules[i].method), std::string("/rectify.v1.") + e.method);
    EXPECT_EQ(rules[i].committee, e.c);
    EXPECT_EQ(rules[i].branch, e.b);
    EXPECT_EQ(rules[i].supervisor, e.s);
    EXPECT_EQ(rules[i].root_only, e.root);
  }
}

// The side's review was not imported and its task is assigned: inside, these reach the ledger
// and are refused there (FAILED_PRECONDITION), which is what the matrix needs to see.
void PermissionMatrixTest::RegisterImportFixCalls() {
  auto& c = calls_;
  c["ImportService/WithdrawImport"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::WithdrawImportRequest r;
    r.set_request_id("withdraw-" + std::to_string(s.review.id()) + "-" + std::to_string(++n_));
    r.set_review_id(s.review.id());
    r.set_reason("导入有误");
    v1::WithdrawImportResponse o;
    return Invoke(r, [&] { return import_->WithdrawImport(x, r, &o); });
  };
  c["ImportService/CorrectProblem"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::CorrectProblemRequest r;
    r.set_request_id("correct-" + std::to_string(s.problem.id()) + "-" + std::to_string(++n_));
    r.set_problem_id(s.problem.id());
    r.set_text("调研指导不够深入");
    v1::Problem o;
    return Invoke(r, [&] { return import_->CorrectProblem(x, r, &o); });
  };
  c["ImportService/CorrectDraftMeasure"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::CorrectDraftMeasureRequest r;
    r.set_request_id("measure-" + std::to_string(s.task.id()) + "-" + std::to_string(++n_));
    r.set_id(s.task.id());
    r.set_measure("每月调研一次");
    v1::Task o;
    return Invoke(r, [&] { return import_->CorrectDraftMeasure(x, r, &o); });
  };
  c["ImportService/AddDraftMeasure"] = [this](grpc::ClientContext* x, const Side& s) {
    v1::AddDraftMeasureRequest r;
    r.set_request_id("add-" + std::to_string(s.problem.id()) + "-" + std::to_string(++n_));
    r.set_problem_id(s.problem.id());
    r.set_measure("建立调研台账");
    v1::Task o;
    return Invoke(r, [&] { return import_->AddDraftMeasure(x, r, &o); });
  };
}

TEST(PermissionTable, DocsShowTheServersTable) {
  std::ifstream in(std::string(RECTIFY_SOURCE_DIR) + "/docs/security.md");
  std::stringstream readme;
  readme << in.rdbuf();
  EXPECT_NE(readme.str().find(auth::PermissionMatrixMarkdown()), std::string::npos)
      << "docs/security.md must contain exactly this table:\n"
      << auth::PermissionMatrixMarkdown();
}

TEST(PermissionTable, UnknownMethodsAreDenied) {
  Actor root_committee;
  root_committee.role = Role::kCommittee;
  root_committee.unit_id = 1;
  root_committee.unit_path = "/0000000001/";
  EXPECT_EQ(auth::CheckRole(root_committee, "/rectify.v1.LedgerService/DropEverything").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(auth::CheckRole(root_committee, "/rectify.v1.AdminService/Backup").ok());
}

// Each row of the one table names its RPC uniquely by its own name (refusals and audit entries
// look rows up by it), has the action in words, and an audit target that the generated request
// really carries: an int64 `id` (a task or a unit), `extension_id`, or `rows[].id`.
TEST(PermissionTable, EveryRowHasWordsAndAnAuditTargetItsRequestCarries) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::set<std::string> rpcs;
  for (const auth::MethodRule& rule : auth::MethodRules()) {
    const std::string method(rule.method);
    SCOPED_TRACE(method);
    const std::string rpc = method.substr(method.rfind('/') + 1);
    EXPECT_TRUE(rpcs.insert(rpc).second) << rpc << " names two RPCs";
    EXPECT_EQ(auth::FindMethodRuleByRpc(rpc), &rule);
    EXPECT_NE(std::string(rule.zh), "");
    EXPECT_NE(std::string(rule.en), "");
    EXPECT_EQ(auth::DescribeAction(method).first, rule.zh);
    const auto* descriptor =
        pool->FindMethodByName(method.substr(1, method.rfind('/') - 1) + "." + rpc);
    ASSERT_NE(descriptor, nullptr);
    const google::protobuf::Descriptor* request = descriptor->input_type();
    auto int64_field = [](const google::protobuf::Descriptor* m, const char* name) {
      const auto* f = m->FindFieldByName(name);
      return f != nullptr && !f->is_repeated() &&
             f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT64;
    };
    switch (rule.audit) {
      case auth::AuditTarget::kAnswer:
        break;
      case auth::AuditTarget::kTask:
      case auth::AuditTarget::kUnit:
        EXPECT_TRUE(int64_field(request, "id"));
        break;
      case auth::AuditTarget::kExtensionTask:
        EXPECT_TRUE(int64_field(request, "extension_id"));
        break;
      case auth::AuditTarget::kTaskRows: {
        const auto* rows = request->FindFieldByName("rows");
        ASSERT_NE(rows, nullptr);
        ASSERT_TRUE(rows->is_repeated() && rows->message_type() != nullptr);
        EXPECT_TRUE(int64_field(rows->message_type(), "id"));
        break;
      }
    }
  }
  EXPECT_EQ(auth::DescribeAction("/rectify.v1.LedgerService/DropEverything").first, "执行此操作");
}

TEST_P(PermissionMatrixTest, EveryRpcOfEveryServiceIsInTheMatrix) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* service :
       {"rectify.v1.OrgService", "rectify.v1.LedgerService", "rectify.v1.ReportService",
        "rectify.v1.EventService", "rectify.v1.ImportService", "rectify.v1.AdminService",
        "rectify.v1.TokenService", "rectify.v1.AuditService", "rectify.v1.NotifyService"}) {
    const auto* descriptor = pool->FindServiceByName(service);
    ASSERT_NE(descriptor, nullptr) << service;
    for (int i = 0; i < descriptor->method_count(); ++i) {
      const std::string name = absl::StrCat(descriptor->name(), "/", descriptor->method(i)->name());
      EXPECT_NE(auth::FindMethodRule("/rectify.v1." + name), nullptr) << name;
      EXPECT_EQ(calls_.count(name), 1u) << name << " is not walked by this test";
      EXPECT_NE(
          http::RouteTable::Get().Find(absl::StrCat(service, "/", descriptor->method(i)->name())),
          nullptr)
          << name << " has no HTTP route";
    }
  }
}

// The written outcomes agree with the table: D exactly where the role may not call, N for an
// object outside the subtree, and never D, N or a stray code inside.
TEST(PermissionTable, WrittenOutcomesAgreeWithTheTable) {
  for (const Expected& e : kMatrix) {
    SCOPED_TRACE(e.method);
    ASSERT_EQ(std::string(e.outcomes).size(), 6u);
    int cell = 0;
    for (Role role : {Role::kCommittee, Role::kBranch, Role::kSupervisor}) {
      for (bool inside : {true, false}) {
        const char want = e.outcomes[cell++];
        const bool allowed = Allowed(e, role) && !e.root;
        EXPECT_EQ(want == 'D', !allowed) << RoleCode(role) << (inside ? " inside" : " outside");
        if (allowed && !inside && !Objectless(e.method)) {
          EXPECT_EQ(want, 'N') << RoleCode(role);
        }
        if (allowed && inside) {
          EXPECT_TRUE(want != 'N' && want != '?') << RoleCode(role);
        }
      }
    }
  }
}

TEST_P(PermissionMatrixTest, EveryRoleInsideAndOutsideGetsTheWrittenOutcome) {
  const bool dump = getenv("RECTIFY_MATRIX_DUMP") != nullptr;
  for (const Expected& e : kMatrix) {
    ASSERT_EQ(calls_.count(e.method), 1u) << e.method;
    std::string found;
    for (Role role : {Role::kCommittee, Role::kBranch, Role::kSupervisor}) {
      for (bool inside : {true, false}) {
        SCOPED_TRACE(
            absl::StrCat(e.method, " as ", RoleCode(role), inside ? " inside" : " outside"));
        grpc::Status s = RunCell(e.method, secrets_[role], inside ? inside_ : outside_);
        char got = Outcome(s.error_code());
        // A watch that was let in stays open until the client's deadline over gRPC; the gateway
        // answers what the stream held by then.
        if (std::string(e.method) == "EventService/WatchEvents" &&
            s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
          got = 'O';
        }
        if (std::string(e.method) == "AdminService/Backup" && BackupRefusedByPostgres(s)) got = 'O';
        EXPECT_EQ(got, e.outcomes[found.size()])
            << "code " << s.error_code() << ": " << s.error_message();
        found.push_back(got);
        if (got == 'N') {
          EXPECT_NE(s.error_message().find("不存在"), std::string::npos) << s.error_message();
        }
      }
    }
    if (dump) std::printf("MATRIX {\"%s\", \"%s\"}\n", e.method, found.c_str());
  }
}

TEST_P(PermissionMatrixTest, RootCommitteeMayBackUpAndRootSupervisorMayReadTheAuditHead) {
  grpc::Status backup = RunCell("AdminService/Backup", admin_secret_, inside_);
  EXPECT_TRUE(backup.ok() || BackupRefusedByPostgres(backup)) << backup.error_message();
  const std::string supervisor = IssueToken("纪委办", Role::kSupervisor, root_.id);
  grpc::Status head = RunCell("AuditService/GetAuditHead", supervisor, inside_);
  EXPECT_NE(head.error_code(), grpc::StatusCode::PERMISSION_DENIED) << head.error_message();
  grpc::Status denied = RunCell("AdminService/Backup", supervisor, inside_);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_P(PermissionMatrixTest, OutOfReachReadsExactlyLikeAnIdThatDoesNotExist) {
  grpc::Status hidden = RunCell("LedgerService/GetTask", secrets_[Role::kBranch], outside_);
  const int64_t missing_id = 987654;
  Side nowhere = outside_;
  nowhere.task.set_id(missing_id);
  grpc::Status missing = RunCell("LedgerService/GetTask", secrets_[Role::kBranch], nowhere);
  ASSERT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  std::string shape = hidden.error_message();
  const std::string id = std::to_string(outside_.task.id());
  for (size_t at = shape.find(id); at != std::string::npos; at = shape.find(id)) {
    shape.replace(at, id.size(), std::to_string(missing_id));
  }
  EXPECT_EQ(shape, missing.error_message());
}

INSTANTIATE_TEST_SUITE_P(Transports, PermissionMatrixTest,
                         ::testing::Values(Transport::kGrpc, Transport::kHttp),
                         [](const ::testing::TestParamInfo<Transport>& info) {
                           return info.param == Transport::kGrpc ? "Grpc" : "Http";
                         });

// ---------------------------------------------------------------------------------------------
// Existence oracles, field by field (docs/security.md). For every field of every RPC that takes
// an id, an id outside the caller's subtree must be answered exactly like an id that does not
// exist: the same code and the same message once the id itself is blanked out. Kept apart from
// the role matrix above on purpose.

// `message` with every whole-number occurrence of `id` replaced by "#".
std::string WithoutId(std::string message, int64_t id) {
  const std::string digits = std::to_string(id);
  std::string out;
  for (size_t i = 0; i < message.size();) {
    auto digit = [&](size_t at) { return message[at] >= '0' && message[at] <= '9'; };
    const bool starts = message.compare(i, digits.size(), digits) == 0 &&
                        (i == 0 || !digit(i - 1)) &&
                        (i + digits.size() == message.size() || !digit(i + digits.size()));
    if (starts) {
      out += "#";
      i += digits.size();
    } else {
      out += message[i++];
    }
  }
  return out;
}

struct IdField {
  std::string name;  // "LedgerService/CreateProblem.root_cause_ids"
  std::function<int64_t(const Side&)> hidden;
  std::function<grpc::Status(grpc::ClientContext*, int64_t)> call;
};

TEST_P(PermissionMatrixTest, EveryIdFieldOutOfReachReadsExactlyLikeAMissingId) {
  // A root cause of the outside review, for CreateProblem's links.
  v1::CreateRootCauseRequest cause_req;
  cause_req.set_review_id(outside_.review.id());
  cause_req.set_text("宗旨意识不够牢固");
  v1::RootCause outside_cause;
  ASSERT_TRUE(ledger_stub_->CreateRootCause(Ctx().get(), cause_req, &outside_cause).ok());
  // An evidence file of the outside task, for GetEvidence's evidence_id next to a task in reach.
  v1::StartTaskRequest start;
  start.set_id(outside_.task.id());
  v1::Task started;
  ASSERT_TRUE(ledger_stub_->StartTask(Ctx().get(), start, &started).ok());
  v1::ReportProgressRequest progress;
  progress.set_id(outside_.task.id());
  progress.set_text("已走访联系点");
  progress.set_percent(20);
  v1::Evidence* file = progress.add_evidence();
  file->set_file_name("走访记录.txt");
  file->set_content("走访了三个联系点");
  v1::ReportProgressResponse reported;
  grpc::Status evidence_status = ledger_stub_->ReportProgress(Ctx().get(), progress, &reported);
  ASSERT_TRUE(evidence_status.ok()) << evidence_status.error_message();
  ASSERT_EQ(reported.report().evidence_size(), 1);
  const int64_t outside_evidence = reported.report().evidence(0).id();
  const Side& in = inside_;
  auto unit = [](const Side& s) { return s.unit.id(); };
  auto review = [](const Side& s) { return s.review.id(); };
  auto problem = [](const Side& s) { return s.problem.id(); };
  auto task = [](const Side& s) { return s.task.id(); };
  std::vector<IdField> fields = {
      {"OrgService/CreateUnit.parent_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::CreateUnitRequest r;
         r.set_parent_id(id);
         r.set_name("党小组");
         v1::OrgUnit o;
         return Invoke(r, [&] { return org_->CreateUnit(x, r, &o); });
       }},
      {"OrgService/GetUnit.id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::GetUnitRequest r;
         r.set_id(id);
         v1::OrgUnit o;
         return Invoke(r, [&] { return org_->GetUnit(x, r, &o); });
       }},
      {"OrgService/ListUnits.subtree_of", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::ListUnitsRequest r;
         r.set_subtree_of(id);
         v1::ListUnitsResponse o;
         return Invoke(r, [&] { return org_->ListUnits(x, r, &o); });
       }},
      {"OrgService/RenameUnit.id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::RenameUnitRequest r;
         r.set_id(id);
         r.set_name("改名支部");
         v1::OrgUnit o;
         return Invoke(r, [&] { return org_->RenameUnit(x, r, &o); });
       }},
      {"LedgerService/CreateReview.unit_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::CreateReviewRequest r;
         r.set_title("专项检查");
         r.set_kind(v1::ORGANIZATIONAL_LIFE_MEETING);
         r.set_held_on("2021-12-01");
         r.set_unit_id(id);
         v1::Review o;
         return Invoke(r, [&] { return ledger_stub_->CreateReview(x, r, &o); });
       }},
      {"LedgerService/GetReview.id", review,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::GetReviewRequest r;
         r.set_id(id);
         v1::Review o;
         return Invoke(r, [&] { return ledger_stub_->GetReview(x, r, &o); });
       }},
      {"LedgerService/ListReviews.unit_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::ListReviewsRequest r;
         r.set_unit_id(id);
         v1::ListReviewsResponse o;
         return Invoke(r, [&] { return ledger_stub_->ListReviews(x, r, &o); });
       }},
      {"LedgerService/CreateRootCause.review_id", review,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::CreateRootCauseRequest r;
         r.set_review_id(id);
         r.set_text("理想信念不够坚定");
         v1::RootCause o;
         return Invoke(r, [&] { return ledger_stub_->CreateRootCause(x, r, &o); });
       }},
      {"LedgerService/CreateProblem.review_id", review,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::CreateProblemRequest r;
         r.set_review_id(id);
         r.set_area("在学习方面");
         r.set_text("学习不够深入");
         v1::Problem o;
         return Invoke(r, [&] { return ledger_stub_->CreateProblem(x, r, &o); });
       }},
      {"LedgerService/CreateProblem.root_cause_ids",
       [&](const Side&) { return outside_cause.id(); },
       [&](grpc::ClientContext* x, int64_t id) {
         v1::CreateProblemRequest r;
         r.set_review_id(in.review.id());
         r.set_area("在学习方面");
         r.set_text("学习不够深入");
         r.add_root_cause_ids(id);
         v1::Problem o;
         return Invoke(r, [&] { return ledger_stub_->CreateProblem(x, r, &o); });
       }},
      {"LedgerService/ListProblems.review_id", review,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::ListProblemsRequest r;
         r.set_review_id(id);
         v1::ListProblemsResponse o;
         return Invoke(r, [&] { return ledger_stub_->ListProblems(x, r, &o); });
       }},
      {"LedgerService/CreateTask.problem_id", problem,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::CreateTaskRequest r;
         r.set_problem_id(id);
         r.set_measure("再调研一次");
         r.set_owner_unit_id(in.unit.id());
         r.set_owner_person("李四");
         r.set_deadline("2022-06-30");
         v1::Task o;
         return Invoke(r, [&] { return ledger_stub_->CreateTask(x, r, &o); });
       }},
      {"LedgerService/CreateTask.owner_unit_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::CreateTaskRequest r;
         r.set_problem_id(in.problem.id());
         r.set_measure("再调研一次");
         r.set_owner_unit_id(id);
         r.set_owner_person("李四");
         r.set_deadline("2022-06-30");
         v1::Task o;
         return Invoke(r, [&] { return ledger_stub_->CreateTask(x, r, &o); });
       }},
      {"LedgerService/ListTasks.unit_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::ListTasksRequest r;
         r.set_unit_id(id);
         v1::ListTasksResponse o;
         return Invoke(r, [&] { return ledger_stub_->ListTasks(x, r, &o); });
       }},
      {"LedgerService/ListTasks.review_id", review,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::ListTasksRequest r;
         r.set_review_id(id);
         v1::ListTasksResponse o;
         grpc::Status s = ledger_stub_->ListTasks(x, r, &o);
         // A filter, not a lookup: an empty list for both is the same answer.
         if (s.ok() && o.tasks_size() == 0) return grpc::Status(grpc::StatusCode::NOT_FOUND, "");
         return s.ok() ? grpc::Status(grpc::StatusCode::UNKNOWN, "rows") : s;
       }},
      {"ReportService/OverdueReport.review_id", review,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::OverdueReportRequest r;
         r.set_review_id(id);
         r.set_as_of("2030-01-01");
         v1::OverdueReportResponse o;
         return Invoke(r, [&] { return reports_->OverdueReport(x, r, &o); });
       }},
      {"ReportService/Statistics.review_id", review,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::StatisticsRequest r;
         r.set_review_id(id);
         v1::StatisticsResponse o;
         return Invoke(r, [&] { return reports_->Statistics(x, r, &o); });
       }},
      {"ReportService/ExportLedger.review_id", review,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::ExportLedgerRequest r;
         r.set_review_id(id);
         v1::LedgerRow row;
         auto reader = reports_->ExportLedger(x, r);
         int rows = 0;
         while (reader->Read(&row)) ++rows;
         grpc::Status s = reader->Finish();
         return s.ok() && rows > 0 ? grpc::Status(grpc::StatusCode::UNKNOWN, "rows") : s;
       }},
      {"LedgerService/DecideExtension.extension_id", [](const Side& s) { return s.extension_id; },
       [&](grpc::ClientContext* x, int64_t id) {
         v1::DecideExtensionRequest r;
         r.set_extension_id(id);
         r.set_approve(false);
         v1::ExtensionRequest o;
         return Invoke(r, [&] { return ledger_stub_->DecideExtension(x, r, &o); });
       }},
      {"ImportService/PreviewImport.unit_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::PreviewImportRequest r;
         r.set_document(kReport);
         r.set_file_name("检视材料.txt");
         r.set_unit_id(id);
         v1::ImportPreview o;
         return Invoke(r, [&] { return import_->PreviewImport(x, r, &o); });
       }},
      {"ImportService/ImportReview.unit_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::ImportReviewRequest r;
         r.set_document(kReport);
         r.set_file_name("检视材料.txt");
         r.set_held_on("2021-12-01");
         r.set_unit_id(id);
         v1::ImportReviewResponse o;
         return Invoke(r, [&] { return import_->ImportReview(x, r, &o); });
       }},
      {"ImportService/AssignTask.id", task,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::AssignTaskRequest r;
         r.set_id(id);
         r.set_owner_unit_id(in.unit.id());
         r.set_owner_person("张三");
         r.set_deadline("2022-06-30");
         v1::Task o;
         return Invoke(r, [&] { return import_->AssignTask(x, r, &o); });
       }},
      {"ImportService/AssignTask.owner_unit_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::AssignTaskRequest r;
         r.set_id(in.task.id());
         r.set_owner_unit_id(id);
         r.set_owner_person("张三");
         r.set_deadline("2022-06-30");
         v1::Task o;
         return Invoke(r, [&] { return import_->AssignTask(x, r, &o); });
       }},
      {"ImportService/AssignTasks.rows.id", task,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::AssignTasksRequest r;
         v1::TaskAssignmentRow* row = r.add_rows();
         row->set_id(id);
         row->set_owner_unit_id(in.unit.id());
         row->set_owner_person("张三");
         row->set_deadline("2022-06-30");
         v1::AssignTasksResponse o;
         return Invoke(r, [&] { return import_->AssignTasks(x, r, &o); });
       }},
      {"ImportService/AssignTasks.rows.owner_unit_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::AssignTasksRequest r;
         v1::TaskAssignmentRow* row = r.add_rows();
         row->set_id(in.task.id());
         row->set_owner_unit_id(id);
         row->set_owner_person("张三");
         row->set_deadline("2022-06-30");
         v1::AssignTasksResponse o;
         return Invoke(r, [&] { return import_->AssignTasks(x, r, &o); });
       }},
      {"TokenService/CreateToken.unit_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         v1::CreateTokenRequest r;
         r.set_name("新书记");
         r.set_role(v1::BRANCH);
         r.set_unit_id(id);
         v1::CreateTokenResponse o;
         return Invoke(r, [&] { return tokens_->CreateToken(x, r, &o); });
       }},
      {"TokenService/RevokeToken.id", [](const Side& s) { return s.token_id; },
       [&](grpc::ClientContext* x, int64_t id) {
         v1::RevokeTokenRequest r;
         r.set_id(id);
         v1::ApiToken o;
         return Invoke(r, [&] { return tokens_->RevokeToken(x, r, &o); });
       }},
      {"EventService/WatchEvents.unit_id", unit,
       [&](grpc::ClientContext* x, int64_t id) {
         x->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
         v1::WatchEventsRequest r;
         r.set_unit_id(id);
         v1::Event e;
         grpc::Status s = Drain(events_->WatchEvents(x, r), &e);
         // A watch in reach runs until its deadline: the same outcome for hidden and missing
         // is a refusal, never a running stream.
         return s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
                    ? grpc::Status(grpc::StatusCode::UNKNOWN, "stream")
                    : s;
       }},
  };
  fields.push_back({"LedgerService/GetEvidence.evidence_id",
                    [&](const Side&) { return outside_evidence; },
                    [&](grpc::ClientContext* x, int64_t id) {
                      v1::GetEvidenceRequest r;
                      r.set_task_id(in.task.id());
                      r.set_evidence_id(id);
                      v1::Evidence o;
                      return Invoke(r, [&] { return ledger_stub_->GetEvidence(x, r, &o); });
                    }});
  // Correcting an import: the cells of the matrix, with the id under test in place of the
  // inside side's.
  fields.push_back({"ImportService/WithdrawImport.review_id", review,
                    [this](grpc::ClientContext* x, int64_t id) {
                      Side side = inside_;
                      side.review.set_id(id);
                      return calls_["ImportService/WithdrawImport"](x, side);
                    }});
  fields.push_back({"ImportService/CorrectProblem.problem_id", problem,
                    [this](grpc::ClientContext* x, int64_t id) {
                      Side side = inside_;
                      side.problem.set_id(id);
                      return calls_["ImportService/CorrectProblem"](x, side);
                    }});
  fields.push_back(
      {"ImportService/CorrectDraftMeasure.id", task, [this](grpc::ClientContext* x, int64_t id) {
         Side side = inside_;
         side.task.set_id(id);
         return calls_["ImportService/CorrectDraftMeasure"](x, side);
       }});
  fields.push_back({"ImportService/AddDraftMeasure.problem_id", problem,
                    [this](grpc::ClientContext* x, int64_t id) {
                      Side side = inside_;
                      side.problem.set_id(id);
                      return calls_["ImportService/AddDraftMeasure"](x, side);
                    }});
  // The task-taking transitions: the same request shape with the task's id.
  for (const char* method :
       {"StartTask", "ReportProgress", "SubmitTask", "AcceptTask", "ReturnTask", "MarkOngoing",
        "ReopenTask", "CancelTask", "RequestExtension", "UrgeTask", "GetTask", "GetTaskHistory",
        "GetEvidence"}) {
    const std::string name = std::string("LedgerService/") + method;
    const std::string field = std::string(method) == "GetEvidence" ? ".task_id" : ".id";
    fields.push_back({name + field, task, [this, name](grpc::ClientContext* x, int64_t id) {
                        Side side = inside_;
                        side.task.set_id(id);
                        return calls_[name](x, side);
                      }});
  }
  for (const char* method :
       {"ReportService/OverdueReport", "ReportService/Statistics", "ReportService/ExportLedger"}) {
    const std::string name = method;
    fields.push_back({name + ".unit_id", unit, [this, name](grpc::ClientContext* x, int64_t id) {
                        Side side = inside_;
                        side.unit.set_id(id);
                        return calls_[name](x, side);
                      }});
  }
  // The channel-taking calls, and the unit-taking ones of NotifyService.
  for (const char* method : {"NotifyService/UpdateChannel", "NotifyService/TestChannel",
                             "NotifyService/DeleteChannel"}) {
    const std::string name = method;
    fields.push_back({name + ".id", [](const Side& s) { return s.channel_id; },
                      [this, name](grpc::ClientContext* x, int64_t id) {
                        Side side = inside_;
                        side.channel_id = id;
                        return calls_[name](x, side);
                      }});
  }
  for (const char* method : {"NotifyService/CreateChannel", "NotifyService/ListChannels",
                             "NotifyService/GetNotifyStatus"}) {
    const std::string name = method;
    fields.push_back({name + ".unit_id", unit, [this, name](grpc::ClientContext* x, int64_t id) {
                        Side side = inside_;
                        side.unit.set_id(id);
                        return calls_[name](x, side);
                      }});
  }
  constexpr int64_t kMissing = 987654;
  current_secret_ = secrets_[Role::kCommittee];
  for (const IdField& field : fields) {
    const int64_t hidden = field.hidden(outside_);
    SCOPED_TRACE(absl::StrCat(field.name, " hidden id ", hidden));
    // Over HTTP the call goes to the route of the field's method ("LedgerService/GetTask").
    current_method_ = field.name.substr(0, field.name.find('.'));
    grpc::Status h = field.call(CtxAs(secrets_[Role::kCommittee]).get(), hidden);
    grpc::Status m = field.call(CtxAs(secrets_[Role::kCommittee]).get(), kMissing);
    EXPECT_EQ(h.error_code(), m.error_code()) << h.error_message() << " | " << m.error_message();
    EXPECT_EQ(WithoutId(h.error_message(), hidden), WithoutId(m.error_message(), kMissing));
    EXPECT_FALSE(h.ok()) << "an id outside reach was acted on";
  }
}

}  // namespace
}  // namespace rectify
