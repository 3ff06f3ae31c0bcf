// POST /api/<package.Service>/<Method> for every RPC in the route table; server streams as
// NDJSON (POST) or server-sent events (GET with query parameters).
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/http/gateway.h"
#include "services/http/json_error.h"
#include "services/http/rpc_routes.h"

namespace rectify::http {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// How long a stream's first answer is awaited before the HTTP status is sent: refusals
// (authentication, permissions, bad arguments) come at once and get their own status; a stream
// still silent after this is under way and answers 200.
constexpr absl::Duration kFirstAnswerWait = absl::Milliseconds(500);
// How often a stream's loop looks whether the server is stopping or the client has gone.
constexpr absl::Duration kStreamPoll = absl::Seconds(1);

grpc::Status NoSuchMethod(const std::string& name) {
  return grpc::Status(grpc::StatusCode::NOT_FOUND,
                      absl::StrCat("接口 ", name, " 不存在 / no such method: ", name));
}

// Sets one scalar field from a query parameter's text.
grpc::Status SetFromText(Message* message, const FieldDescriptor* field, const std::string& text) {
  const auto* reflection = message->GetReflection();
  bool ok = true;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      ok = absl::SimpleAtoi(text, &v);
      if (ok) reflection->SetInt32(message, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      ok = absl::SimpleAtoi(text, &v);
      if (ok) reflection->SetInt64(message, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      ok = absl::SimpleAtoi(text, &v);
      if (ok) reflection->SetUInt32(message, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      ok = absl::SimpleAtoi(text, &v);
      if (ok) reflection->SetUInt64(message, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      ok = absl::SimpleAtob(text, &v);
      if (ok) reflection->SetBool(message, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(message, field, text);
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value = field->enum_type()->FindValueByName(text);
      ok = value != nullptr;
      if (ok) reflection->SetEnum(message, field, value);
      break;
    }
    default:
      ok = false;
  }
  if (ok) return grpc::Status::OK;
  return grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT,
      absl::StrCat(field->json_name(), ": 取值无效 / ", field->json_name(), ": invalid value"));
}

// The request of a GET stream from its query parameters, named by the fields' JSON or proto
// names; Last-Event-ID (an EventSource reconnecting) becomes after_seq.
grpc::Status RequestFromQuery(const httplib::Request& req, Message* message, std::string* field) {
  const auto* descriptor = message->GetDescriptor();
  for (const auto& [name, value] : req.params) {
    const FieldDescriptor* f = descriptor->FindFieldByName(name);
    if (f == nullptr) f = descriptor->FindFieldByLowercaseName(name);
    if (f == nullptr) {
      for (int i = 0; i < descriptor->field_count() && f == nullptr; ++i) {
        if (descriptor->field(i)->json_name() == name) f = descriptor->field(i);
      }
    }
    if (f == nullptr || f->is_repeated() || f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      *field = name;
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat(name, ": 不是此接口的查询参数 / ", name,
                                       ": not a query parameter of this method"));
    }
    grpc::Status s = SetFromText(message, f, value);
    if (!s.ok()) {
      *field = f->json_name();
      return s;
    }
  }
  const std::string last_id = req.get_header_value("Last-Event-ID");
  const FieldDescriptor* after = descriptor->FindFieldByName("after_seq");
  if (!last_id.empty() && after != nullptr) {
    grpc::Status s = SetFromText(message, after, last_id);
    if (!s.ok()) {
      *field = "Last-Event-ID";
      return s;
    }
    // A reconnection resumes where the browser stopped, even when the stream it reopens was
    // first asked "from now" (the URL an EventSource reconnects to is the first one).
    const FieldDescriptor* from_now = descriptor->FindFieldByName("from_now");
    if (from_now != nullptr) message->GetReflection()->ClearField(message, from_now);
  }
  return grpc::Status::OK;
}

// The SSE id of a streamed message: its "seq" field when it has one (events do).
std::string EventId(const Message& message) {
  const FieldDescriptor* seq = message.GetDescriptor()->FindFieldByName("seq");
  if (seq == nullptr || seq->cpp_type() != FieldDescriptor::CPPTYPE_INT64) return "";
  return absl::StrCat(message.GetReflection()->GetInt64(message, seq));
}

// A streamed message as NDJSON line or SSE event; false when the bytes do not parse.
bool Frame(const RpcRoute& route, bool sse, const std::string& bytes, std::string* out) {
  std::unique_ptr<Message> message(route.response_prototype->New());
  if (!message->ParseFromString(bytes)) return false;
  if (!sse) {
    *out = absl::StrCat(ToJson(*message), "\n");
    return true;
  }
  const std::string id = EventId(*message);
  *out = absl::StrCat(id.empty() ? "" : absl::StrCat("id: ", id, "\n"), "data: ", ToJson(*message),
                      "\n\n");
  return true;
}

std::string ErrorFrame(bool sse, const grpc::Status& status) {
  const std::string body = ErrorJson(status);
  return sse ? absl::StrCat("event: error\ndata: ", body, "\n\n")
             : absl::StrCat("{\"error\":", body, "}\n");
}

// A server stream's HTTP response: waits briefly for the first answer so that a refusal gets
// its own status, then streams chunk by chunk until the call ends, the client leaves or the
// server stops.
void ServeStream(Gateway& gateway, const RpcRoute& route, bool sse, const CallMetadata& metadata,
                 const std::string& request, httplib::Response& res) {
  std::shared_ptr<ServerStream> stream =
      gateway.bridge.StartStream(route.grpc_path, metadata, request);
  if (!gateway.streams.Add(stream.get())) {
    stream->Cancel();
    ReplyError(res, grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                 "服务器正在停止 / the server is shutting down"));
    return;
  }
  auto unregister = [&gateway, stream](bool) { gateway.streams.Remove(stream.get()); };
  std::string first;
  ServerStream::Step step = stream->Next(&first, kFirstAnswerWait);
  if (step == ServerStream::Step::kDone) {
    grpc::Status status = stream->Finish();
    unregister(true);
    if (!status.ok()) return ReplyError(res, status);
    res.status = 200;
    res.set_content("", sse ? "text/event-stream" : "application/x-ndjson");
    return;
  }
  auto pending = std::make_shared<std::string>();
  if (step == ServerStream::Step::kMessage && !Frame(route, sse, first, pending.get())) {
    stream->Cancel();
  }
  res.status = 200;
  res.set_header("Cache-Control", "no-store");
  if (sse) res.set_header("X-Accel-Buffering", "no");
  const absl::Duration keepalive = gateway.options.sse_keepalive;
  auto idle = std::make_shared<absl::Duration>(absl::ZeroDuration());
  // Exactly "text/event-stream": httplib compresses other text/ types, and a compressor holds
  // events back until it has enough bytes.
  res.set_chunked_content_provider(
      sse ? "text/event-stream" : "application/x-ndjson; charset=utf-8",
      [&gateway, &route, sse, stream, pending, idle, keepalive](size_t, httplib::DataSink& sink) {
        if (!pending->empty()) {
          if (!sink.write(pending->data(), pending->size())) return false;
          pending->clear();
        }
        if (gateway.streams.stopping()) stream->Cancel();
        std::string bytes;
        switch (stream->Next(&bytes, kStreamPoll)) {
          case ServerStream::Step::kMessage: {
            *idle = absl::ZeroDuration();
            std::string frame;
            if (!Frame(route, sse, bytes, &frame)) {
              stream->Cancel();
              return true;
            }
            return sink.write(frame.data(), frame.size());
          }
          case ServerStream::Step::kTimeout:
            *idle += kStreamPoll;
            // An idle stream writes something now and then (SSE: a comment; NDJSON: an empty
            // line), which keeps proxies from closing it and is how a client that left is
            // noticed: its write fails, and the call and its worker are released.
            if (*idle >= keepalive) {
              *idle = absl::ZeroDuration();
              const absl::string_view beat = sse ? ": keepalive\n\n" : "\n";
              return sink.write(beat.data(), beat.size());
            }
            return sink.is_writable();
          case ServerStream::Step::kDone: {
            grpc::Status status = stream->Finish();
            if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
              const std::string frame = ErrorFrame(sse, status);
              sink.write(frame.data(), frame.size());
            }
            sink.done();
            return true;
          }
        }
        return false;
      },
      [stream, unregister](bool success) {
        stream->Cancel();
        unregister(success);
      });
}

