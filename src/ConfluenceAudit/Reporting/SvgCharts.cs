using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ConfluenceAudit.Reporting;

/// <summary>
/// The report's charts, drawn as inline SVG (no script, no image request): each has a title and a description for
/// screen readers, a title per bar, and a table beside it with the same figures. Colours come from the page's CSS,
/// so dark mode and print restyle them.
/// </summary>
internal static class SvgCharts
{
    private const int Width = 800;
    private const int Height = 220;
    private const int Left = 48;
    private const int Bottom = 24;

    /// <summary>Vertical bars over time, oldest on the left.</summary>
    public static void Columns(TextWriter w, string id, string title, string description, IReadOnlyList<KeyValuePair<string, long>> bars)
    {
        Open(w, id, title, description, Height);
        var max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Value));
        var plotWidth = Width - Left - 8.0;
        var plotHeight = Height - Bottom - 12.0;
        var step = bars.Count == 0 ? plotWidth : plotWidth / bars.Count;
        Axis(w, max, plotHeight);
        for (var i = 0; i < bars.Count; i++)
        {
            var height = bars[i].Value * plotHeight / max;
            w.Write("<rect class=\"bar\" x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{3}\"><title>",
                N(Left + (i * step)), N(12 + plotHeight - height), N(Math.Max(0.5, step * 0.85)), N(height));
            HtmlText.Write(w, bars[i].Key + ": " + bars[i].Value.ToString("N0", CultureInfo.InvariantCulture));
            w.Write("</title></rect>");
        }

        if (bars.Count > 0)
        {
            Label(w, Left, Height - 6, "start", bars[0].Key);
            Label(w, Width - 8, Height - 6, "end", bars[bars.Count - 1].Key);
        }

        w.Write("</svg>\n");
    }

    /// <summary>Horizontal bars, one per name, largest first.</summary>
    public static void Bars(TextWriter w, string id, string title, string description, IReadOnlyList<KeyValuePair<string, long>> bars)
    {
        const int row = 22;
        const int labelWidth = 260;
        var height = Math.Max(row, bars.Count * row) + 8;
        Open(w, id, title, description, height);
        var max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Value));
        var plotWidth = Width - labelWidth - 80.0;
        for (var i = 0; i < bars.Count; i++)
        {
            var y = 4 + (i * row);
            var width = Math.Max(1, bars[i].Value * plotWidth / max);
            Label(w, labelWidth - 8, y + 15, "end", Shorten(bars[i].Key, 38));
            w.Write("<rect class=\"bar\" x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{3}\"><title>", labelWidth, y + 3, N(width), row - 6);
            HtmlText.Write(w, bars[i].Key + ": " + bars[i].Value.ToString("N0", CultureInfo.InvariantCulture));
            w.Write("</title></rect>");
            Label(w, labelWidth + (int)width + 6, y + 15, "start", bars[i].Value.ToString("N0", CultureInfo.InvariantCulture));
        }

        w.Write("</svg>\n");
    }

    private static void Open(TextWriter w, string id, string title, string description, int height)
    {
        w.Write("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {0} {1}\" aria-labelledby=\"{2}-title {2}-desc\" xmlns=\"http://www.w3.org/2000/svg\">", Width, height, id);
        w.Write("<title id=\"{0}-title\">", id);
        HtmlText.Write(w, title);
        w.Write("</title><desc id=\"{0}-desc\">", id);
        HtmlText.Write(w, description);
        w.Write("</desc>");
    }

    private static void Axis(TextWriter w, long max, double plotHeight)
    {
        w.Write("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>", Left - 4, N(12 + plotHeight), Width - 8);
        w.Write("<line class=\"grid\" x1=\"{0}\" y1=\"12\" x2=\"{1}\" y2=\"12\"/>", Left - 4, Width - 8);
        Label(w, Left - 8, 16, "end", max.ToString("N0", CultureInfo.InvariantCulture));
        Label(w, Left - 8, (int)(12 + plotHeight), "end", "0");
    }

    private static void Label(TextWriter w, int x, int y, string anchor, string text)
    {
        w.Write("<text x=\"{0}\" y=\"{1}\" text-anchor=\"{2}\">", x, y, anchor);
        HtmlText.Write(w, text);
        w.Write("</text>");
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text.Substring(0, length - 1) + "\u2026";

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
