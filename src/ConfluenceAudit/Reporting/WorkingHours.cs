using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConfluenceAudit.Reporting;

/// <summary>
/// The hours a site's administrators normally work, such as "08:00-18:00 Mon-Fri": activity outside them is called
/// out in the report. The end may be before the start for a shift past midnight ("22:00-06:00").
/// </summary>
internal sealed class WorkingHours
{
    private static readonly DayOfWeek[] Week =
    {
        DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday,
    };

    private static readonly string[] TimeFormats = { @"h\:mm", @"hh\:mm" };
    private static readonly char[] Space = { ' ' };
    private static readonly char[] Comma = { ',' };

    private readonly bool[] days = new bool[7];

    public WorkingHours(TimeSpan start, TimeSpan end, IEnumerable<DayOfWeek> workingDays)
    {
        if (start < TimeSpan.Zero || start >= TimeSpan.FromDays(1) || end < TimeSpan.Zero || end > TimeSpan.FromDays(1) || start == end)
        {
            throw new ArgumentException($"Working hours from {start} to {end} are not a period within one day.");
        }

        Start = start;
        End = end;
        foreach (var day in workingDays)
        {
            days[(int)day] = true;
        }
    }

    /// <summary>08:00-18:00, Monday to Friday.</summary>
    public static WorkingHours Default { get; } = new WorkingHours(TimeSpan.FromHours(8), TimeSpan.FromHours(18), Week.Take(5));

    public TimeSpan Start { get; }

    public TimeSpan End { get; }

    public IEnumerable<DayOfWeek> Days => Week.Where(d => days[(int)d]);

    /// <summary>
    /// Reads "08:00-18:00" (Monday to Friday), "08:00-18:00 Mon-Sat", "07:30-16:00 Mon,Tue,Thu" or "22:00-06:00 Mon-Sun".
    /// Day names may be English abbreviations or full names.
    /// </summary>
    public static WorkingHours Parse(string text)
    {
        var parts = (text ?? string.Empty).Trim().Split(Space, 2, StringSplitOptions.RemoveEmptyEntries);
        var hours = parts.Length > 0 ? parts[0].Split('-') : Array.Empty<string>();
        if (hours.Length != 2 || !TryTime(hours[0], out var start) || !TryTime(hours[1], out var end))
        {
            throw new FormatException($"'{text}' is not a span of working hours such as 08:00-18:00 or 08:00-18:00 Mon-Fri.");
        }

        var workingDays = parts.Length > 1 ? ParseDays(parts[1].Replace(" ", string.Empty), text!) : Week.Take(5).ToList();
        return new WorkingHours(start, end, workingDays);
    }

    /// <summary>True when <paramref name="local"/>, a time in the report's zone, is within working hours.</summary>
    public bool Contains(DateTime local)
    {
        var time = local.TimeOfDay;
        if (Start < End)
        {
            return days[(int)local.DayOfWeek] && time >= Start && time < End;
        }

        // A shift past midnight belongs to the day it started.
        return (time >= Start && days[(int)local.DayOfWeek]) || (time < End && days[(int)local.AddDays(-1).DayOfWeek]);
    }

    /// <summary>"08:00-18:00, Monday to Friday".</summary>
    public override string ToString()
    {
        var hours = Time(Start) + "-" + Time(End);
        var list = Days.ToList();
        if (list.Count == 7)
        {
            return hours + ", every day";
        }

        var first = Array.IndexOf(Week, list.FirstOrDefault());
        var contiguous = list.Count > 2 && list.Select((d, i) => Array.IndexOf(Week, d) == first + i).All(x => x);
        var names = contiguous
            ? list[0] + " to " + list[list.Count - 1]
            : string.Join(", ", list);
        return list.Count == 0 ? hours + ", no day" : hours + ", " + names;
    }

    private static string Time(TimeSpan value) => value == TimeSpan.FromDays(1) ? "24:00" : value.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static bool TryTime(string text, out TimeSpan value)
    {
        text = text.Trim();
        if (text == "24:00")
        {
            value = TimeSpan.FromDays(1);
            return true;
        }

        return TimeSpan.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, out value) && value < TimeSpan.FromDays(1);
    }

    private static List<DayOfWeek> ParseDays(string text, string whole)
    {
        var result = new List<DayOfWeek>();
        foreach (var item in text.Split(Comma, StringSplitOptions.RemoveEmptyEntries))
        {
            var range = item.Split('-');
            if (range.Length > 2 || !TryDay(range[0], out var from) || !TryDay(range[range.Length - 1], out var to))
            {
                throw new FormatException($"'{whole}' names days that are not days of the week; write them as Mon-Fri or Mon,Wed,Fri.");
            }

            for (var i = Array.IndexOf(Week, from); ; i = (i + 1) % 7)
            {
                result.Add(Week[i]);
                if (Week[i] == to)
                {
                    break;
                }
            }
        }

        return result;
    }

    private static bool TryDay(string text, out DayOfWeek day)
    {
        foreach (var candidate in Week)
        {
            var name = candidate.ToString();
            if (text.Length >= 2 && name.StartsWith(text, StringComparison.OrdinalIgnoreCase))
            {
                day = candidate;
                return true;
            }
        }

        day = default;
        return false;
    }
}
