// Splitting a message's lines into parts that each fit one request of a channel. Internal to
// services/notify/channels. Pure functions, thread-safe.
#ifndef RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_SPLIT_H_
#define RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_SPLIT_H_

#include <functional>
#include <string>
#include <vector>

namespace rectify::notify::internal {

// Whether a part holding `lines` fits its channel's limit. `numbered` says the part's title will
// carry " (k/n)": the caller measures with the longest such suffix it allows.
using PartFits = std::function<bool(const std::vector<std::string>& lines, bool numbered)>;

// The longest " (k/n)" suffix measured for a numbered part.
inline constexpr char kWidestPartSuffix[] = " (999/999)";

// `lines` in parts, in order: one part when everything fits unnumbered; otherwise as many
// whole lines per part as fit, and a line too long for a part of its own cut at UTF-8
// character boundaries into pieces that do. Concatenating every part's lines gives `lines`
// back, a cut line's pieces concatenated giving the line.
std::vector<std::vector<std::string>> SplitLines(const std::vector<std::string>& lines,
                                                 const PartFits& fits);

// " (k/n)" for part k (1-based) of n, or "" when n is 1.
std::string PartSuffix(size_t k, size_t n);

}  // namespace rectify::notify::internal

#endif  // RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_SPLIT_H_
