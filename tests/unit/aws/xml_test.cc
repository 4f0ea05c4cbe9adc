#include "aws/xml.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aws/error.h"

namespace cytoskel {
namespace {

TEST(XmlTest, ParsesBothErrorShapes) {
  struct Case {
    const char* name;
    const char* body;
    const char* code;
    const char* message;
    const char* request_id;
  };
  const std::vector<Case> cases = {
      {"query protocol (IAM)",
       "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
       "<Error><Type>Sender</Type><Code>NoSuchEntity</Code>"
       "<Message>The user with name x cannot be found.</Message></Error>"
       "<RequestId>req-1</RequestId></ErrorResponse>",
       "NoSuchEntity", "The user with name x cannot be found.", "req-1"},
      {"rest-xml (S3 Control)",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error>"
       "<Code>AccessGrantsLocationNotEmptyError</Code>"
       "<Message>not empty</Message><RequestId>req-2</RequestId>"
       "<HostId>h</HostId></Error>",
       "AccessGrantsLocationNotEmptyError", "not empty", "req-2"},
      {"nested Errors list (STS as moto sends it)",
       "<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code>"
       "<Message>no match</Message><Type>Sender</Type></Error></Errors>"
       "</ErrorResponse>",
       "SignatureDoesNotMatch", "no match", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto parsed = ParseErrorBody(c.body);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->code, c.code);
    EXPECT_EQ(parsed->message, c.message);
    EXPECT_EQ(parsed->request_id, c.request_id);
  }
}

TEST(XmlTest, RejectsBodiesThatAreNotAwsErrors) {
  const std::vector<std::string> bodies = {
      "",
      "<html><body>502 Bad Gateway</body></html>",
      "<Error><Code>Cut",
      "<Error><Message>no code</Message></Error>",
      std::string("\0\1\2", 3),
  };
  for (const auto& body : bodies) {
    SCOPED_TRACE(body);
    EXPECT_FALSE(ParseErrorBody(body).has_value());
  }
}

TEST(XmlTest, MalformedReplyNamesTheOperation) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "GetUser: the reply is not valid XML (empty body)"},
      {"<GetUserResponse><GetUserResult>",
       "GetUser: the reply is not valid XML (Start-end tags mismatch)"},
  };
  for (const auto& [body, expected] : cases) {
    SCOPED_TRACE(body);
    try {
      ParseXmlReply(body, "GetUser");
      FAIL() << "accepted a malformed reply";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kTransport);
      EXPECT_EQ(std::string(error.what()), expected);
    }
  }
}

TEST(XmlTest, RequiredFieldsAndTimestamps) {
  pugi::xml_document document = ParseXmlReply(
      "<R><Arn>arn:aws:iam::1:user/a</Arn><Empty/>"
      "<When>2026-12-03T16:00:00Z</When><Bad>yesterday</Bad></R>",
      "Op");
  pugi::xml_node root = document.document_element();
  EXPECT_EQ(RequiredText(root, "Arn", "Op"), "arn:aws:iam::1:user/a");
  EXPECT_THROW(RequiredText(root, "Empty", "Op"), Error);
  EXPECT_THROW(RequiredText(root, "Missing", "Op"), Error);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(
                RequiredTimestamp(root, "When", "Op")),
            1796313600);
  EXPECT_THROW(RequiredTimestamp(root, "Bad", "Op"), Error);
}

}  // namespace
}  // namespace cytoskel
