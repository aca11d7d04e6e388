// The instrument loader: what a valid file becomes, and how every kind of broken file is
// refused. Broken files live as data in tests/instruments/broken/<case>.yaml, each with
// the exact message in <case>.expected.

#include "instruments/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path source_dir{GIDS_SOURCE_DIR};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<fs::path> files_in(const fs::path& dir, std::string_view extension) {
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        if (entry.is_regular_file() &&
            (extension.empty() || entry.path().extension() == extension)) {
            files.push_back(entry.path());
        }
    }
    std::ranges::sort(files);
    return files;
}

constexpr std::string_view valid_yaml = R"(id: proef
version: 3
title: {nl: "Gesprekstool", en: "Conversation tool"}
subtitle: "Voor gemeenten"
source:
  document: "Succesvol combineren van armoede- en gezondheidsbeleid"
  publisher: "Verwey-Jonker Instituut"
  year: 2018
  section: "Deel 1"
introduction:
  - heading: "Waarvoor?"
    text: "Voor het aanscherpen van beleid."
duration_minutes: 30
themes:
  - {id: A, title: "Visie", description: "Visie op armoede"}
  - {id: B, title: "Zicht"}
scales:
  eens:
    min: 1
    max: 5
    labels: ["helemaal niet mee eens", "niet mee eens", "neutraal", "mee eens", "helemaal mee eens"]
    dont_know: "weet niet"
steps:
  - id: stap-1
    title: "Stap 1. De balans opmaken"
    question: "Hoe vinden we dat onze gemeente scoort?"
    items:
      - id: a
        number: "A."
        type: scale
        scale: eens
        theme: A
        required: true
        text: "Onze gemeente heeft een duidelijke visie."
  - id: stap-2
    title: "Stap 2"
    adapted: true
    items:
      - type: guidance
        heading: "Tip"
        text: "Vul dit samen in."
      - id: redenen
        number: 1.
        type: multi
        theme: A
        text: "Wat zijn redenen?"
        options:
          - {id: veel, text: "Veel inwoners."}
          - {id: geen-reden, text: "Wij zien geen reden.", exclusive: true}
          - {id: anders, text: "Anders, namelijk.....", other: true}
          - {id: plan, text: "Een concreet plan.", group: "Wij hebben verder:", adapted: true}
      - id: inzicht
        type: single
        text: "Hebben wij inzicht?"
        options:
          - {id: ja, text: "Ja."}
          - {id: nee, text: "Nee, omdat", other: true}
      - {id: monitor, type: yesno, text: "Monitoren wij?", yes: "Wel", no: "Niet"}
      - {id: keren, type: count, text: "Hoe vaak?", unit: "keer", max: 52}
      - {id: notities, type: text, text: "Opmerkingenveld", rows: 6, max_length: 500}
      - {id: kort, type: text, text: "Kort"}
  - id: stap-3
    title: "Stap 3. Actieagenda"
    items:
      - id: acties
        type: actions
        text: "Wat gaan we doen?"
        columns: [theme, action, who, department]
)";

gids::Instrument load_valid() {
    auto instrument = gids::load_instrument_text(valid_yaml, "proef.yaml");
    EXPECT_TRUE(instrument) << instrument.error().message;
    return instrument ? std::move(*instrument) : gids::Instrument{};
}

TEST(InstrumentLoaderTest, ReadsTheTopLevelOfAValidFile) {
    const gids::Instrument instrument = load_valid();
    EXPECT_EQ(instrument.id, "proef");
    EXPECT_EQ(instrument.version, 3);
    EXPECT_EQ(instrument.title.in("en"), "Conversation tool");
    EXPECT_EQ(instrument.subtitle->nl, "Voor gemeenten");
    EXPECT_EQ(instrument.source.year, 2018);
    EXPECT_EQ(instrument.source.section->nl, "Deel 1");
    ASSERT_EQ(instrument.introduction.size(), 1U);
    EXPECT_EQ(instrument.introduction[0].heading.nl, "Waarvoor?");
    EXPECT_EQ(instrument.duration_minutes, 30);
    ASSERT_EQ(instrument.themes.size(), 2U);
    EXPECT_EQ(instrument.themes[0].description->nl, "Visie op armoede");
    EXPECT_FALSE(instrument.adapted);
    EXPECT_TRUE(instrument.steps[1].adapted);
}

