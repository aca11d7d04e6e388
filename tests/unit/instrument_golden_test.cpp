// The built-in instruments against the documents they were transcribed from
// (../shared/seeds/): every question and answer text that is not marked `adapted` must
// appear there word for word, and answers must keep the source's order.

#include "instruments/loader.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path source_dir{GIDS_SOURCE_DIR};
const fs::path seeds_dir = source_dir / ".." / "shared" / "seeds";

// The format has no key for the source file, so the mapping lives here.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> seed_of{{
    {"gesprekstool-armoede-gezondheid", "gesprekstool-armoede-en-gezondheid.txt"},
    {"inclusief-opdrachtgeverschap", "inclusief-opdrachtgeverschap-whitepaper.txt"},
    {"inwoners-bereiken-betrekken", "inclusief-opdrachtgeverschap-whitepaper.txt"},
    {"negen-principes", "inclusief-opdrachtgeverschap-whitepaper.txt"},
    {"vijf-sporen", "lokale-aanpak-vijf-sporen.txt"},
}};

// Line breaks in the extracted seeds fall wherever the PDF put them; only words count.
std::string collapse_whitespace(std::string_view text) {
    std::string out;
    bool in_space = false;
    for (const char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space && !in_space && !out.empty()) {
            out += ' ';
        } else if (!space) {
            out += c;
        }
        in_space = space;
    }
    if (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

// The whitepaper's checklist is a table whose answer column ("Ja / Nee") the text extraction
// wrote into the middle of the questions: "5. Bevat uw werkwijze voor bereik en Ja / Nee
// begeleiding/...". Those cells are not part of the sentence, so they are left out.
std::string without_answer_column(std::string seed) {
    constexpr std::string_view cell = " Ja / Nee";
    for (auto at = seed.find(cell); at != std::string::npos; at = seed.find(cell, at)) {
        seed.erase(at, cell.size());
    }
    return seed;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The typing errors of a source that a file fixed, as its comments list them:
//   # bron: "buurtten" -> "buurten"
// Applying them to the seed lets every other word still be compared with the source.
std::string with_documented_fixes(std::string seed, const std::string& instrument_file) {
    std::istringstream lines(instrument_file);
    std::string line;
    while (std::getline(lines, line)) {
        const auto mark = line.find("# bron: \"");
        const auto arrow = line.find("\" -> \"");
        if (mark == std::string::npos || arrow == std::string::npos || arrow < mark)
            continue;
        const auto from_start = mark + 9;
        const std::string from = line.substr(from_start, arrow - from_start);
        const auto to_start = arrow + 6;
        const auto to_end = line.rfind('"');
        if (to_end == std::string::npos || to_end <= to_start)
            continue;
        const std::string to = line.substr(to_start, to_end - to_start);
        for (auto at = seed.find(from); at != std::string::npos;
             at = seed.find(from, at + to.size()))
            seed.replace(at, from.size(), to);
    }
    return seed;
}

class GoldenTest : public testing::TestWithParam<std::pair<std::string_view, std::string_view>> {
  protected:
    void SetUp() override {
        if (!fs::is_directory(seeds_dir)) {
            GTEST_SKIP() << "no seeds at " << seeds_dir;
        }
        const fs::path file =
            source_dir / "instruments" / (std::string(GetParam().first) + ".yaml");
        if (!fs::exists(file)) {
            GTEST_SKIP() << file << " is not there (yet)";
        }
        auto loaded = gids::load_instrument_file(file);
        ASSERT_TRUE(loaded) << loaded.error().message;
        m_instrument = std::move(*loaded);
        m_seed = with_documented_fixes(
            without_answer_column(collapse_whitespace(read_file(seeds_dir / GetParam().second))),
            read_file(file));
        ASSERT_FALSE(m_seed.empty()) << GetParam().second;
    }

    gids::Instrument m_instrument;
    std::string m_seed;
};

TEST_P(GoldenTest, EveryTextThatIsNotAdaptedIsInTheSeedWordForWord) {
    for (const gids::Item* item : m_instrument.all_items()) {
        const std::string label =
            item->id.empty() ? "(tekst zonder id) " + item->text.nl : item->id;
        if (!item->adapted) {
            EXPECT_NE(m_seed.find(collapse_whitespace(item->text.nl)), std::string::npos)
                << "item " << label << ": " << item->text.nl;
        }
        for (const gids::Option& option : item->options) {
            if (!option.adapted) {
                EXPECT_NE(m_seed.find(collapse_whitespace(option.text.nl)), std::string::npos)
                    << "item " << label << ", option " << option.id << ": " << option.text.nl;
            }
        }
    }
}

TEST_P(GoldenTest, OptionsFollowTheOrderOfTheSeed) {
    for (const gids::Item* item : m_instrument.all_items()) {
        if (item->options.empty()) {
            continue;
        }
        // Start at the question when it is verbatim, so that common answers such as
        // "Anders, namelijk" are matched to this question's list and not an earlier one.
        std::size_t position = 0;
        if (!item->adapted) {
            position = m_seed.find(collapse_whitespace(item->text.nl));
            position = position == std::string::npos ? 0 : position;
        }
        for (const gids::Option& option : item->options) {
            if (option.adapted) {
                continue;
            }
            const std::string text = collapse_whitespace(option.text.nl);
            if (m_seed.find(text) == std::string::npos) {
                continue; // not in the seed at all: the test above reports it
            }
            const std::size_t found = m_seed.find(text, position);
            if (found == std::string::npos) {
                ADD_FAILURE() << "item " << item->id << ": option " << option.id
                              << " does not follow the options before it in the seed";
                break;
            }
            position = found + text.size();
        }
    }
}

INSTANTIATE_TEST_SUITE_P(BuiltIns, GoldenTest, testing::ValuesIn(seed_of), [](const auto& param) {
    std::string name(param.param.first);
    std::ranges::replace(name, '-', '_');
    return name;
});

// The conversation tool's structure, spelled out: texts copied from the seed.
class ConversationToolTest : public testing::Test {
  protected:
    void SetUp() override {
        const fs::path file = source_dir / "instruments" / "gesprekstool-armoede-gezondheid.yaml";
        if (!fs::exists(file)) {
            GTEST_SKIP() << file << " is not there (yet)";
        }
        auto loaded = gids::load_instrument_file(file);
        ASSERT_TRUE(loaded) << loaded.error().message;
        m_instrument = std::move(*loaded);
        ASSERT_GE(m_instrument.steps.size(), 2U);
    }

    gids::Instrument m_instrument;
};

using Numbered = std::vector<std::pair<std::string, std::string>>;

// Items that carry a number, as (number, Dutch text); only those of type `only` if given.
Numbered numbered_items(const gids::Step& step, std::optional<gids::ItemType> only = {}) {
    Numbered items;
    for (const gids::Item& item : step.items) {
        if (!item.number.empty() && (!only || item.type == *only)) {
            items.emplace_back(item.number, item.text.nl);
        }
    }
    return items;
}

TEST_F(ConversationToolTest, StepOneHasTheSixStatementsAToF) {
    const Numbered expected{
        {"A.", "Onze gemeente heeft een duidelijke visie op de verbinding tussen armoede en "
               "gezondheid."},
        {"B.", "Onze gemeente heeft goed zicht op de lokale problematiek en kansen."},
        {"C.", "Onze gemeente legt in haar beleid duidelijke verbindingen tussen armoede en "
               "gezondheid met bijbehorende concrete doelen."},
        {"D.", "Onze gemeente heeft een scherpe focus in beleid en uitvoering (signaleren, "
               "bereiken en adequaat ondersteunen van inwoners)."},
        {"E.", "Onze gemeente pakt een duidelijke rol bij de brede lokale aanpak van armoede en "
               "gezondheidsproblemen."},
        {"F.", "Er is draagvlak in onze gemeente voor een gecombineerde aanpak."},
    };
    EXPECT_EQ(numbered_items(m_instrument.steps[0], gids::ItemType::scale), expected);
}

TEST_F(ConversationToolTest, StepTwoHasTheFourteenNumberedQuestions) {
    const Numbered expected{
        {"1.", "Wat zijn voor onze gemeente redenen om de aanpak van armoede, schulden en "
               "gezondheid te (gaan) verbinden?"},
        {"2.", "Hebben wij in onze gemeente inzicht in de samenhang tussen armoede en "
               "gezondheidsproblemen bij onze inwoners?"},
        {"3.", "Hoe krijgen wij in onze gemeente informatie over de mate van samenhang van "
               "armoede en gezondheidsproblemen bij onze inwoners?"},
        {"4.", "Op welke wijze geven wij in onze gemeente invulling aan de verbinding tussen het "
               "armoede- en het gezondheidsbeleid?"},
        {"5.", "Heeft onze gemeente concrete (of specifieke) doelen geformuleerd over de "
               "verbinding tussen armoede en gezondheid?"},
        // 6 and 10 with the typing fixes the file documents ("betreft onze gemeenten",
        // "gemeentelijk aanbestedingsprocedures" in the source).
        {"6.", "Op welke manier betrekt onze gemeente inwoners bij de beleidsvorming rond "
               "armoede en gezondheid?"},
        {"7.", "Waar zetten wij in onze gemeente bij de uitvoering op in?"},
        {"8.", "Welke rol hebben wij als gemeente in lokale aanpakken/initiatieven op het gebied "
               "van armoede en gezondheid?"},
        {"9.", "Op welke wijze werken wij in onze gemeente samen met aanbieders/partners in de "
               "wijk aan de verbinding tussen gezondheid en armoede?"},
        {"10.", "Is de verbinding tussen gezondheid en armoede onderdeel van de gemeentelijke "
                "aanbestedingsprocedures en/of opdrachtverstrekkingen?"},
        {"11.", "Worden de resultaten van aanpakken en initiatieven rond armoede en gezondheid "
                "gemonitord of geëvalueerd?"},
        {"12.", "Heeft het college van B en W een gezamenlijke aanpak van armoede en "
                "gezondheidsproblemen opgenomen in het collegeprogramma of coalitieakkoord?"},
        {"13.", "Zijn er op bestuurlijk niveau kansen voor een gecombineerde aanpak van "
                "(publieke gezondheid en armoede)?"},
        {"14.", "Wij voldoen aan de volgende randvoorwaarden voor gecombineerde aanpakken:"},
    };
    EXPECT_EQ(numbered_items(m_instrument.steps[1]), expected);
}

} // namespace