void ServeRpc(Gateway& gateway, const httplib::Request& req, httplib::Response& res) {
  const std::string name = req.matches[1];
  const RpcRoute* route = RouteTable::Get().Find(name);
  if (route == nullptr) return ReplyError(res, NoSuchMethod(name));
  const bool get = req.method == "GET";
  if (get && !route->server_streaming) {
    return ReplyError(res, grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                        "此接口只接受 POST / this method takes POST only"));
  }
  CallMetadata metadata;
  grpc::Status caller = CallerMetadata(req, &metadata);
  if (!caller.ok()) return ReplyError(res, caller, kCsrfHeader);
  std::unique_ptr<google::protobuf::Message> request(route->request_prototype->New());
  std::string field;
  grpc::Status parsed = get ? RequestFromQuery(req, request.get(), &field)
                            : FromJson(req.body, request.get(), &field);
  if (!parsed.ok()) return ReplyError(res, parsed, field);
  const std::string bytes = request->SerializeAsString();
  if (route->server_streaming) {
    return ServeStream(gateway, *route, get, metadata, bytes, res);
  }
  std::string answer;
  grpc::Status status = gateway.bridge.Unary(route->grpc_path, metadata, bytes, &answer);
  if (!status.ok()) return ReplyError(res, status);
  std::unique_ptr<google::protobuf::Message> response(route->response_prototype->New());
  if (!response->ParseFromString(answer)) {
    return ReplyError(res, grpc::Status(grpc::StatusCode::INTERNAL,
                                        "应答无法解析 / the response does not parse"));
  }
  res.set_header("Cache-Control", "no-store");
  ReplyJson(res, 200, ToJson(*response));
}

}  // namespace

void AddApiRoutes(httplib::Server& server, Gateway& gateway) {
  const std::string pattern = R"(/api/([A-Za-z0-9_.]+/[A-Za-z0-9_]+))";
  server.Post(pattern, [&gateway](const httplib::Request& req, httplib::Response& res) {
    ServeRpc(gateway, req, res);
  });
  server.Get(pattern, [&gateway](const httplib::Request& req, httplib::Response& res) {
    ServeRpc(gateway, req, res);
  });
}

}  // namespace rectify::http
