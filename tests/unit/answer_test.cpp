// Answers as the web forms and the JSON API hand them over: checked against their item,
// refused with a Dutch message per field, and stored as text that round-trips exactly.

#include "domain/answer.hpp"

#include <gtest/gtest.h>
#include <random>
#include <string>

namespace {

using gids::Answer;
using gids::ItemType;
using gids::RawAnswer;

gids::Item make_item(ItemType type) {
    gids::Item item;
    item.id = "vraag";
    item.type = type;
    item.text = {"Een vraag?", {}};
    return item;
}

gids::Item scale_item(bool dont_know = true) {
    gids::Item item = make_item(ItemType::scale);
    item.scale = {
        "eens", 1, 5, {{"a", {}}, {"b", {}}, {"c", {}}, {"d", {}}, {"e", {}}}, std::nullopt};
    if (dont_know) {
        item.scale.dont_know = gids::Text{"weet niet", {}};
    }
    return item;
}

gids::Item choice_item(ItemType type) {
    gids::Item item = make_item(type);
    item.options = {
        {"veel", {"Veel inwoners.", {}}, false, false, std::nullopt, false},
        {"geen-reden",
         {"Wij zien geen reden.", {}},
         false,
         type == ItemType::multi,
         std::nullopt,
         false},
        {"anders", {"Anders, namelijk.....", {}}, true, false, std::nullopt, false},
        {"nee", {"Nee, want", {}}, true, false, std::nullopt, false},
    };
    return item;
}

gids::Item actions_item() {
    gids::Item item = make_item(ItemType::actions);
    item.columns = {gids::ActionColumn::theme, gids::ActionColumn::action, gids::ActionColumn::who,
                    gids::ActionColumn::due};
    return item;
}

// The message of a refused answer, or a note that it was accepted.
std::string refusal(const gids::Item& item, const RawAnswer& raw) {
    const auto answer = gids::parse_answer(item, raw);
    return answer ? "(geaccepteerd)" : answer.error().message;
}

std::string field_message(const gids::Item& item, const RawAnswer& raw, const std::string& field) {
    const auto answer = gids::parse_answer(item, raw);
    if (answer) {
        return "(geaccepteerd)";
    }
    const auto found = answer.error().fields.find(field);
    return found == answer.error().fields.end() ? "(geen melding bij " + field + ")"
                                                : found->second;
}

TEST(AnswerTest, ScaleTakesAWholeNumberInTheScale) {
    const auto answer = gids::parse_answer(scale_item(), {{"value", " 4 "}});
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->value, Answer{gids::ScaleAnswer{4}}.value);
}

TEST(AnswerTest, ScaleTakesDontKnowOnlyWhenTheScaleOffersIt) {
    const auto answer = gids::parse_answer(scale_item(), {{"value", "dont_know"}});
    ASSERT_TRUE(answer);
    EXPECT_FALSE(std::get<gids::ScaleAnswer>(answer->value).value);
    EXPECT_EQ(refusal(scale_item(false), {{"value", "dont_know"}}), "Kies een getal van 1 tot 5.");
}

TEST(AnswerTest, ScaleRefusesNumbersOutsideTheScale) {
    for (const std::string value : {"0", "6", "3.5", "drie", "-1", "+3"}) {
        EXPECT_EQ(field_message(scale_item(), {{"value", value}}, "value"),
                  "Kies een getal van 1 tot 5 of ‘weet niet’.")
            << value;
    }
}

TEST(AnswerTest, SingleTakesOneKnownOption) {
    const auto answer = gids::parse_answer(choice_item(ItemType::single), {{"option", "veel"}});
    ASSERT_TRUE(answer);
    EXPECT_EQ(std::get<gids::SingleAnswer>(answer->value).option, "veel");
    EXPECT_EQ(field_message(choice_item(ItemType::single), {{"option", "onbekend"}}, "option"),
              "Kies een van de antwoorden uit de lijst.");
    EXPECT_EQ(refusal(choice_item(ItemType::single), {{"option", "veel"}, {"option", "anders"}}),
              "Kies één antwoord.");
}

TEST(AnswerTest, OtherOptionNeedsItsText) {
    const gids::Item item = choice_item(ItemType::single);
    EXPECT_EQ(field_message(item, {{"option", "nee"}, {"other.nee", "  "}}, "other.nee"),
              "Vul in waarom u ‘Nee, want’ kiest.");
    EXPECT_EQ(field_message(item, {{"option", "anders"}}, "other.anders"),
              "Vul in wat u bedoelt met ‘Anders, namelijk’.");
    const auto answer = gids::parse_answer(item, {{"option", "nee"}, {"other.nee", " te duur "}});
    ASSERT_TRUE(answer);
    EXPECT_EQ(std::get<gids::SingleAnswer>(answer->value).other, "te duur");
}

