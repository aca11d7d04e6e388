#include "web/charts.hpp"

#include "web/html.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

namespace gids::web {

namespace {

// Colours with at least 3:1 contrast on white, told apart by dash pattern as well.
const char* colours[] = {"#0b5d66", "#b3400b", "#5b2c83", "#1f6f1f",
                         "#8a1f3c", "#1f4e8a", "#6b5200"};
const char* dashes[] = {"", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3"};

// Labels longer than the space beside the bars are cut at a character boundary.
std::string shorten(const std::string& label) {
    constexpr std::size_t max = 18;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < label.size(); ++i) {
        if ((static_cast<unsigned char>(label[i]) & 0xC0) != 0x80 && ++chars > max)
            return label.substr(0, i) + "…";
    }
    return label;
}

} // namespace

std::string radar_svg(const std::vector<RadarAxis>& axes, double min, double max) {
    const double cx = 200, cy = 200, r = 140;
    const std::size_t n = axes.size();
    std::ostringstream svg;
    svg.setf(std::ios::fixed);
    svg.precision(1);
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart--radar\" viewBox=\"0 0 "
           "400 400\" "
           "aria-hidden=\"true\" focusable=\"false\">";
    if (n < 3) {
        svg << "</svg>";
        return svg.str();
    }
    auto point = [&](std::size_t i, double fraction, double& x, double& y) {
        const double angle = -std::numbers::pi / 2 +
                             2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
        x = cx + r * fraction * std::cos(angle);
        y = cy + r * fraction * std::sin(angle);
    };
    for (int ring = 0; ring <= static_cast<int>(max - min); ++ring) {
        const double fraction = (max - min) > 0 ? ring / (max - min) : 1;
        svg << "<polygon fill=\"none\" stroke=\"#b1b4b6\" stroke-width=\"1\" points=\"";
        for (std::size_t i = 0; i < n; ++i) {
            double x, y;
            point(i, fraction, x, y);
            svg << x << "," << y << " ";
        }
        svg << "\"/>";
        double lx, ly;
        point(0, fraction, lx, ly);
        svg << "<text x=\"" << lx + 4 << "\" y=\"" << ly + 4
            << "\" font-size=\"11\" fill=\"#4a4a4a\">" << static_cast<int>(min) + ring << "</text>";
    }
    for (std::size_t i = 0; i < n; ++i) {
        double x, y, lx, ly;
        point(i, 1, x, y);
        point(i, 1.15, lx, ly);
        svg << "<line x1=\"" << cx << "\" y1=\"" << cy << "\" x2=\"" << x << "\" y2=\"" << y
            << "\" stroke=\"#b1b4b6\"/>";
        svg << "<text x=\"" << lx << "\" y=\"" << ly + 5
            << "\" font-size=\"16\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#000\">"
            << html_escape(axes[i].label) << "</text>";
    }
    svg << "<polygon fill=\"#0b5d66\" fill-opacity=\"0.25\" stroke=\"#0b5d66\" stroke-width=\"3\" "
           "points=\"";
    for (std::size_t i = 0; i < n; ++i) {
        const double v = axes[i].value.value_or(min);
        double x, y;
        point(i, (max - min) > 0 ? (v - min) / (max - min) : 0, x, y);
        svg << x << "," << y << " ";
    }
    svg << "\"/>";
    for (std::size_t i = 0; i < n; ++i) {
        if (!axes[i].value)
            continue;
        double x, y;
        point(i, (max - min) > 0 ? (*axes[i].value - min) / (max - min) : 0, x, y);
        svg << "<circle cx=\"" << x << "\" cy=\"" << y << "\" r=\"5\" fill=\"#0b5d66\"/>";
    }
    svg << "</svg>";
    return svg.str();
}

std::string bars_svg(const std::vector<std::pair<std::string, int>>& bars) {
    int max = 1;
    for (const auto& [label, count] : bars)
        max = std::max(max, count);
    const double row = 44, left = 170, width = 380;
    std::ostringstream svg;
    svg.setf(std::ios::fixed);
    svg.precision(1);
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart--bars\" viewBox=\"0 0 "
           "600 "
        << row * static_cast<double>(bars.size()) + 10
        << "\" aria-hidden=\"true\" focusable=\"false\">";
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const double y = 5 + row * static_cast<double>(i);
        const double w = width * bars[i].second / max;
        svg << "<text x=\"" << left - 10 << "\" y=\"" << y + 26
            << "\" font-size=\"18\" text-anchor=\"end\" fill=\"#000\">"
            << html_escape(shorten(bars[i].first)) << "</text><rect x=\"" << left << "\" y=\""
            << y + 6 << "\" width=\"" << w << "\" height=\"28\" fill=\"#0b5d66\"/><text x=\""
            << left + w + 8 << "\" y=\"" << y + 27
            << "\" font-size=\"20\" font-weight=\"bold\" fill=\"#000\">" << bars[i].second
            << "</text>";
    }
    svg << "</svg>";
    return svg.str();
}

