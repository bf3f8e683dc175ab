using System.Globalization;

namespace ConfluenceAudit.Emulator.AuditResource;

/// <summary>Reads and checks query parameters. Each method returns false with a message for a 400.
/// An absent or empty parameter takes its default.</summary>
internal static class QueryParameters
{
    public static bool TryEpochMs(HttpRequest request, string name, out long? value, out string? error)
    {
        value = null;
        error = null;
        string? text = First(request, name);
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
        {
            value = n;
            return true;
        }

        error = $"Invalid '{name}' value '{text}': it must be an epoch time in milliseconds.";
        return false;
    }

    public static bool TryInt(HttpRequest request, string name, int defaultValue, int minimum, out int value, out string? error)
    {
        value = defaultValue;
        error = null;
        string? text = First(request, name);
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n >= minimum)
        {
            value = n;
            return true;
        }

        error = $"Invalid '{name}' value '{text}': it must be an integer of at least {minimum}.";
        return false;
    }

    public static bool TryLong(HttpRequest request, string name, long defaultValue, long minimum, out long value, out string? error)
    {
        value = defaultValue;
        error = null;
        string? text = First(request, name);
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) && n >= minimum)
        {
            value = n;
            return true;
        }

        error = $"Invalid '{name}' value '{text}': it must be an integer of at least {minimum}.";
        return false;
    }

    public static string? First(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
