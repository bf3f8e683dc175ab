using System;
using System.Management.Automation;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Commands;

/// <summary>
/// Lets an enum parameter bind the API's own spelling as well as the member name, so -Unit HALF_DAYS and
/// -Unit HalfDays both work. Anything else is left for PowerShell's enum conversion, whose error lists the valid values.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ApiEnumNameTransformationAttribute : ArgumentTransformationAttribute
{
    public ApiEnumNameTransformationAttribute(Type enumType)
    {
        EnumType = enumType;
    }

    public Type EnumType { get; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is string text && ApiNames.TryParse(EnumType, text, out var member))
        {
            return member;
        }

        return inputData;
    }
}
