// RFC 3339 timestamps, as AWS writes them in credential expirations
// ("2024-05-01T12:00:00Z", "2024-05-01T14:00:00.123+02:00").
#ifndef CYTOSKEL_AWS_TIME_FORMAT_H_
#define CYTOSKEL_AWS_TIME_FORMAT_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cytoskel {

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)". Accepts 't' or a
// space for 'T', 'z' for 'Z', an offset written "+HHMM", and a leap second
// (:60, counted as the next second). Fractions finer than the clock's tick
// are truncated. Returns nullopt for anything else, including impossible
// dates such as February 30th.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(
    std::string_view text);

// Formats in UTC to whole seconds: "2024-05-01T12:00:00Z". Inverse of
// ParseRfc3339 for times in years 0000-9999.
std::string FormatRfc3339(std::chrono::system_clock::time_point time);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_TIME_FORMAT_H_
