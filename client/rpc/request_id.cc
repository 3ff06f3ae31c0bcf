#include "client/rpc/request_id.h"

#include <cstdint>
#include <random>

#include "absl/strings/str_format.h"

namespace rectify::client {

std::string NewRequestId() {
  // A fresh random_device per call: no shared state, so no locking, and nothing predictable
  // carried over from a seeded engine.
  std::random_device device;
  std::string id;
  for (int i = 0; i < 4; ++i) {
    const uint32_t word = device();
    absl::StrAppendFormat(&id, "%08x", word);
  }
  return id;
}

}  // namespace rectify::client
