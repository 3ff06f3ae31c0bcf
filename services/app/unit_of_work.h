// The unit of work (services/app): how every change is applied, whatever front end decoded it.
//
// One write transaction (through the store's group commit) that
// - runs the change exactly once per request_id: a request_id seen before with the same payload
//   returns the stored answer and changes nothing; with another payload it is ALREADY_EXISTS; an
//   empty request_id runs without a record (AIP-155 makes it optional). The token is part of the
//   key: a request_id replayed by another principal is a different request, never a way to read
//   someone else's stored answer;
// - snapshots the objects the change touches before and after it, in the audit trail's own
//   versioned format (services/audit/snapshot.h), and appends one audit entry naming the actor,
//   the use case, the request and every field that changed;
// - stores the answer with the change, so that a retry after a lost reply gets the same answer;
// then tells the ledger's watchers (the scheduler) once the change is durable.
//
// A front end describes its request through Change: the payload's canonical bytes, the request as
// the audit trail records it, the targets, the change itself and its answer's encoding. The gRPC
// adapters (services/api) implement it over protobuf messages; the HTTP/JSON gateway reaches the
// same adapters in-process.
//
// Thread safety: Run may be called from any thread; a Change is used by one call.
#ifndef RECTIFY_SERVICES_APP_UNIT_OF_WORK_H_
#define RECTIFY_SERVICES_APP_UNIT_OF_WORK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/audit/snapshot.h"
#include "services/domain/ledger.h"
#include "services/model/actor.h"
#include "services/store/store.h"

namespace rectify::app {

// The objects a change touches, named before it runs.
struct AuditTargets {
  std::string name;          // "task/12", "unit/3", "tasks/4,5"; empty when not known in advance
  std::vector<Id> task_ids;  // snapshotted as tasks
  Id unit_id = 0;            // snapshotted as a unit
};

// The targets' current state in the audit trail's own format; empty when there is nothing to
// show (a creation, a target that does not exist).
absl::StatusOr<audit::Snapshot> SnapshotTargets(ReadTxn& tx, const AuditTargets& targets);

// For creations of a task or unit ("task/12", "orgunit/3"): the created object in the audit
// trail's format, as an `after` text; "" for any other target.
absl::StatusOr<std::string> CreatedSnapshot(ReadTxn& tx, absl::string_view target);

// A change as a front end decoded it.
class Change {
 public:
  virtual ~Change() = default;
  // The use case ("ReportProgress"), as the audit entry and the request record name it.
  virtual absl::string_view use_case() const = 0;
  // The client's request_id ("" for none).
  virtual const std::string& request_id() const = 0;
  // Canonical bytes of the request without its request_id: a retry gives the same bytes.
  virtual std::string Payload() const = 0;
  // The request as the audit entry records it (secrets redacted, large bytes summarised).
  virtual std::string AuditRequest() const = 0;
  // The objects the change touches, read in the transaction before it runs.
  virtual absl::StatusOr<AuditTargets> Targets(ReadTxn& tx) const = 0;
  // Authorisation of the objects and the domain change, in the transaction; fills the answer.
  virtual absl::Status Apply(WriteTxn& tx) = 0;
  // The answer as stored for a retry, and back.
  virtual std::string EncodeAnswer() const = 0;
  virtual bool DecodeAnswer(const std::string& bytes) = 0;
  // For a change without targets known in advance (a creation): the object the answer names
  // ("task/12"; "" when none), and the answer as the audit entry shows it.
  virtual std::string AnswerTarget() const = 0;
  virtual std::string AnswerAuditJson() const = 0;
};

// INVALID_ARGUMENT naming request_id unless it is at most 64 printable ASCII characters.
absl::Status CheckRequestId(const std::string& request_id);

// Runs `change` as one unit of work for `actor` (see the top of this file).
absl::Status Run(const Ledger& ledger, const Actor& actor, Change& change);

}  // namespace rectify::app

#endif  // RECTIFY_SERVICES_APP_UNIT_OF_WORK_H_