std::string line_svg(const std::vector<std::string>& x_labels,
                     const std::vector<LineSeries>& series, double min, double max) {
    const double left = 40, right = 560, top = 20, bottom = 260;
    std::ostringstream svg;
    svg.setf(std::ios::fixed);
    svg.precision(1);
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart--line\" viewBox=\"0 0 "
           "600 330\" "
           "aria-hidden=\"true\" focusable=\"false\">";
    const std::size_t n = x_labels.size();
    auto x_at = [&](std::size_t i) {
        return n <= 1 ? (left + right) / 2
                      : left + (right - left) * static_cast<double>(i) / static_cast<double>(n - 1);
    };
    auto y_at = [&](double v) { return bottom - (bottom - top) * (v - min) / (max - min); };
    for (int v = static_cast<int>(min); v <= static_cast<int>(max); ++v) {
        svg << "<line x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << y_at(v) << "\" y2=\""
            << y_at(v) << "\" stroke=\"#dddddd\"/><text x=\"" << left - 10 << "\" y=\""
            << y_at(v) + 4 << "\" font-size=\"12\" text-anchor=\"end\" fill=\"#4a4a4a\">" << v
            << "</text>";
    }
    for (std::size_t i = 0; i < n; ++i)
        svg << "<text x=\"" << x_at(i) << "\" y=\"" << bottom + 20
            << "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#000\">"
            << html_escape(x_labels[i]) << "</text>";
    for (std::size_t s = 0; s < series.size(); ++s) {
        const char* colour = colours[s % std::size(colours)];
        std::string points;
        std::ostringstream p;
        p.setf(std::ios::fixed);
        p.precision(1);
        for (std::size_t i = 0; i < series[s].values.size() && i < n; ++i)
            if (series[s].values[i])
                p << x_at(i) << "," << y_at(*series[s].values[i]) << " ";
        svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"3\"";
        if (*dashes[s % std::size(dashes)])
            svg << " stroke-dasharray=\"" << dashes[s % std::size(dashes)] << "\"";
        svg << " points=\"" << p.str() << "\"/>";
        for (std::size_t i = 0; i < series[s].values.size() && i < n; ++i)
            if (series[s].values[i])
                svg << "<circle cx=\"" << x_at(i) << "\" cy=\"" << y_at(*series[s].values[i])
                    << "\" r=\"4\" fill=\"" << colour << "\"/>";
        // Legend under the chart, label by colour and dash.
        const double lx = left + static_cast<double>(s % 7) * 75;
        const double ly = bottom + 45 + static_cast<double>(s / 7) * 18;
        svg << "<line x1=\"" << lx << "\" x2=\"" << lx + 20 << "\" y1=\"" << ly - 4 << "\" y2=\""
            << ly - 4 << "\" stroke=\"" << colour << "\" stroke-width=\"3\"";
        if (*dashes[s % std::size(dashes)])
            svg << " stroke-dasharray=\"" << dashes[s % std::size(dashes)] << "\"";
        svg << "/><text x=\"" << lx + 24 << "\" y=\"" << ly << "\" font-size=\"12\" fill=\"#000\">"
            << html_escape(series[s].label) << "</text>";
    }
    svg << "</svg>";
    return svg.str();
}

} // namespace gids::web