TEST(InstrumentLoaderTest, TextFallsBackToDutchWithoutATranslation) {
    const gids::Instrument instrument = load_valid();
    EXPECT_EQ(instrument.title.in("nl"), "Gesprekstool");
    EXPECT_EQ(instrument.steps[0].title.in("en"), "Stap 1. De balans opmaken");
}

TEST(InstrumentLoaderTest, ResolvesTheScaleOfAScaleItem) {
    const gids::Instrument instrument = load_valid();
    const gids::Item* item = instrument.find_item("a");
    ASSERT_NE(item, nullptr);
    EXPECT_EQ(item->type, gids::ItemType::scale);
    EXPECT_EQ(item->scale_name, "eens");
    EXPECT_EQ(item->scale.label(3).nl, "neutraal");
    EXPECT_EQ(item->scale.dont_know->nl, "weet niet");
    EXPECT_EQ(item->number, "A.");
    EXPECT_EQ(item->theme, "A");
    EXPECT_TRUE(item->required);
}

TEST(InstrumentLoaderTest, ReadsOptionsWithTheirFlags) {
    const gids::Instrument instrument = load_valid();
    const gids::Item* item = instrument.find_item("redenen");
    ASSERT_NE(item, nullptr);
    ASSERT_EQ(item->options.size(), 4U);
    EXPECT_EQ(item->number, "1.");
    EXPECT_TRUE(item->find_option("geen-reden")->exclusive);
    EXPECT_TRUE(item->find_option("anders")->other);
    EXPECT_EQ(item->find_option("plan")->group->nl, "Wij hebben verder:");
    EXPECT_TRUE(item->find_option("plan")->adapted);
    EXPECT_EQ(item->find_option("onbekend"), nullptr);
}

TEST(InstrumentLoaderTest, ReadsTheDetailsOfEachItemType) {
    const gids::Instrument instrument = load_valid();
    EXPECT_EQ(instrument.find_item("monitor")->yes.nl, "Wel");
    EXPECT_EQ(instrument.find_item("keren")->unit->nl, "keer");
    EXPECT_EQ(instrument.find_item("keren")->max, 52);
    EXPECT_EQ(instrument.find_item("notities")->rows, 6);
    EXPECT_EQ(instrument.find_item("notities")->max_length, 500U);
    const std::vector<gids::ActionColumn> columns{
        gids::ActionColumn::theme, gids::ActionColumn::action, gids::ActionColumn::who,
        gids::ActionColumn::department};
    EXPECT_EQ(instrument.find_item("acties")->columns, columns);
}

TEST(InstrumentLoaderTest, AppliesTheDocumentedDefaults) {
    const gids::Instrument instrument = load_valid();
    const gids::Item* text = instrument.find_item("kort");
    EXPECT_EQ(text->rows, 4);
    EXPECT_EQ(text->max_length, 4000U);
    EXPECT_FALSE(text->required);
    EXPECT_EQ(instrument.find_item("inzicht")->yes.nl, "Ja");
    EXPECT_EQ(instrument.find_item("inzicht")->no.nl, "Nee");
}

TEST(InstrumentLoaderTest, ListsItemsInOrderAndLeavesGuidanceOutOfTheAnswerableOnes) {
    const gids::Instrument instrument = load_valid();
    std::vector<std::string> all;
    for (const gids::Item* item : instrument.all_items()) {
        all.push_back(item->id);
    }
    EXPECT_EQ(all, (std::vector<std::string>{"a", "", "redenen", "inzicht", "monitor", "keren",
                                             "notities", "kort", "acties"}));
    EXPECT_EQ(instrument.answerable_items().size(), 8U);
    EXPECT_EQ(instrument.find_item(""), nullptr);
    EXPECT_EQ(instrument.find_theme("B")->title.nl, "Zicht");
    EXPECT_EQ(instrument.find_theme("Z"), nullptr);
}

TEST(InstrumentLoaderTest, ChecksTheFileNameOnlyWhenLoadingAFile) {
    EXPECT_TRUE(gids::load_instrument_text(valid_yaml, "andere-naam.yaml"));
    const fs::path dir = fs::temp_directory_path() / "gids-loader-stem-test";
    fs::create_directories(dir);
    std::ofstream(dir / "andere-naam.yaml") << valid_yaml;
    const auto loaded = gids::load_instrument_file(dir / "andere-naam.yaml");
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().message.find(":1:5: Het id ‘proef’ moet gelijk zijn"),
              std::string::npos)
        << loaded.error().message;
    fs::remove_all(dir);
}

