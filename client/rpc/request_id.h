// Idempotency keys for mutations (request_id in every mutating request).
//
// Every mutation gets its key from NewRequestId() once, before the first attempt; a retry of the
// same mutation must reuse that key so that the server returns the first result instead of acting
// twice. Keep key generation here and nowhere else.
#ifndef RECTIFY_CLIENT_RPC_REQUEST_ID_H_
#define RECTIFY_CLIENT_RPC_REQUEST_ID_H_

#include <string>

namespace rectify::client {

// 128 random bits (std::random_device, i.e. the kernel's generator) as 32 lowercase hex digits.
// Thread-safe.
std::string NewRequestId();

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RPC_REQUEST_ID_H_
