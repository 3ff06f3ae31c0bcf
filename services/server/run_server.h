// Runs rectifyd from its configuration: checks the settings, opens the store, performs a
// recovery command when one is asked for (a new audit chain, a minted admin token) and exits,
// else makes the first start's root unit and token, serves gRPC (and HTTP when asked) with the
// scheduler and the request purger, and shuts down gracefully on SIGINT or SIGTERM.
//
// Call it from main's thread before any other thread starts: it blocks SIGINT and SIGTERM so
// that every thread it starts inherits the mask and the signal reaches its sigwait. Messages go
// to stderr prefixed "rectifyd: ", in Chinese first with English.
#ifndef RECTIFY_SERVICES_SERVER_RUN_SERVER_H_
#define RECTIFY_SERVICES_SERVER_RUN_SERVER_H_

#include "services/server/server_config.h"

namespace rectify::server {

// The process exit code: 0 after a clean stop or a finished recovery command, 1 when a setting
// is refused or the server cannot start.
int RunServer(const ServerConfig& config);

}  // namespace rectify::server

#endif  // RECTIFY_SERVICES_SERVER_RUN_SERVER_H_
