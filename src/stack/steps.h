// How stack operations report progress without printing: each finished
// step is handed, as one short line holding no secret, to a callback that
// the cli layer supplies (and may leave empty).
#ifndef CYTOSKEL_STACK_STEPS_H_
#define CYTOSKEL_STACK_STEPS_H_

#include <functional>
#include <string_view>

namespace cytoskel {

using StepCallback = std::function<void(std::string_view step)>;

// Calls `on_step` with `step` when a callback is set.
inline void ReportStep(const StepCallback& on_step, std::string_view step) {
  if (on_step) on_step(step);
}

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_STEPS_H_
