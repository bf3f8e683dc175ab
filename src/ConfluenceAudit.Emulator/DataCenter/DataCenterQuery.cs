using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ConfluenceAudit.Emulator.DataCenter;

/// <summary>
/// The query of GET /rest/auditing/1.0/events, checked: from/to (ISO 8601 instants with an offset, both inclusive),
/// offset, pageCursor ("&lt;epoch ms&gt;,&lt;id&gt;"), limit (1 to 100000, default 200), userIds, categories, actions
/// (comma-separated; names as the server shows them), affectedObject ("type,id" pairs separated by ';'; an event
/// matches when it has one of them), search (case-insensitive text of names, values, source and attributes),
/// scanLimit (accepted), outputFormat json|csv.
/// </summary>
internal sealed partial class DataCenterQuery
{
    public const int MaxLimit = 100_000;
    public const int DefaultLimit = 200;

    public long? FromMs { get; private init; }
    public long? ToMs { get; private init; }
    public int Offset { get; private init; }
    public int Limit { get; private init; } = DefaultLimit;
    public (long Date, long Id)? Cursor { get; private init; }
    public HashSet<string>? UserIds { get; private init; }
    public HashSet<string>? Categories { get; private init; }
    public HashSet<string>? Actions { get; private init; }
    public ObjectRef[]? Affected { get; private init; }
    public string? Search { get; private init; }
    public bool Csv { get; private init; }

    /// <summary>The query, or null with the error's i18n key and message (for a 400).</summary>
    public static DataCenterQuery? Parse(HttpRequest request, out string? key, out string? error)
    {
        key = "atlassian.audit.rest.error.invalid.parameter";
        error = null;
        long? from = null, to = null;
        if (Text(request, "from") is { } f && !TryInstant("from", f, roundUp: true, out from, out error))
        {
            return null;
        }

        if (Text(request, "to") is { } t && !TryInstant("to", t, roundUp: false, out to, out error))
        {
            return null;
        }

        int offset = 0, limit = DefaultLimit;
        if (Text(request, "offset") is { } o && !TryInt("offset", o, 0, int.MaxValue, out offset, out error))
        {
            return null;
        }

        if (Text(request, "limit") is { } l && !TryInt("limit", l, 1, MaxLimit, out limit, out error))
        {
            return null;
        }

        if (Text(request, "scanLimit") is { } s && !TryInt("scanLimit", s, 1, int.MaxValue, out _, out error))
        {
            return null;
        }

        (long, long)? cursor = null;
        if (Text(request, "pageCursor") is { } c)
        {
            Match m = CursorPattern().Match(c);
            if (!m.Success
                || !long.TryParse(m.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long cd)
                || !long.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long ci))
            {
                error = $"Invalid 'pageCursor' value '{c}': use the nextPageCursor of the previous page (\"<epoch ms>,<id>\").";
                return null;
            }

            cursor = (cd, ci);
        }

        ObjectRef[]? affected = null;
        if (Text(request, "affectedObject") is { } a)
        {
            var refs = new List<ObjectRef>();
            foreach (string pair in a.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string[] parts = pair.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                {
                    error = $"Invalid 'affectedObject' value '{a}': use \"type,id\" pairs separated by ';', such as space,98306.";
                    return null;
                }

                refs.Add(new ObjectRef(parts[0], parts[1]));
            }

            affected = refs.Count > 0 ? [.. refs] : null;
        }

        string format = Text(request, "outputFormat") ?? "json";
        if (format is not ("json" or "csv"))
        {
            error = $"Invalid 'outputFormat' value '{format}': use json or csv.";
            return null;
        }

