using System;
using System.Globalization;
using System.Management.Automation;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>
/// A display name, or an author object (a record's Author, or one read with Invoke-RestMethod) whose type must be
/// "user", the only one the API creates.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AuthorNameTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = RecordValues.Unwrap(inputData);
        string? type;
        string? name;
        switch (value)
        {
            case null:
            case string:
                return inputData;
            case AuditAuthor author:
                type = author.Type;
                name = author.DisplayName;
                break;
            default:
                var wrapped = PSObject.AsPSObject(inputData!);
                if (wrapped.Properties["DisplayName"] is not PSPropertyInfo display)
                {
                    return inputData; // a scalar: PowerShell converts it to text as usual
                }

                name = Convert.ToString(RecordValues.Unwrap(display.Value), CultureInfo.InvariantCulture);
                type = wrapped.Properties["Type"] is PSPropertyInfo typed ? Convert.ToString(RecordValues.Unwrap(typed.Value), CultureInfo.InvariantCulture) : "user";
                break;
        }

        if (!string.IsNullOrEmpty(type) && !string.Equals(type, "user", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentTransformationMetadataException(
                $"The author '{name}' is of type '{type}'; the API only creates records whose author is of type 'user'. Pass -AuthorName with a display name instead.");
        }

        return name;
    }
}
