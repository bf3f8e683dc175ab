using System;
using System.Text;

namespace ConfluenceAudit.Serialization;

/// <summary>Enum members are PascalCase (HalfDays); the API spells them upper snake case (HALF_DAYS).</summary>
internal static class ApiNames
{
    public static string ToApiName(Enum value)
    {
        var name = value.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(name[i]));
        }

        return builder.ToString();
    }

    /// <summary>Reads "HALF_DAYS", "half_days", "HalfDays" or "halfdays" as the member HalfDays.</summary>
    public static bool TryParse(Type enumType, string? text, out object? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var compact = text!.Trim().Replace("_", string.Empty);
        foreach (var name in Enum.GetNames(enumType))
        {
            if (string.Equals(name, compact, StringComparison.OrdinalIgnoreCase))
            {
                value = Enum.Parse(enumType, name);
                return true;
            }
        }

        return false;
    }
}
