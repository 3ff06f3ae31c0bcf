// Text rules shared by validation and display: Chinese text first.
//
// Limits count characters (Unicode code points), never bytes. Display width counts a CJK or
// other East Asian wide character as two terminal columns.
#ifndef RECTIFY_SERVICES_COMMON_TEXT_H_
#define RECTIFY_SERVICES_COMMON_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rectify {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool IsValidUtf8(absl::string_view s);

// Offset of the first byte of `s` that does not start a well-formed UTF-8 sequence (the rules of
// IsValidUtf8), or absl::string_view::npos when there is none: for errors that say where.
size_t FirstInvalidUtf8(absl::string_view s);

// Number of code points in valid UTF-8 `s`.
size_t CharCount(absl::string_view s);

// Terminal columns `s` takes: 2 for East Asian wide and full-width characters, 0 for combining
// marks and zero-width characters, 1 otherwise.
int DisplayWidth(absl::string_view s);

// Columns of a single code point, as in DisplayWidth.
int CodePointWidth(char32_t cp);

// `s` padded with spaces on the right to `width` columns (no-op when already wider).
std::string PadRight(absl::string_view s, int width);

// `s` cut to at most `width` columns, ending in "…" when cut.
std::string TruncateToWidth(absl::string_view s, int width);

// Checks a user-supplied text field: valid UTF-8, no NUL or other control characters except
// newline and tab when `multiline`, trimmed length within [min_chars, max_chars]. The error is
// INVALID_ARGUMENT and names `field`.
absl::Status CheckText(absl::string_view field, absl::string_view value, size_t min_chars,
                       size_t max_chars, bool multiline = true);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_COMMON_TEXT_H_