TEST(InstrumentLoaderTest, ReportsTheFirstOfSeveralProblems) {
    std::string yaml(valid_yaml);
    yaml.replace(yaml.find("version: 3"), 10, "version: 0");
    yaml.replace(yaml.find("theme: A\n        required"), 8, "theme: Q");
    for (int attempt = 0; attempt < 3; ++attempt) {
        const auto loaded = gids::load_instrument_text(yaml, "proef.yaml");
        ASSERT_FALSE(loaded);
        EXPECT_EQ(loaded.error().message,
                  "proef.yaml:2:10: ‘version’ moet een heel getal van 1 of hoger zijn.");
        EXPECT_EQ(loaded.error().kind, gids::ErrorKind::invalid);
    }
}

TEST(InstrumentLoaderTest, AcceptsAByteOrderMark) {
    const auto loaded =
        gids::load_instrument_text("\xEF\xBB\xBF" + std::string(valid_yaml), "proef.yaml");
    EXPECT_TRUE(loaded) << loaded.error().message;
}

TEST(InstrumentLoaderTest, RefusesAFileOverOneMegabyte) {
    const std::string yaml =
        std::string(valid_yaml) + "#" + std::string(gids::max_instrument_bytes, 'x');
    const auto loaded = gids::load_instrument_text(yaml, "groot.yaml");
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().message, "groot.yaml:1:1: Het bestand is groter dan 1 MB.");
}

TEST(InstrumentLoaderTest, RefusesDeepNestingWithoutCrashing) {
    for (const std::string& yaml : {std::string(100'000, '['), std::string(100'000, '{'),
                                    "a: " + std::string(50'000, '[') + std::string(50'000, ']')}) {
        const auto loaded = gids::load_instrument_text(yaml, "diep.yaml");
        ASSERT_FALSE(loaded);
        EXPECT_TRUE(loaded.error().message.starts_with("diep.yaml:")) << loaded.error().message;
    }
    std::string block = "steps:\n";
    for (int depth = 1; depth < 5000; ++depth) {
        block += std::string(static_cast<std::size_t>(depth), ' ') + "- \n";
    }
    EXPECT_FALSE(gids::load_instrument_text(block, "diep.yaml"));
}

TEST(InstrumentLoaderTest, StaysCheapWhenAliasesRepeatALargeList) {
    // yaml-cpp shares aliased nodes, so a "billion laughs" file parses quickly; the
    // walk over the instrument must not multiply it out either.
    std::string yaml = "id: lach\nversion: 1\ntitle: t\nsource: {document: d, publisher: p, "
                       "year: 2020}\nsteps:\n  - {id: s0, title: t, items: &big [&g {type: "
                       "guidance, text: x}";
    for (int i = 0; i < 1000; ++i) {
        yaml += ", *g";
    }
    yaml += "]}\n";
    for (int step = 1; step < 100; ++step) {
        yaml += "  - {id: s" + std::to_string(step) + ", title: t, items: *big}\n";
    }
    const auto loaded = gids::load_instrument_text(yaml, "lach.yaml");
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().message.find("hoogstens 2000 vragen en teksten"), std::string::npos)
        << loaded.error().message;
}

TEST(InstrumentLoaderTest, SurvivesAnAliasThatContainsItself) {
    const auto loaded = gids::load_instrument_text(
        "id: x\nversion: 1\ntitle: t\nsource: {document: d, publisher: p, year: 2020}\n"
        "steps: &s [*s]\n",
        "kring.yaml");
    EXPECT_FALSE(loaded);
}

TEST(InstrumentLoaderTest, SurvivesBinaryGarbage) {
    std::mt19937 random(20240601); // fixed, so a failure can be repeated
    std::uniform_int_distribution<int> byte(0, 255);
    for (int round = 0; round < 300; ++round) {
        std::string garbage(static_cast<std::size_t>(round * 7), '\0');
        for (char& c : garbage) {
            c = static_cast<char>(byte(random));
        }
        const auto loaded = gids::load_instrument_text(garbage, "rommel.yaml");
        if (!loaded) {
            EXPECT_TRUE(loaded.error().message.starts_with("rommel.yaml:"))
                << loaded.error().message;
        }
    }
}

TEST(InstrumentLoaderTest, ReportsAFileThatCannotBeOpened) {
    const auto loaded = gids::load_instrument_file("/bestaat/niet.yaml");
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().message,
              "/bestaat/niet.yaml:1:1: Het bestand kan niet worden geopend.");
}

