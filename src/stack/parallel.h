// A small bounded worker pool for independent AWS calls. A Session serves
// several threads at once (one HTTP client per thread, shared credentials
// and retry quota), so work on many users or grants can overlap.
#ifndef CYTOSKEL_STACK_PARALLEL_H_
#define CYTOSKEL_STACK_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace cytoskel {

// Runs `task(i)` once for every i in [0, count), on at most `workers`
// threads at once, the calling thread being one of them (so `workers` <= 1
// runs everything in order on the calling thread). Tasks take the next
// index as they finish, so one slow task does not hold the others up.
// Returns when every started task has finished. When a task throws, no new
// task starts and the first exception is rethrown. `task` must be safe to
// call from several threads at once.
void ForEachParallel(size_t count, size_t workers,
                     const std::function<void(size_t index)>& task);

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_PARALLEL_H_
