using ConfluenceAudit.Models;

namespace ConfluenceAudit.Retention;

/// <summary>
/// A retention change checked against the API's rules and the current setting, not yet made: what the user is asked
/// to confirm ("3 Months -> 1 Months", and whether records will be deleted) before it is applied.
/// </summary>
internal sealed class RetentionChange
{
    public RetentionChange(ConfluenceAuditRetention current, int number, RetentionUnit unit)
    {
        Current = current;
        Number = number;
        Unit = unit;
        IsShortening = RetentionRules.IsShorter(current, number, unit);
    }

    public ConfluenceAuditRetention Current { get; }

    public int Number { get; }

    public RetentionUnit Unit { get; }

    /// <summary>True when the new period keeps records for less time: the server deletes what falls outside it.</summary>
    public bool IsShortening { get; }

    /// <summary>"3 Months".</summary>
    public string Next => Number.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + Unit;
}
