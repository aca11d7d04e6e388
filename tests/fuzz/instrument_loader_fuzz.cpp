// libFuzzer target for the instrument loader: any bytes must come back as an instrument
// or as an error naming the file, without a crash, leak or sanitizer report.
// Build and run with tests/fuzz/run.sh.

#include "instruments/loader.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto loaded = gids::load_instrument_text(text, "fuzz.yaml");
    if (!loaded) {
        // Every refusal must say where; a message without the file name is a bug too.
        if (!loaded.error().message.starts_with("fuzz.yaml:")) {
            __builtin_trap();
        }
        return 0;
    }
    // Walk what was built, so that a dangling reference in the model shows up here.
    std::size_t characters = 0;
    for (const gids::Item* item : loaded->all_items()) {
        characters += item->text.in("en").size();
        for (const gids::Option& option : item->options) {
            characters += option.text.nl.size();
        }
        if (item->type == gids::ItemType::scale) {
            characters += item->scale.label(item->scale.max).nl.size();
        }
    }
    static volatile std::size_t sink = 0; // keeps the walk from being optimised away
    sink = characters + loaded->answerable_items().size();
    return 0;
}
