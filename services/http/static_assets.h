// The web console's files, compiled into rectifyd (embed_assets.cmake writes the table at build
// time from services/web/ and Debian's Bootstrap 5 and Chart.js): served at /static/<path>, with
// index.html also at /. No file is read from disk at run time and nothing comes from a CDN.
//
// Thread safety: constant data.
#ifndef RECTIFY_SERVICES_HTTP_STATIC_ASSETS_H_
#define RECTIFY_SERVICES_HTTP_STATIC_ASSETS_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace rectify::http {

struct EmbeddedAsset {
  const char* url_path;  // "/static/app.js", "/static/vendor/bootstrap.min.css"
  const unsigned char* data;
  size_t size;
};

// Ends with an entry whose url_path is nullptr.
extern const EmbeddedAsset kEmbeddedAssets[];

// The asset at `url_path`, or nullptr.
const EmbeddedAsset* FindAsset(absl::string_view url_path);

// "text/javascript; charset=utf-8" and so on, by the path's extension.
const char* ContentTypeOf(absl::string_view path);

// Content-Security-Policy of every answer: this origin only, no inline script, no framing.
extern const char kContentSecurityPolicy[];

}  // namespace rectify::http

#endif  // RECTIFY_SERVICES_HTTP_STATIC_ASSETS_H_
