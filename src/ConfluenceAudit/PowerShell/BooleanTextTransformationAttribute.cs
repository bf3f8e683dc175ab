using System;
using System.Management.Automation;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>A boolean, or the "True"/"False" that Export-Csv writes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class BooleanTextTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = RecordValues.Unwrap(inputData);
        if (value is string text)
        {
            text = text.Trim();
            if (text.Length == 0 || text.Equals("False", StringComparison.OrdinalIgnoreCase) || text == "0")
            {
                return false;
            }

            if (text.Equals("True", StringComparison.OrdinalIgnoreCase) || text == "1")
            {
                return true;
            }

            throw new ArgumentTransformationMetadataException($"'{text}' is not True or False.");
        }

        return inputData;
    }
}