TEST(AnswerTest, TextNextToAnOptionThatIsNotChosenIsRefusedButAnEmptyOneIsIgnored) {
    const gids::Item item = choice_item(ItemType::single);
    EXPECT_EQ(refusal(item, {{"option", "veel"}, {"other.anders", "iets"}}),
              "Kies ‘Anders, namelijk.....’ als u hier iets invult.");
    const auto answer = gids::parse_answer(item, {{"option", "veel"}, {"other.anders", ""}});
    ASSERT_TRUE(answer);
    EXPECT_EQ(std::get<gids::SingleAnswer>(answer->value).other, "");
}

TEST(AnswerTest, MultiTakesSeveralOptionsWithTheirTexts) {
    const auto answer = gids::parse_answer(
        choice_item(ItemType::multi),
        {{"option", "veel"}, {"option", "anders"}, {"option", "veel"}, {"other.anders", "buurt"}});
    ASSERT_TRUE(answer);
    const auto& multi = std::get<gids::MultiAnswer>(answer->value);
    EXPECT_EQ(multi.options, (std::set<std::string>{"anders", "veel"}));
    EXPECT_EQ(multi.other, (std::map<std::string, std::string>{{"anders", "buurt"}}));
}

TEST(AnswerTest, ExclusiveOptionCannotBeCombined) {
    const gids::Item item = choice_item(ItemType::multi);
    EXPECT_EQ(field_message(item, {{"option", "veel"}, {"option", "geen-reden"}}, "option"),
              "‘Wij zien geen reden.’ kunt u niet combineren met andere antwoorden.");
    EXPECT_TRUE(gids::parse_answer(item, {{"option", "geen-reden"}}));
}

TEST(AnswerTest, YesNoTakesYesOrNo) {
    const gids::Item item = make_item(ItemType::yesno);
    EXPECT_TRUE(
        std::get<gids::YesNoAnswer>(gids::parse_answer(item, {{"value", "yes"}})->value).yes);
    EXPECT_FALSE(
        std::get<gids::YesNoAnswer>(gids::parse_answer(item, {{"value", "no"}})->value).yes);
    EXPECT_EQ(refusal(item, {{"value", "misschien"}}), "Kies ‘Ja’ of ‘Nee’.");
}

TEST(AnswerTest, CountTakesAWholeNumberOfZeroOrMore) {
    gids::Item item = make_item(ItemType::count);
    EXPECT_EQ(std::get<gids::CountAnswer>(gids::parse_answer(item, {{"value", "0"}})->value).value,
              0);
    EXPECT_EQ(std::get<gids::CountAnswer>(gids::parse_answer(item, {{"value", "12"}})->value).value,
              12);
    for (const std::string value : {"-1", "1.5", "twaalf", "1e3", "+2"}) {
        EXPECT_EQ(refusal(item, {{"value", value}}), "Vul een heel getal in, 0 of meer.") << value;
    }
    EXPECT_EQ(refusal(item, {{"value", "99999999999999999999999"}}), "Dit getal is te groot.");
    item.max = 10;
    EXPECT_EQ(refusal(item, {{"value", "11"}}), "Vul een heel getal in van 0 tot en met 10.");
}

TEST(AnswerTest, TextIsTidiedAndLimitedInCharactersNotBytes) {
    gids::Item item = make_item(ItemType::text);
    item.max_length = 5;
    const auto answer = gids::parse_answer(item, {{"value", "\r\n é\r\nè\rê \n"}});
    ASSERT_TRUE(answer);
    EXPECT_EQ(std::get<gids::TextAnswer>(answer->value).text, "é\nè\nê");
    EXPECT_TRUE(gids::parse_answer(item, {{"value", "ééééé"}}));
    EXPECT_EQ(field_message(item, {{"value", "éééééé"}}, "value"),
              "Gebruik hoogstens 5 tekens; u gebruikte er 6.");
}

