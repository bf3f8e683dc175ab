using System;
using System.Management.Automation;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>AuditObject, @{ Name = 'ENG'; ObjectType = 'Space' }, an object with those properties, or "ENG (Space)".</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AuditObjectTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) => RecordValues.ToAuditObject(inputData, "AffectedObject");
}
