#include "aws/time_format.h"

#include <cstdint>

#include <fmt/format.h>

namespace cytoskel {

namespace {

using Clock = std::chrono::system_clock;

// A cursor over the text being parsed. Every read checks the bounds, so any
// input, however malformed, only ever yields "does not parse".
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }

  // Reads exactly `count` decimal digits.
  bool Digits(size_t count, int& value) {
    if (text_.size() - pos_ < count) return false;
    value = 0;
    for (size_t i = 0; i < count; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos_ += count;
    return true;
  }

  // Consumes one character if it is one of `choices`; returns it, or '\0'.
  char OneOf(std::string_view choices) {
    if (AtEnd() || choices.find(text_[pos_]) == std::string_view::npos) {
      return '\0';
    }
    return text_[pos_++];
  }

  // Reads one or more digits after a '.', keeping nanosecond precision.
  bool Fraction(std::chrono::nanoseconds& fraction) {
    int64_t nanos = 0;
    int64_t scale = 100'000'000;
    size_t digits = 0;
    while (!AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      nanos += (text_[pos_] - '0') * scale;
      scale /= 10;
      ++pos_;
      ++digits;
    }
    fraction = std::chrono::nanoseconds(nanos);
    return digits > 0;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

struct Fields {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  std::chrono::nanoseconds fraction{0};
  std::chrono::minutes offset{0};  // local time minus UTC
};

bool ReadDateTime(Reader& in, Fields& f) {
  return in.Digits(4, f.year) && in.OneOf("-") && in.Digits(2, f.month) &&
         in.OneOf("-") && in.Digits(2, f.day) && in.OneOf("Tt ") &&
         in.Digits(2, f.hour) && in.OneOf(":") && in.Digits(2, f.minute) &&
         in.OneOf(":") && in.Digits(2, f.second);
}

bool ReadOffset(Reader& in, Fields& f) {
  const char sign = in.OneOf("Zz+-");
  if (sign == 'Z' || sign == 'z') return true;
  if (sign == '\0') return false;
  int hours = 0;
  int minutes = 0;
  if (!in.Digits(2, hours)) return false;
  in.OneOf(":");  // "+02:00" and "+0200" both occur in the wild
  if (!in.Digits(2, minutes) || hours > 23 || minutes > 59) return false;
  f.offset = std::chrono::minutes(hours * 60 + minutes);
  if (sign == '-') f.offset = -f.offset;
  return true;
}

bool TimeOfDayValid(const Fields& f) {
  return f.hour <= 23 && f.minute <= 59 && f.second <= 60;
}

}  // namespace

std::optional<Clock::time_point> ParseRfc3339(std::string_view text) {
  Reader in(text);
  Fields f;
  if (!ReadDateTime(in, f) || !TimeOfDayValid(f)) return std::nullopt;
  if (in.OneOf(".") && !in.Fraction(f.fraction)) return std::nullopt;
  if (!ReadOffset(in, f) || !in.AtEnd()) return std::nullopt;

  const std::chrono::year_month_day date{std::chrono::year(f.year),
                                         std::chrono::month(unsigned(f.month)),
                                         std::chrono::day(unsigned(f.day))};
  if (!date.ok()) return std::nullopt;

  // Whole seconds first, in 64 bits, so that a far-off year is refused
  // instead of overflowing the clock's nanosecond count.
  const std::chrono::seconds utc =
      std::chrono::sys_days(date).time_since_epoch() +
      std::chrono::hours(f.hour) + std::chrono::minutes(f.minute) +
      std::chrono::seconds(f.second) - f.offset;
  const auto limit =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::duration::max()) -
      std::chrono::seconds(1);
  if (utc > limit || utc < -limit) return std::nullopt;

  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(utc) +
      std::chrono::duration_cast<Clock::duration>(f.fraction));
}

std::string FormatRfc3339(Clock::time_point time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{seconds - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", int(date.year()),
                     unsigned(date.month()), unsigned(date.day()),
                     clock.hours().count(), clock.minutes().count(),
                     clock.seconds().count());
}

}  // namespace cytoskel
