// A fake AWS for the stack's logic: answers IAM, STS and the Access Grants
// calls by operation name rather than by arrival order, so a test scripts
// only the calls it cares about and reads back the sequence of operations.
//
//   FakeAws aws;
//   aws.Reply("GetUser", 200, IamReply("GetUser", "<User>...</User>"));
//   aws.Always("ListAccessKeys", 200, EmptyIamReply("ListAccessKeys"));
//   StackContext stack(aws.session(), StackSettings{});
//   ... EXPECT_THAT(aws.operations(), ElementsAre("GetUser", ...));
//
// A call with no reply scripted fails the test.
#ifndef CYTOSKEL_TESTS_UNIT_STACK_FAKE_AWS_H_
#define CYTOSKEL_TESTS_UNIT_STACK_FAKE_AWS_H_

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../aws/fake_http.h"
#include "aws/http.h"
#include "aws/session.h"

namespace cytoskel {

inline constexpr char kFakeAccount[] = "123456789012";

// A successful IAM or STS answer to `action` holding `result`.
inline std::string IamReply(const std::string& action,
                            const std::string& result) {
  return "<" + action + "Response><" + action + "Result>" + result + "</" +
         action + "Result><ResponseMetadata><RequestId>r</RequestId>" +
         "</ResponseMetadata></" + action + "Response>";
}

// An IAM answer with nothing in it: an empty list, or a write's answer.
inline std::string EmptyIamReply(const std::string& action) {
  return IamReply(action, "<IsTruncated>false</IsTruncated>");
}

// An AWS error answer (the query protocol's shape, which S3 Control's
// parser also reads).
inline std::string ErrorReply(const std::string& code,
                              const std::string& message = "") {
  return "<ErrorResponse><Error><Code>" + code + "</Code><Message>" + message +
         "</Message></Error><RequestId>req-1</RequestId>" + "</ErrorResponse>";
}

inline std::string UserXml(const std::string& name, bool managed,
                           const std::string& path = "/") {
  std::string xml = "<Path>" + path + "</Path><UserName>" + name +
                    "</UserName><UserId>AIDA" + name + "</UserId><Arn>" +
                    "arn:aws:iam::123456789012:user" + path + name +
                    "</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate>";
  if (managed) {
    xml +=
        "<Tags><member><Key>managed-by</Key><Value>cytoskel</Value>"
        "</member></Tags>";
  }
  return xml;
}

// ListGroupsForUser's answer: the user is a member of `groups`.
inline std::string GroupsForUserReply(const std::vector<std::string>& groups) {
  std::string members;
  for (const std::string& name : groups) {
    members += "<member><Path>/</Path><GroupName>" + name +
               "</GroupName><GroupId>AGPA" + name +
               "</GroupId><Arn>arn:aws:iam::123456789012:group/" + name +
               "</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></member>";
  }
  return IamReply("ListGroupsForUser", "<Groups>" + members +
                                           "</Groups><IsTruncated>false"
                                           "</IsTruncated>");
}

// GetGroup's answer for the stack's group, staging_cpg_uploaders, with
// `members` as managed users; with `marker`, a page that has more after it.
inline std::string GroupReply(const std::vector<std::string>& members,
                              const std::string& marker = "") {
  std::string users;
  for (const std::string& name : members) {
    users += "<member>" + UserXml(name, true) + "</member>";
  }
  std::string paging =
      marker.empty()
          ? "<IsTruncated>false</IsTruncated>"
          : "<IsTruncated>true</IsTruncated><Marker>" + marker + "</Marker>";
  return IamReply("GetGroup",
                  "<Group><Path>/</Path><GroupName>staging_cpg_uploaders"
                  "</GroupName><GroupId>AGPA1</GroupId><Arn>arn:aws:iam::"
                  "123456789012:group/staging_cpg_uploaders</Arn><CreateDate>"
                  "2024-01-01T00:00:00Z</CreateDate></Group><Users>" +
                      users + "</Users>" + paging);
}

class FakeAws {
 public:
  FakeAws() {
    Always("GetCallerIdentity", 200,
           IamReply("GetCallerIdentity",
                    "<Arn>arn:aws:iam::123456789012:user/admin</Arn>"
                    "<UserId>AIDAADMIN</UserId><Account>123456789012"
                    "</Account>"));
  }

  // What a Session needs to talk to this fake: HTTP, a fixed clock, and a
  // sleep that only adds up the time.
  SessionDeps deps() {
    SessionDeps deps;
    deps.make_http = [this] { return std::make_unique<Client>(*this); };
    deps.now = [] {
      return Clock::time_point(std::chrono::seconds(1714564800));
    };
    deps.sleep = [this](std::chrono::milliseconds delay) { slept_ += delay; };
    deps.random01 = [] { return 0.0; };
    return deps;
  }