TEST(AnswerTest, RefusesInvalidUtf8AndControlCharacters) {
    const gids::Item item = make_item(ItemType::text);
    for (const std::string bad :
         {"ab\xFF", "\xC3", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80"}) {
        EXPECT_EQ(refusal(item, {{"value", bad}}),
                  "Deze tekst bevat tekens die wij niet kunnen lezen; typ of plak hem opnieuw.");
    }
    EXPECT_EQ(refusal(item, {{"value", std::string("a\0b", 3)}}),
              "Deze tekst bevat onzichtbare stuurtekens; haal die weg.");
    EXPECT_EQ(refusal(choice_item(ItemType::single), {{"option", "nee"}, {"other.nee", "\xFE"}}),
              "Deze tekst bevat tekens die wij niet kunnen lezen; typ of plak hem opnieuw.");
    EXPECT_TRUE(gids::parse_answer(item, {{"value", "tab\there 🙂 ‘quotes’"}}));
}

TEST(AnswerTest, ActionsKeepFilledRowsInOrderAndDropEmptyOnes) {
    const auto answer = gids::parse_answer(actions_item(), {{"rows[10].action", "Evalueren"},
                                                            {"rows[2].action", "Plan maken"},
                                                            {"rows[2].who", "Fatima"},
                                                            {"rows[2].due", "2024-02-29"},
                                                            {"rows[3].action", " "},
                                                            {"rows[3].who", ""}});
    ASSERT_TRUE(answer) << answer.error().message;
    const auto& rows = std::get<gids::ActionsAnswer>(answer->value).rows;
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0], (gids::ActionRow{"", "Plan maken", "Fatima", "", "2024-02-29"}));
    EXPECT_EQ(rows[1].action, "Evalueren");
}

TEST(AnswerTest, ActionsRefuseABadDateAMissingActionAndUnknownColumns) {
    const gids::Item item = actions_item();
    for (const std::string due : {"2023-02-29", "2024-13-01", "31-12-2024", "2024-1-1", "morgen"}) {
        EXPECT_EQ(
            field_message(item, {{"rows[0].action", "x"}, {"rows[0].due", due}}, "rows[0].due"),
            "Vul een bestaande datum in als jjjj-mm-dd, bijvoorbeeld 2025-03-31.")
            << due;
    }
    EXPECT_EQ(field_message(item, {{"rows[1].who", "Fatima"}}, "rows[1].action"),
              "Vul in welke actie u afspreekt.");
    EXPECT_EQ(refusal(item, {{"rows[0].department", "Zorg"}}),
              "Het veld ‘rows[0].department’ hoort niet bij deze vraag.");
    EXPECT_EQ(refusal(item, {{"rows[100].action", "x"}}),
              "Er passen hoogstens 100 acties in deze lijst.");
    EXPECT_EQ(refusal(item, {{"rows[x].action", "x"}}),
              "Het veld ‘rows[x].action’ hoort niet bij deze vraag.");
}

TEST(AnswerTest, RequiredItemNeedsAnAnswerAndAnOptionalOneMayStayEmpty) {
    gids::Item item = choice_item(ItemType::multi);
    const auto empty = gids::parse_answer(item, {{"other.anders", " "}});
    ASSERT_TRUE(empty);
    EXPECT_FALSE(empty->answered());
    item.required = true;
    EXPECT_EQ(field_message(item, {}, "option"), "Geef een antwoord op deze vraag.");
    gids::Item scale = scale_item();
    scale.required = true;
    EXPECT_EQ(field_message(scale, {{"value", ""}}, "value"), "Geef een antwoord op deze vraag.");
}

TEST(AnswerTest, RefusesUnknownAndRepeatedFields) {
    EXPECT_EQ(refusal(scale_item(), {{"waarde", "3"}}),
              "Het veld ‘waarde’ hoort niet bij deze vraag.");
    EXPECT_EQ(refusal(scale_item(), {{"value", "3"}, {"value", "4"}}), "Vul dit veld één keer in.");
    EXPECT_EQ(refusal(choice_item(ItemType::single), {{"other.veel", "x"}}),
              "Het veld ‘other.veel’ hoort niet bij deze vraag.");
    EXPECT_EQ(refusal(make_item(ItemType::guidance), {{"value", "x"}}),
              "Het veld ‘value’ hoort niet bij deze vraag.");
}

TEST(AnswerTest, ReportsEveryProblemPerFieldAndTheFirstAsMessage) {
    const auto answer = gids::parse_answer(actions_item(), {{"rows[0].due", "gisteren"},
                                                            {"rows[0].who", "x"},
                                                            {"rows[1].due", "ooit"},
                                                            {"rows[1].action", "y"}});
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().kind, gids::ErrorKind::invalid);
    EXPECT_EQ(answer.error().message, "Vul in welke actie u afspreekt.");
    EXPECT_EQ(answer.error().fields.size(), 3U);
    EXPECT_TRUE(answer.error().fields.contains("rows[1].due"));
}

// --- storage ------------------------------------------------------------------------------

