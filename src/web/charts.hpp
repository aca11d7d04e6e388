#pragma once
// Charts as inline SVG, drawn on the server: no script, no inline style (the CSP forbids
// both), colours by presentation attributes. Every chart has a table beside it as its
// text alternative, so the SVG itself is hidden from screen readers.

#include <optional>
#include <string>
#include <vector>

namespace gids::web {

struct RadarAxis {
    std::string label; // short, e.g. "A"
    std::optional<double> value;
};

// A radar (spider) chart of values on a scale min..max; axes without a value are drawn
// but get no point.
std::string radar_svg(const std::vector<RadarAxis>& axes, double min, double max);

// Horizontal bars, one per label, for the meeting screen; counts as numbers beside them.
std::string bars_svg(const std::vector<std::pair<std::string, int>>& bars);

struct LineSeries {
    std::string label;
    std::vector<std::optional<double>> values; // one per point on the x axis
};

// A line chart with the x labels (rounds) and one line per series (themes).
std::string line_svg(const std::vector<std::string>& x_labels,
                     const std::vector<LineSeries>& series, double min, double max);

} // namespace gids::web