  // An environment with test keys and region us-east-1, and no files.
  static Environment env() {
    return Environment::FromMaps({{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                                  {"AWS_SECRET_ACCESS_KEY", "secret"},
                                  {"AWS_REGION", "us-east-1"}});
  }

  Session& session() {
    if (!session_) {
      session_ = std::make_unique<Session>(GlobalOptions{}, env(), deps());
    }
    return *session_;
  }

  // Queues one answer to `operation`; queued answers go first, in order.
  void Reply(const std::string& operation, long status, std::string body) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    queued_[operation].push_back(std::move(response));
  }

  // Queues an answer that never arrives: the connection broke after the
  // request was sent.
  void LoseAnswer(const std::string& operation) {
    HttpResponse response;
    response.failure = NetworkFailure::kReset;
    response.failure_detail = "fake connection reset";
    queued_[operation].push_back(std::move(response));
  }

  // Answers every call of `operation` with this once its queue is empty.
  void Always(const std::string& operation, long status, std::string body) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    always_[operation] = std::move(response);
  }

  // An empty successful answer to each of `operations`, always.
  void AlwaysEmpty(const std::vector<std::string>& operations) {
    for (const std::string& operation : operations) {
      Always(operation, 200, EmptyIamReply(operation));
    }
  }

  // Runs `hook` each time `operation` is called, before it is answered.
  void OnCall(const std::string& operation, std::function<void()> hook) {
    hooks_[operation] = std::move(hook);
  }

  // The operations called, in order, without GetCallerIdentity.
  std::vector<std::string> operations() const { return operations_; }
  const std::vector<HttpRequest>& requests() const { return requests_; }
  // The requests of `operation`, in order.
  std::vector<HttpRequest> RequestsOf(const std::string& operation) const {
    std::vector<HttpRequest> found;
    for (size_t i = 0; i < requests_.size(); ++i) {
      if (names_[i] == operation) found.push_back(requests_[i]);
    }
    return found;
  }
  std::chrono::milliseconds slept() const { return slept_; }

 private:
  class Client : public HttpClient {
   public:
    explicit Client(FakeAws& aws) : aws_(aws) {}
    HttpResponse Send(const HttpRequest& request) override {
      return aws_.Answer(request);
    }

   private:
    FakeAws& aws_;
  };

  // The API name of `request`: the form's Action for IAM and STS, the
  // method and path for the Access Grants calls.
  static std::string OperationOf(const HttpRequest& request) {
    if (auto action = FormValue(request.body, "Action")) return *action;
    std::string path = UrlPath(request.url);
    if (path.ends_with("/grants")) return "ListAccessGrants";
    if (path.ends_with("/grant")) return "CreateAccessGrant";
    if (path.find("/grant/") != std::string::npos) {
      return request.method == "DELETE" ? "DeleteAccessGrant"
                                        : "GetAccessGrant";
    }
    if (path.find("/location/") != std::string::npos) {
      return "GetAccessGrantsLocation";
    }
    return request.method + " " + path;
  }

  HttpResponse Answer(const HttpRequest& request) {
    std::string operation = OperationOf(request);
    requests_.push_back(request);
    names_.push_back(operation);
    if (operation != "GetCallerIdentity") operations_.push_back(operation);
    if (auto hook = hooks_.find(operation); hook != hooks_.end()) {
      hook->second();
    }
    auto queue = queued_.find(operation);
    if (queue != queued_.end() && !queue->second.empty()) {
      HttpResponse response = std::move(queue->second.front());
      queue->second.pop_front();
      return response;
    }
    auto always = always_.find(operation);
    if (always != always_.end()) return always->second;
    ADD_FAILURE() << "unexpected call: " << operation << " " << request.url
                  << "\n"
                  << request.body;
    HttpResponse response;
    response.status = 400;
    response.body = ErrorReply("FakeAwsHasNoReply", operation);
    return response;
  }

  std::map<std::string, std::deque<HttpResponse>> queued_;
  std::map<std::string, HttpResponse> always_;
  std::map<std::string, std::function<void()>> hooks_;
  std::vector<HttpRequest> requests_;
  std::vector<std::string> names_;
  std::vector<std::string> operations_;
  std::chrono::milliseconds slept_{0};
  std::unique_ptr<Session> session_;
};

}  // namespace cytoskel

#endif  // CYTOSKEL_TESTS_UNIT_STACK_FAKE_AWS_H_
