using System;
using System.Linq;
using System.Management.Automation;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>One or more audit objects in any of the forms <see cref="AuditObjectTransformationAttribute"/> takes, or "A (Space); B (Page)".</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AuditObjectListTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        RecordValues.ToArray(inputData, text => AuditText.SplitList(text).Select(AuditObject.Parse), item => RecordValues.ToAuditObject(item, "AssociatedObject"));
}
