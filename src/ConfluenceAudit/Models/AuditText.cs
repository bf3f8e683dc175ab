using System;
using System.Collections.Generic;
using System.Text;

namespace ConfluenceAudit.Models;

/// <summary>
/// The string forms of nested values ("ENG (Space); jdoe (User)", "Permission: view -> edit") are what Export-Csv
/// writes, so New-ConfluenceAuditRecord must be able to read them back. A backslash escapes the few characters
/// that separate the parts; ordinary values read exactly as they are.
/// </summary>
internal static class AuditText
{
    public const string ListSeparator = "; ";

    /// <summary>ISO 8601 in UTC to the millisecond, "2026-03-02T10:15:00.125Z": what Data Center reads, SIEMs expect, and files keep.</summary>
    public static string IsoUtc(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Escape(string text, string specials)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' || c == ';' || specials.IndexOf(c) >= 0)
            {
                builder ??= new StringBuilder(text, 0, i, text.Length + 8);
                builder.Append('\\');
            }

            builder?.Append(c);
        }

        return builder?.ToString() ?? text;
    }

    public static string Unescape(string text)
    {
        if (text.IndexOf('\\') < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    /// <summary>Where <paramref name="token"/> first occurs outside escapes, from <paramref name="start"/>; -1 if nowhere.</summary>
    public static int IndexOfUnescaped(string text, string token, int start = 0)
    {
        for (var i = start; i <= text.Length - token.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The still-escaped items of a list written with <see cref="ListSeparator"/>.</summary>
    public static List<string> SplitList(string text)
    {
        var items = new List<string>();
        var start = 0;
        while (start <= text.Length)
        {
            var next = IndexOfUnescaped(text, ";", start);
            var item = next < 0 ? text.Substring(start) : text.Substring(start, next - start);

            // Remove only the space of the "; " separator: a value may end in a space ("Group: engineers -> " has an empty new value).
            if (start > 0 && item.StartsWith(" ", StringComparison.Ordinal))
            {
                item = item.Substring(1);
            }

            if (item.Trim().Length > 0)
            {
                items.Add(item);
            }

            if (next < 0)
            {
                break;
            }

            start = next + 1;
        }

        return items;
    }
}
