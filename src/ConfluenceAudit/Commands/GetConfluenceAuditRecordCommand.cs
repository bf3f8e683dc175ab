using System;
using System.Management.Automation;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Commands
{
    /// <summary>
    /// Lists audit records, newest first, writing each page's records as the page arrives, so memory does not
    /// grow with the size of the log. A date range uses GET /audit; -Last/-Unit uses GET /audit/since.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ConfluenceAuditRecord", DefaultParameterSetName = RangeSet, SupportsPaging = true)]
    [OutputType(typeof(ConfluenceAuditRecord))]
    public sealed class GetConfluenceAuditRecordCommand : ConfluenceAuditApiCmdlet
    {
        internal const string RangeSet = "Range";
        internal const string SinceSet = "Since";

        /// <summary>Records from this moment on. Local time unless the value says UTC.</summary>
        [Parameter(ParameterSetName = RangeSet)]
        public DateTime? StartDate { get; set; }

        /// <summary>Records up to this moment.</summary>
        [Parameter(ParameterSetName = RangeSet)]
        public DateTime? EndDate { get; set; }

        /// <summary>How many units back from now (GET /audit/since).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SinceSet)]
        [ValidateRange(1, long.MaxValue)]
        public long Last { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = SinceSet)]
        [ApiEnumNameTransformation(typeof(AuditTimeUnit))]
        public AuditTimeUnit Unit { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SearchString { get; set; }

        /// <summary>Records asked for per request; the server may send fewer.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; } = 1000;

        protected override void EndProcessing()
        {
            var query = BuildQuery();
            var connection = ResolveConnection();
            if (PagingParameters.IncludeTotalCount)
            {
                // The API has no total; say so rather than guess.
                WriteObject(PagingParameters.NewTotalCount(0, 0.0));
            }

            var pager = new AuditRecordPager(connection.Client, query, PagingParameters.Skip, PagingParameters.First, PageSize);
            while (TryRun(token => pager.NextPageAsync(Log, token), connection.BaseUri, out var page) && page is not null)
            {
                foreach (var record in page)
                {
                    WriteObject(record);
                }
            }

            WriteVerbose($"Listed {pager.RecordsReturned} records in {pager.PagesRequested} requests.");
        }

        private AuditQuery BuildQuery()
        {
            if (ParameterSetName == SinceSet)
            {
                return AuditQuery.Since(Last, Unit, SearchString);
            }

            var query = BuildRangeQuery(StartDate, EndDate, SearchString);
            if (query.EndDate is null && (query.StartDate is null || query.StartDate <= DateTimeOffset.Now))
            {
                // Records that arrive while a long listing runs would push the pages along; a fixed end keeps them out.
                query = query.WithEndDate(DateTimeOffset.Now);
                WriteVerbose($"Listing records up to {query.EndDate:u}, when the command started.");
            }

            return query;
        }
    }
}