        return new DataCenterQuery
        {
            FromMs = from,
            ToMs = to,
            Offset = offset,
            Limit = limit,
            Cursor = cursor,
            UserIds = List(request, "userIds"),
            Categories = List(request, "categories"),
            Actions = List(request, "actions"),
            Affected = affected,
            Search = Text(request, "search"),
            Csv = format == "csv",
        };
    }

    public bool FiltersByType => Categories is not null || Actions is not null;

    /// <summary>True when the event passes every filter but the date range (which the caller applies by index).</summary>
    public bool Matches(DataCenterEvent e)
    {
        if (UserIds is not null && (e.AuthorId is null || !UserIds.Contains(e.AuthorId)))
        {
            return false;
        }

        if (Categories is not null && !Categories.Contains(e.Category))
        {
            return false;
        }

        if (Actions is not null && !Actions.Contains(e.Action))
        {
            return false;
        }

        if (Affected is not null && !Affected.Any(want => e.Objects.Any(have =>
                string.Equals(have.Type, want.Type, StringComparison.OrdinalIgnoreCase) && have.Id == want.Id)))
        {
            return false;
        }

        return Search is null || SearchMatches(e.Json.Span, Search);
    }

    /// <summary>True when a searched string member contains <paramref name="search"/> (case-insensitive): names,
    /// category, action, changed values' key/from/to, source, attribute values. Keys, ids, uris and the timestamp
    /// are not searched.</summary>
    public static bool SearchMatches(ReadOnlySpan<byte> json, string search)
    {
        var reader = new Utf8JsonReader(json);
        bool searched = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                searched = reader.ValueTextEquals("name"u8) || reader.ValueTextEquals("category"u8)
                    || reader.ValueTextEquals("action"u8) || reader.ValueTextEquals("key"u8)
                    || reader.ValueTextEquals("from"u8) || reader.ValueTextEquals("to"u8)
                    || reader.ValueTextEquals("source"u8) || reader.ValueTextEquals("value"u8);
            }
            else if (reader.TokenType == JsonTokenType.String && searched
                && (reader.GetString() ?? "").Contains(search, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses an ISO 8601 instant; a '+' offset that arrived as a space (not URL-encoded) is refused, as the
    /// server would otherwise misread it.</summary>
    public static bool TryInstant(string name, string text, bool roundUp, out long? epochMs, out string? error)
    {
        epochMs = null;
        error = null;
        Match m = InstantPattern().Match(text);
        if (!m.Success)
        {
            error = text.Contains(' ', StringComparison.Ordinal)
                ? $"Invalid '{name}' value '{text}': not an ISO 8601 instant. A '+' in the offset must be URL-encoded as %2B (it arrived as a space)."
                : $"Invalid '{name}' value '{text}': use an ISO 8601 instant with an offset, such as 2026-03-02T10:15:00.125Z.";
            return false;
        }

        try
        {
            static int N(Group g) => g.Success ? int.Parse(g.Value, CultureInfo.InvariantCulture) : 0;
            TimeSpan offset = TimeSpan.Zero;
            string z = m.Groups["zone"].Value;
            if (!z.Equals("Z", StringComparison.OrdinalIgnoreCase))
            {
                string digits = z[1..].Replace(":", "", StringComparison.Ordinal);
                int hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
                int minutes = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
                offset = new TimeSpan(hours, minutes, 0);
                if (z[0] == '-')
                {
                    offset = -offset;
                }
            }

            var whole = new DateTimeOffset(N(m.Groups["y"]), N(m.Groups["mo"]), N(m.Groups["d"]),
                N(m.Groups["h"]), N(m.Groups["mi"]), N(m.Groups["s"]), offset);
            string fraction = m.Groups["f"].Success ? m.Groups["f"].Value.PadRight(9, '0') : "0";
            Int128 nanos = ((Int128)whole.ToUnixTimeMilliseconds() * 1_000_000) + long.Parse(fraction, CultureInfo.InvariantCulture);

            // 'from' takes the first whole millisecond at or after the instant, 'to' the last at or before it.
            Int128 q = nanos / 1_000_000, r = nanos % 1_000_000;
            if (r < 0)
            {
                q -= 1;
                r += 1_000_000;
            }

            if (roundUp && r != 0)
            {
                q += 1;
            }

            epochMs = (long)q;
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            error = $"Invalid '{name}' value '{text}': not a valid date and time.";
            return false;
        }
    }

    private static bool TryInt(string name, string text, int min, int max, out int value, out string? error)
    {
        error = null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        error = $"Invalid '{name}' value '{text}': it must be an integer from {min} to {max}.";
        return false;
    }

    private static HashSet<string>? List(HttpRequest request, string name)
    {
        if (Text(request, name) is not { } text)
        {
            return null;
        }

        var set = new HashSet<string>(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
        return set.Count > 0 ? set : null;
    }

    /// <summary>The first value of a parameter, or null when absent or empty.</summary>
    private static string? Text(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    /// <summary>The request's raw query with <paramref name="drop"/> removed, pairs kept as the client encoded them.</summary>
    public static string QueryWithout(HttpRequest request, params string[] drop)
    {
        string raw = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var kept = new StringBuilder();
        foreach (string pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            if (Array.IndexOf(drop, name) >= 0)
            {
                continue;
            }

            if (kept.Length > 0)
            {
                kept.Append('&');
            }

            kept.Append(pair);
        }

        return kept.ToString();
    }

    [GeneratedRegex(@"^(-?\d{1,19}),(\d{1,19})$", RegexOptions.CultureInvariant)]
    private static partial Regex CursorPattern();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})T(?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,](?<f>\d{1,9}))?)?(?<zone>Z|[+-]\d{2}(?::?\d{2})?)$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex InstantPattern();
}
