// The AWS config files: ParseIni on a config file of 2 and 50 profiles,
// and ResolveConfig (both files read and merged, profile CPG), which every
// cytoskel command runs once at start.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "aws/config.h"
#include "aws/environment.h"
#include "aws/ini.h"
#include "bench_support.h"

namespace cytoskel {
namespace {

void BM_ParseIni(benchmark::State& state) {
  std::string text = bench::ConfigFile(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseIni(text, "/home/admin/.aws/config"));
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ParseIni)->Arg(2)->Arg(50);

void BM_ResolveConfig(benchmark::State& state) {
  Environment env = Environment::FromMaps(
      {{"HOME", "/home/admin"}, {"AWS_PROFILE", "CPG"}},
      {{"/home/admin/.aws/config",
        bench::ConfigFile(static_cast<int>(state.range(0)))},
       {"/home/admin/.aws/credentials", bench::CredentialsFile()}});
  GlobalOptions options;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ResolveConfig(options, env));
  }
}
BENCHMARK(BM_ResolveConfig)->Arg(2)->Arg(50);

}  // namespace
}  // namespace cytoskel
