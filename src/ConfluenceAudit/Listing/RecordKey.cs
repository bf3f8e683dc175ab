using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Listing;

/// <summary>
/// Audit records have no id, so anything that must recognise a record it has seen (page boundaries that
/// shifted, overlapping incremental pulls) compares a key derived from every field of its content.
/// Records identical in every field are indistinguishable, to the module as to the server.
/// </summary>
internal static class RecordKey
{
    public static string Of(ConfluenceAuditRecord record)
    {
        var text = new StringBuilder(256);
        Append(text, record.CreationDate?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Append(text, record.Category);
        Append(text, record.Summary);
        Append(text, record.Description);
        Append(text, record.RemoteAddress);
        Append(text, record.SysAdmin ? "1" : "0");
        Append(text, record.SuperAdmin ? "1" : "0");
        Append(text, record.Author?.DisplayName);
        Append(text, record.Author?.AccountId);
        Append(text, record.Author?.UserKey);
        Append(text, record.AffectedObject?.ToString());
        foreach (var value in record.ChangedValues)
        {
            Append(text, value.Name);
            Append(text, value.OldValue);
            Append(text, value.NewValue);
        }

        Append(text, record.AssociatedObjects.ToString());
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToBase64String(hash, 0, 18);
    }

    private static void Append(StringBuilder text, string? value) => text.Append(value ?? "\u0000").Append('\u001e');
}
