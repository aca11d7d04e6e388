#include "storage/crypto.hpp"

#include <gtest/gtest.h>
#include <set>

using namespace gids;

class CryptoTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { ASSERT_TRUE(crypto::init()); }
};

TEST_F(CryptoTest, HashesPasswordsWithArgon2id) {
    const auto hash = crypto::hash_password("een lange zin als wachtwoord");
    EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
    EXPECT_TRUE(crypto::verify_password(hash, "een lange zin als wachtwoord"));
    EXPECT_FALSE(crypto::verify_password(hash, "een lange zin als wachtwoorD"));
}

TEST_F(CryptoTest, SaltsEveryHash) {
    EXPECT_NE(crypto::hash_password("hetzelfde wachtwoord"),
              crypto::hash_password("hetzelfde wachtwoord"));
}

TEST_F(CryptoTest, RefusesMalformedHashes) {
    EXPECT_FALSE(crypto::verify_password("", "x"));
    EXPECT_FALSE(crypto::verify_password("$argon2id$kapot", "x"));
    EXPECT_FALSE(crypto::verify_password(std::string(500, 'a'), "x"));
}

TEST_F(CryptoTest, TokensCarryAtLeast128BitsAndDoNotRepeat) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto token = crypto::random_token(16);
        EXPECT_EQ(token.size(), 22u) << token; // 16 bytes, base64url without padding
        EXPECT_EQ(token.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                  std::string::npos)
            << token;
        EXPECT_TRUE(seen.insert(token).second) << "repeated token " << token;
    }
}

TEST_F(CryptoTest, StoresSecretsAsSha256Hex) {
    EXPECT_EQ(crypto::hash_secret("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(CryptoTest, ComparesSecretsOnlyWhenEqual) {
    EXPECT_TRUE(crypto::equal_secrets("abcdef", "abcdef"));
    EXPECT_FALSE(crypto::equal_secrets("abcdef", "abcdeg"));
    EXPECT_FALSE(crypto::equal_secrets("abc", "abcd"));
}

TEST_F(CryptoTest, RoundTripsBase64) {
    const std::string bytes("\x89PNG\r\n\x1a\n\0\xff", 10);
    EXPECT_EQ(crypto::from_base64(crypto::to_base64(bytes)), bytes);
    EXPECT_FALSE(crypto::from_base64("niet geldig!").has_value());
}
