using System.Threading;
using System.Threading.Tasks;

namespace ConfluenceAudit.Listing;

/// <summary>A page request of <see cref="AuditRecordPager"/> on its way: where it starts, what it asked for, its answer.</summary>
internal sealed class PendingPage
{
    public PendingPage(int start, int limit, int overlap, Task<AuditPage> response, CancellationTokenSource cancel)
    {
        Start = start;
        Limit = limit;
        Overlap = overlap;
        Response = response;
        Cancel = cancel;
    }

    public int Start { get; }

    public int Limit { get; }

    public int Overlap { get; }

    public Task<AuditPage> Response { get; }

    public CancellationTokenSource Cancel { get; }

    /// <summary>Sent while the page before it was still on its way, so the server may have answered it first.</summary>
    public bool PlannedAhead { get; set; }
}
