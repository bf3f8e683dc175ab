using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace ConfluenceAudit.Models;

/// <summary>
/// A read-only list whose string form lists its items, so that Export-Csv and Format-Table show
/// "ENG (Space); jdoe (User)" instead of a type name or System.Object[].
/// </summary>
public sealed class AuditList<T> : ReadOnlyCollection<T>
{
    internal static readonly AuditList<T> Empty = new AuditList<T>(new List<T>());

    internal AuditList(IList<T> items)
        : base(items)
    {
    }

    public override string ToString() => string.Join(AuditText.ListSeparator, this);
}
