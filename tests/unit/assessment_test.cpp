#include "domain/assessment.hpp"

#include <gtest/gtest.h>

using namespace gids;

TEST(NewRoundTest, TrimsLabelsAndDropsEmptyLines) {
    auto r = validate_new_assessment({"gesprekstool",
                                      "  Armoede en gezondheid 2027 ",
                                      RoundMode::meeting,
                                      "",
                                      {" Armoede", "", "  ", "GGD "}},
                                     "2026-11-23");
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->title, "Armoede en gezondheid 2027");
    EXPECT_EQ(r->labels, (std::vector<std::string>{"Armoede", "GGD"}));
}

TEST(NewRoundTest, RefusesBadInputWithDutchMessagesPerField) {
    struct Case {
        const char* name;
        NewAssessment input;
        const char* field;
    };
    const std::vector<std::string> many(201, "Deelnemer");
    const Case cases[] = {
        {"empty title", {"x", "  ", RoundMode::separate, "", {"A"}}, "title"},
        {"long title", {"x", std::string(151, 'a'), RoundMode::separate, "", {"A"}}, "title"},
        {"no labels", {"x", "Ronde", RoundMode::separate, "", {"", " "}}, "labels"},
        {"201 labels", {"x", "Ronde", RoundMode::separate, "", many}, "labels"},
        {"long label", {"x", "Ronde", RoundMode::separate, "", {std::string(81, 'l')}}, "labels"},
        {"date format", {"x", "Ronde", RoundMode::separate, "31-12-2027", {"A"}}, "closes_on"},
        {"no such date", {"x", "Ronde", RoundMode::separate, "2027-02-30", {"A"}}, "closes_on"},
        {"past date", {"x", "Ronde", RoundMode::separate, "2026-11-22", {"A"}}, "closes_on"},
    };
    for (const auto& c : cases) {
        auto r = validate_new_assessment(c.input, "2026-11-23");
        ASSERT_FALSE(r.has_value()) << c.name;
        EXPECT_TRUE(r.error().fields.contains(c.field)) << c.name;
        EXPECT_FALSE(r.error().fields.at(c.field).empty()) << c.name;
    }
}

TEST(NewRoundTest, AcceptsTwoHundredParticipantsAndTodayAsClosingDate) {
    const std::vector<std::string> labels(200, "Deelnemer");
    EXPECT_TRUE(validate_new_assessment({"x", "Ronde", RoundMode::separate, "2026-11-23", labels},
                                        "2026-11-23")
                    .has_value());
}

TEST(RoundTest, TakesAnswersUntilItsClosingDayEnds) {
    Assessment round;
    round.closes_on = "2026-11-30";
    EXPECT_TRUE(accepts_answers(round, "2026-11-30"));
    EXPECT_FALSE(accepts_answers(round, "2026-12-01"));
    round.open = false;
    EXPECT_FALSE(accepts_answers(round, "2026-11-01"));
    round.open = true;
    round.closes_on.clear();
    EXPECT_TRUE(accepts_answers(round, "2099-01-01"));
}

TEST(DateTest, KnowsTheCalendar) {
    for (const char* good : {"2027-03-31", "2028-02-29", "2000-02-29"})
        EXPECT_TRUE(is_valid_date(good)) << good;
    for (const char* bad : {"2027-02-29", "1900-02-29", "2027-13-01", "2027-00-10", "2027-04-31",
                            "27-03-31", "2027/03/31", "2027-3-31", "", "2027-03-31x"})
        EXPECT_FALSE(is_valid_date(bad)) << bad;
}

TEST(ActionTest, RequiresADescriptionAndAValidDate) {
    auto empty = validate_action({"A", "  ", "", "", "", ActionStatus::open});
    ASSERT_FALSE(empty.has_value());
    EXPECT_TRUE(empty.error().fields.contains("description"));
    auto date = validate_action({"A", "Iets doen", "", "", "morgen", ActionStatus::open});
    ASSERT_FALSE(date.has_value());
    EXPECT_TRUE(date.error().fields.contains("due"));
    auto ok =
        validate_action({" A ", " Iets doen ", " GGD ", "", "2027-01-31", ActionStatus::bezig});
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(ok->description, "Iets doen");
    EXPECT_EQ(ok->owner, "GGD");
}

TEST(ActionTest, HistoryNamesEveryChangedFieldInDutch) {
    Action before;
    before.description = "Visie opstellen";
    before.status = ActionStatus::open;
    before.due = "2027-01-31";
    const ActionInput after{"", "Visie opstellen", "Petra", "", "2027-02-28", ActionStatus::bezig};
    const auto lines = describe_action_changes(before, after);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "Status: ‘open’ → ‘bezig’");
    EXPECT_EQ(lines[1], "Wie: ‘-’ → ‘Petra’");
    EXPECT_EQ(lines[2], "Klaar op: ‘2027-01-31’ → ‘2027-02-28’");
    EXPECT_TRUE(describe_action_changes(
                    before, {"", "Visie opstellen", "", "", "2027-01-31", ActionStatus::open})
                    .empty());
}

TEST(ActionTest, IsOverdueOnlyWhileStillToDo) {
    Action a;
    a.due = "2026-11-01";
    EXPECT_TRUE(is_overdue(a, "2026-11-23"));
    EXPECT_FALSE(is_overdue(a, "2026-11-01"));
    a.status = ActionStatus::gedaan;
    EXPECT_FALSE(is_overdue(a, "2026-11-23"));
    a.status = ActionStatus::bezig;
    a.due.clear();
    EXPECT_FALSE(is_overdue(a, "2026-11-23"));
}

TEST(ActionTest, StatusNamesRoundTrip) {
    for (auto s :
         {ActionStatus::open, ActionStatus::bezig, ActionStatus::gedaan, ActionStatus::vervallen})
        EXPECT_EQ(parse_action_status(action_status_name(s)), s);
    EXPECT_FALSE(parse_action_status("klaar").has_value());
}
