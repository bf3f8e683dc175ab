using System;
using System.Collections.Generic;

namespace ConfluenceAudit.Listing;

/// <summary>Data Center's own filters, sent exactly as given: the server's (possibly localised) names, ids, "type,id" pairs.</summary>
internal sealed class DataCenterFilters
{
    public IReadOnlyList<string> Categories { get; set; } = Array.Empty<string>();

    public IReadOnlyList<string> Actions { get; set; } = Array.Empty<string>();

    public IReadOnlyList<string> AuthorIds { get; set; } = Array.Empty<string>();

    /// <summary>"type,id" pairs such as "space,98306".</summary>
    public IReadOnlyList<string> AffectedObjects { get; set; } = Array.Empty<string>();

    public bool IsEmpty => Categories.Count == 0 && Actions.Count == 0 && AuthorIds.Count == 0 && AffectedObjects.Count == 0;
}
