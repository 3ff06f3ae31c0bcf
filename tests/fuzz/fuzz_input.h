// The input format of fuzz_requests, shared with fuzz_seeds (which writes valid inputs).
//
// FuzzedDataProvider takes strings from the front of the input and integers from the back, so an
// input is:  payload_1 "\\x" payload_2 "\\x" ... payload_n  hours_n rpc_n ... hours_1 rpc_1  mode
// where mode 0 means "the rest is a review document" (then the whole front is the document),
// each rpc is an Rpc below, each hours (0-48) moves the clock before that call, and each payload
// is the serialized request with every backslash doubled.
#ifndef RECTIFY_TESTS_FUZZ_FUZZ_INPUT_H_
#define RECTIFY_TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstdint>

namespace rectify::fuzz {

enum Rpc : uint8_t {
  kCreateUnit,
  kGetUnit,
  kListUnits,
  kRenameUnit,
  kCreateReview,
  kGetReview,
  kListReviews,
  kCreateRootCause,
  kCreateProblem,
  kListProblems,
  kCreateTask,
  kGetTask,
  kListTasks,
  kGetTaskHistory,
  kStartTask,
  kReportProgress,
  kSubmitTask,
  kAcceptTask,
  kReturnTask,
  kMarkOngoing,
  kReopenTask,
  kCancelTask,
  kRequestExtension,
  kDecideExtension,
  kOverdueReport,
  kCreateChannel,
  kListChannels,
  kUpdateChannel,
  kDeleteChannel,
  kTestChannel,
  kGetNotifyStatus,
  kRpcCount,
};

// At most this many calls per input.
inline constexpr int kMaxCallsPerInput = 8;

}  // namespace rectify::fuzz

#endif  // RECTIFY_TESTS_FUZZ_FUZZ_INPUT_H_
