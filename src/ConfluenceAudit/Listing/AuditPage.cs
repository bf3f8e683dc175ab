using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Listing;

/// <summary>One page of the audit resource (GET /audit or /audit/since), as the server sent it.</summary>
internal sealed class AuditPage
{
    public AuditPage(IReadOnlyList<ConfluenceAuditRecord> records, int received, int? start, int? limit, int? size)
    {
        Records = records;
        Received = received;
        Start = start;
        Limit = limit;
        Size = size;
    }

    public IReadOnlyList<ConfluenceAuditRecord> Records { get; }

    /// <summary>Entries in the page's results: how far the next page's start moves.</summary>
    public int Received { get; }

    public int? Start { get; }

    public int? Limit { get; }

    public int? Size { get; }

    /// <summary>Reads the page of <paramref name="limit"/> records from <paramref name="start"/>.</summary>
    public static async Task<AuditPage> ReadAsync(AuditHttpClient client, AuditQuery query, int start, int limit, IOperationLog log, CancellationToken cancellationToken)
    {
        var uri = client.BuildUri(query.Path, query.ToParameters(start, limit));
        // The client has validated the answer: results is there and every entry is a dated record.
        var wire = await client.SendJsonAsync(HttpMethod.Get, uri, null, AuditJsonContext.Default.WireAuditRecordArray, log, cancellationToken).ConfigureAwait(false);
        var records = new List<ConfluenceAuditRecord>(wire.Results!.Count);
        foreach (var item in wire.Results)
        {
            records.Add(WireMapper.ToRecord(item!));
        }

        return new AuditPage(records, wire.Results.Count, wire.Start, wire.Limit, wire.Size);
    }
}
