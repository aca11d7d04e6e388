// The Dutch forms of the command's usage errors.
#include "cli/usage.hpp"

#include <gtest/gtest.h>

using gids::cli::dutch_usage_error;

TEST(UsageErrors, AreSaidInDutch) {
    EXPECT_EQ(dutch_usage_error("--workers: Value 0 not in range 1 to 256"),
              "--workers: de waarde 0 moet tussen 1 en 256 liggen");
    EXPECT_EQ(dutch_usage_error("--role: koning not in {admin,coordinator}"),
              "--role: koning kan niet; kies uit admin,coordinator");
    EXPECT_EQ(dutch_usage_error("--db: 1 required TEXT missing"),
              "--db: hier hoort een waarde bij");
    EXPECT_EQ(dutch_usage_error("--to is required"), "--to ontbreekt");
    EXPECT_EQ(dutch_usage_error("A subcommand is required"),
              "geef een opdracht, bijvoorbeeld serve, migrate of demo");
    EXPECT_EQ(dutch_usage_error("The following argument was not expected: --nope"),
              "dit kent gids niet: --nope");
    EXPECT_EQ(dutch_usage_error("The following arguments were not expected: a b"),
              "dit kent gids niet: a b");
}

TEST(UsageErrors, UnknownOnesKeepTheirWordsAfterADutchOpening) {
    EXPECT_EQ(dutch_usage_error("Something new"), "ongeldige opdracht: Something new");
}
