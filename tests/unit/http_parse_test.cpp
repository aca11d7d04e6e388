#include "domain/instrument.hpp"
#include "web/http.hpp"

#include <gtest/gtest.h>

using namespace gids::web;

TEST(FormParsingTest, DecodesPercentAndPlus) {
    Fields f;
    ASSERT_TRUE(parse_urlencoded("naam=Gemeente+S%C3%BAdwest-Frysl%C3%A2n&x=1&x=2&leeg=", f));
    EXPECT_EQ(f.get("naam"), "Gemeente Súdwest-Fryslân");
    EXPECT_EQ(f.all("x"), (std::vector<std::string>{"1", "2"}));
    EXPECT_TRUE(f.has("leeg"));
    EXPECT_EQ(f.get("ontbreekt"), "");
}

TEST(FormParsingTest, RefusesBrokenPercentEncoding) {
    for (const char* bad : {"a=%", "a=%G1", "a=%2"}) {
        Fields f;
        EXPECT_FALSE(parse_urlencoded(bad, f)) << bad;
    }
}

TEST(MultipartParsingTest, ReadsFieldsAndFiles) {
    const std::string body = "--XyZ\r\n"
                             "Content-Disposition: form-data; name=\"name\"\r\n\r\n"
                             "Gemeente Alpha\r\n"
                             "--XyZ\r\n"
                             "Content-Disposition: form-data; name=\"logo\"; filename=\"a.png\"\r\n"
                             "Content-Type: image/png\r\n\r\n"
                             "\x89PNG\r\n--XyZ--\r\n";
    Fields f;
    std::map<std::string, UploadedFile> files;
    ASSERT_TRUE(parse_multipart(body, "multipart/form-data; boundary=XyZ", f, files));
    EXPECT_EQ(f.get("name"), "Gemeente Alpha");
    ASSERT_TRUE(files.contains("logo"));
    EXPECT_EQ(files["logo"].filename, "a.png");
    EXPECT_EQ(files["logo"].data, "\x89PNG");
}

TEST(MultipartParsingTest, RefusesMalformedBodies) {
    const char* bodies[] = {
        "", "--XyZ", "--XyZ\r\nno header end",
        "--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed"};
    for (const char* body : bodies) {
        Fields f;
        std::map<std::string, UploadedFile> files;
        EXPECT_FALSE(parse_multipart(body, "multipart/form-data; boundary=XyZ", f, files)) << body;
    }
    Fields f;
    std::map<std::string, UploadedFile> files;
    EXPECT_FALSE(parse_multipart("--a--", "multipart/form-data", f, files)) << "no boundary";
}

TEST(HttpUtf8Test, AcceptsValidAndRefusesInvalidSequences) {
    EXPECT_TRUE(gids::is_valid_utf8("Súdwest-Fryslân 😀"));
    for (const char* bad : {"\xC3\x28", "\xA0\xA1", "\xE2\x28\xA1", "\xF0\x28\x8C\xBC", "\xC0\xAF",
                            "\xED\xA0\x80", "\xF4\x90\x80\x80"})
        EXPECT_FALSE(gids::is_valid_utf8(bad)) << "bytes of length " << std::string(bad).size();
}

TEST(CookieTest, ReadsOneCookieAmongMany) {
    Request r;
    r.headers["cookie"] = "a=1; gids_session=abc; b=2";
    EXPECT_EQ(r.cookie("gids_session"), "abc");
    EXPECT_EQ(r.cookie("c"), "");
}
