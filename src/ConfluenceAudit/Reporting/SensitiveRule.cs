using System;
using System.Collections.Generic;

namespace ConfluenceAudit.Reporting;

/// <summary>
/// One kind of sensitive event and the terms that recognise it: a record is of this kind when its category (or Data
/// Center's category key) contains one of <see cref="CategoryTerms"/>, or its summary (or action key) contains one of
/// <see cref="SummaryTerms"/>, or a changed value's new value is one of <see cref="NewValueTerms"/> (whole value, so a group named confluence-administrators is not the permission). Terms are lower case; dots and underscores of keys count as spaces.
/// </summary>
internal sealed class SensitiveRule
{
    public SensitiveRule(string kind, IReadOnlyList<string> categoryTerms, IReadOnlyList<string> summaryTerms, IReadOnlyList<string>? newValueTerms = null)
    {
        Kind = kind;
        CategoryTerms = categoryTerms;
        SummaryTerms = summaryTerms;
        NewValueTerms = newValueTerms ?? Array.Empty<string>();
    }

    /// <summary>What the report calls such events, such as "Permission change".</summary>
    public string Kind { get; }

    public IReadOnlyList<string> CategoryTerms { get; }

    public IReadOnlyList<string> SummaryTerms { get; }

    /// <summary>New values of a changed value, matched whole, such as a grant of the Confluence Administrator permission.</summary>
    public IReadOnlyList<string> NewValueTerms { get; }

    /// <summary>The term of <paramref name="terms"/> that <paramref name="normalised"/> contains, or null.</summary>
    public static string? FirstTerm(string normalised, IReadOnlyList<string> terms)
    {
        foreach (var term in terms)
        {
            if (normalised.IndexOf(term, StringComparison.Ordinal) >= 0)
            {
                return term;
            }
        }

        return null;
    }
}