TEST(InstrumentLoaderTest, LoadsADirectoryInFileNameOrderAndStopsAtABrokenFile) {
    const fs::path dir = fs::temp_directory_path() / "gids-loader-dir-test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const std::string id : {"zeta", "alfa"}) {
        std::string yaml(valid_yaml);
        yaml.replace(0, 9, "id: " + id);
        std::ofstream(dir / (id + ".yaml")) << yaml;
    }
    std::ofstream(dir / "LEESMIJ.txt") << "geen instrument";
    const auto loaded = gids::load_instrument_dir(dir);
    ASSERT_TRUE(loaded) << loaded.error().message;
    ASSERT_EQ(loaded->size(), 2U);
    EXPECT_EQ(loaded->front().id, "alfa");

    std::ofstream(dir / "kapot.yaml") << "id: kapot\n";
    const auto broken = gids::load_instrument_dir(dir);
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().message,
              (dir / "kapot.yaml").string() + ":1:1: De verplichte sleutel ‘version’ ontbreekt.");
    fs::remove_all(dir);
    EXPECT_FALSE(gids::load_instrument_dir(dir));
}

// --- broken files as data ---------------------------------------------------------------

const fs::path broken_dir = source_dir / "tests" / "instruments" / "broken";

class BrokenInstrumentTest : public testing::TestWithParam<std::string> {};

TEST_P(BrokenInstrumentTest, IsRefusedWithTheExpectedMessage) {
    const std::string name = GetParam();
    const fs::path expected_file = broken_dir / (name + ".expected");
    ASSERT_TRUE(fs::exists(expected_file)) << name << ": " << expected_file << " is missing";
    std::string expected = read_file(expected_file);
    while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r')) {
        expected.pop_back();
    }
    const auto loaded = gids::load_instrument_file(broken_dir / (name + ".yaml"));
    ASSERT_FALSE(loaded) << name << " loaded without an error";
    // Messages name the file as it was given; the expectations name it without folder.
    std::string message = loaded.error().message;
    const std::string folder = (broken_dir / "").string();
    if (message.starts_with(folder)) {
        message.erase(0, folder.size());
    }
    EXPECT_EQ(message, expected) << "case " << name;
}

std::vector<std::string> broken_cases() {
    std::vector<std::string> names;
    for (const fs::path& file : files_in(broken_dir, ".yaml")) {
        names.push_back(file.stem().string());
    }
    return names;
}

INSTANTIATE_TEST_SUITE_P(Cases, BrokenInstrumentTest, testing::ValuesIn(broken_cases()),
                         [](const testing::TestParamInfo<std::string>& param) {
                             std::string name = param.param;
                             std::ranges::replace(name, '-', '_');
                             return name;
                         });

TEST(BrokenInstrumentCasesTest, CoverAtLeastTwentyFiveCases) {
    EXPECT_GE(broken_cases().size(), 25U);
}

// --- the built-in instruments and saved fuzz findings ------------------------------------

TEST(BuiltInInstrumentsTest, EveryFileInInstrumentsLoads) {
    const fs::path dir = source_dir / "instruments";
    const auto files = files_in(dir, ".yaml");
    for (const fs::path& file : files) {
        const auto loaded = gids::load_instrument_file(file);
        EXPECT_TRUE(loaded) << loaded.error().message;
    }
    const auto all = gids::load_instrument_dir(dir);
    ASSERT_TRUE(all) << all.error().message;
    EXPECT_EQ(all->size(), files.size());
    if (files.empty()) {
        std::cout << "[   NOTE   ] instruments/ holds no .yaml files yet\n";
    }
}

TEST(FuzzRegressionTest, SavedCrashInputsLoadWithoutCrashing) {
    for (const fs::path& file : files_in(source_dir / "tests" / "fuzz" / "regressions", "")) {
        SCOPED_TRACE(file.filename().string());
        const auto loaded = gids::load_instrument_text(read_file(file), file.filename().string());
        if (!loaded) {
            EXPECT_TRUE(loaded.error().message.starts_with(file.filename().string() + ":"));
        }
    }
}

} // namespace
