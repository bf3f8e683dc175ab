using System;
using System.Linq;
using System.Management.Automation;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>AuditChangedValue, @{ Name = 'x'; OldValue = 'a'; NewValue = 'b' }, or "x: a -> b; y: c -> d".</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ChangedValueTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        RecordValues.ToArray(inputData, text => AuditText.SplitList(text).Select(RecordValues.ParseChangedValue), RecordValues.ToChangedValue);
}
