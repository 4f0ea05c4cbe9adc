// One 1,000-item list page through the real client code: build and sign
// the request, "send" it (a canned reply, no network), parse the XML and
// turn every item into the client's struct. The XML-only variant shows how
// much of that is pugixml itself.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "aws/http.h"
#include "aws/iam.h"
#include "aws/s3control.h"
#include "aws/session.h"
#include "aws/xml.h"
#include "bench_support.h"

namespace cytoskel {
namespace {

constexpr int kPageItems = 1000;

HttpResponse Reply(std::string body) {
  HttpResponse reply;
  reply.status = 200;
  reply.body = std::move(body);
  return reply;
}

void BM_ListAccessGrantsPage(benchmark::State& state) {
  HttpResponse reply = Reply(bench::ListAccessGrantsPage(kPageItems));
  std::unique_ptr<Session> session = bench::MakeCannedSession(reply);
  S3ControlClient client(*session, bench::kAccount);
  for (auto _ : state) {
    size_t seen = 0;
    client.ListGrants({},
                      [&seen](AccessGrant grant) { seen += grant.id.size(); });
    benchmark::DoNotOptimize(seen);
  }
  state.SetItemsProcessed(state.iterations() * kPageItems);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(reply.body.size()));
}
BENCHMARK(BM_ListAccessGrantsPage)->Unit(benchmark::kMicrosecond);

void BM_ListAccessGrantsPageXmlOnly(benchmark::State& state) {
  std::string body = bench::ListAccessGrantsPage(kPageItems);
  for (auto _ : state) {
    pugi::xml_document page = ParseXmlReply(body, "ListAccessGrants");
    size_t seen = 0;
    for (pugi::xml_node grant :
         page.document_element().child("AccessGrantsList")) {
      seen += ChildText(grant, "AccessGrantId").size();
    }
    benchmark::DoNotOptimize(seen);
  }
  state.SetItemsProcessed(state.iterations() * kPageItems);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ListAccessGrantsPageXmlOnly)->Unit(benchmark::kMicrosecond);

void BM_GetGroupPage(benchmark::State& state) {
  HttpResponse reply = Reply(bench::GetGroupPage(kPageItems));
  std::unique_ptr<Session> session = bench::MakeCannedSession(reply);
  IamClient client(*session);
  for (auto _ : state) {
    benchmark::DoNotOptimize(client.GetGroup("staging_cpg_uploaders"));
  }
  state.SetItemsProcessed(state.iterations() * kPageItems);
}
BENCHMARK(BM_GetGroupPage)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace cytoskel