void expect_round_trip(const gids::Item& item, const Answer& answer) {
    const std::string stored = gids::serialize_answer(answer);
    const auto back = gids::deserialize_answer(item, stored);
    ASSERT_TRUE(back) << stored << ": " << back.error().message;
    EXPECT_EQ(*back, answer) << stored;
    EXPECT_EQ(gids::serialize_answer(*back), stored);
}

TEST(AnswerStorageTest, UsesACompactReadableForm) {
    EXPECT_EQ(gids::serialize_answer({gids::ScaleAnswer{3}}), "scale?value=3");
    EXPECT_EQ(gids::serialize_answer({gids::ScaleAnswer{}}), "scale?value=dont_know");
    EXPECT_EQ(gids::serialize_answer({gids::SingleAnswer{"nee", "50% & meer = \"veel\""}}),
              "single?option=nee&other.nee=50%25 %26 meer %3D \"veel\"");
    EXPECT_EQ(gids::serialize_answer({gids::TextAnswer{"één\nregel"}}), "text?value=één%0Aregel");
    EXPECT_EQ(gids::serialize_answer(Answer{}), "");
}

TEST(AnswerStorageTest, EveryKindOfAnswerRoundTripsExactly) {
    expect_round_trip(scale_item(), {gids::ScaleAnswer{5}});
    expect_round_trip(scale_item(), {gids::ScaleAnswer{}});
    expect_round_trip(choice_item(ItemType::single), {gids::SingleAnswer{"veel", ""}});
    expect_round_trip(choice_item(ItemType::single),
                      {gids::SingleAnswer{"nee", "\"te\" duur\n€ 5"}});
    expect_round_trip(choice_item(ItemType::multi),
                      {gids::MultiAnswer{{"anders", "veel"}, {{"anders", "a=b&c%d"}}}});
    expect_round_trip(choice_item(ItemType::multi), {gids::MultiAnswer{}});
    expect_round_trip(make_item(ItemType::yesno), {gids::YesNoAnswer{true}});
    expect_round_trip(make_item(ItemType::yesno), {gids::YesNoAnswer{false}});
    expect_round_trip(make_item(ItemType::count), {gids::CountAnswer{0}});
    expect_round_trip(make_item(ItemType::count), {gids::CountAnswer{123456789012}});
    expect_round_trip(make_item(ItemType::text), {gids::TextAnswer{""}});
    expect_round_trip(make_item(ItemType::text),
                      {gids::TextAnswer{"  regel 1\r\n\tregel 2 ‘x’ 🙂\n"}});
    expect_round_trip(actions_item(),
                      {gids::ActionsAnswer{
                          {{"A", "Plan", "Wij & zij", "", "2025-03-31"}, {"", "", "", "", ""}}}});
    expect_round_trip(make_item(ItemType::guidance), Answer{});
}

TEST(AnswerStorageTest, RandomTextsRoundTripThroughParseAndStorage) {
    std::mt19937 random(7); // fixed, so a failure can be repeated
    const std::vector<std::string> pieces{"a",    "Z",   " ",  "\n", "\t", "%", "&",
                                          "=",    "?",   "\"", "'",  "\\", "é", "€",
                                          "🙂", "%25", "+",  "[",  "]",  ".", "0"};
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    gids::Item item = make_item(ItemType::text);
    for (int round = 0; round < 500; ++round) {
        std::string text;
        for (int i = 0; i < round % 40; ++i) {
            text += pieces[pick(random)];
        }
        const auto parsed = gids::parse_answer(item, {{"value", text}});
        ASSERT_TRUE(parsed) << text;
        expect_round_trip(item, *parsed);
        expect_round_trip(item, {gids::TextAnswer{text}});
    }
}

TEST(AnswerStorageTest, RefusesStoredTextThatDoesNotFitTheItem) {
    const auto other_type = gids::deserialize_answer(scale_item(), "text?value=3");
    ASSERT_FALSE(other_type);
    EXPECT_EQ(other_type.error().kind, gids::ErrorKind::internal);
    EXPECT_EQ(other_type.error().message,
              "Het opgeslagen antwoord op vraag ‘vraag’ kan niet worden gelezen.");
    for (const std::string stored : {"scale", "scale?value=9", "scale?value=%3", "scale?value=%zz",
                                     "scale?value", "single?option=weg", "text?value=\xFF"}) {
        EXPECT_FALSE(
            gids::deserialize_answer(stored.starts_with("single") ? choice_item(ItemType::single)
                                     : stored.starts_with("text") ? make_item(ItemType::text)
                                                                  : scale_item(),
                                     stored))
            << stored;
    }
}

} // namespace
