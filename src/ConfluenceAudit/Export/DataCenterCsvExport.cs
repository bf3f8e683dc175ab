using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Export;

/// <summary>
/// Data Center's CSV export (GET {base}/rest/auditing/1.0/events?outputFormat=csv), which caps one response below
/// what was asked: the file is assembled from as many responses as it takes, paged by offset inside a window whose
/// end is pinned, with the header row written once. The server audits every read of its log, and such an event can
/// fall inside the window (its clock and ours differ) and push the rows along, so each response after the first
/// starts one row early, at the last row written (the anchor): rows before the anchor were written already. The
/// export ends on a response that brings nothing after the anchor, never on a short one. Rows are found with quotes
/// in mind, since a field may hold line breaks. Read chunk by chunk like a download, so memory stays flat.
/// <para>Guards, so that a server that misbehaves never yields a file that looks whole but is not: a response that
/// starts with the row the one before it started with, though the offset moved by more rows than reads can push along
/// (the server ignores the offset, or repeats itself), ends the export with ConfluencePagingStalled, as ending there
/// would cut the file short; a response whose header row differs from the first one's, or that ends inside a quoted
/// field (cut off), is ConfluenceInvalidResponse.</para>
/// </summary>
internal sealed class DataCenterCsvExport : IExportSource
{
    private const int RequestedRows = 100000;

    /// <summary>
    /// The most rows the log can push along between two responses: only the server's own events of the export's reads
    /// land inside the pinned window (when its clock runs behind), one a read. A response that repeats the one before
    /// from its first row although the offset moved further than this was answered for another offset.
    /// </summary>
    private const int MostRowsPushedAlong = 2;
    private readonly AuditHttpClient client;
    private readonly AuditQuery query;
    private readonly IOperationLog log;
    private readonly byte[] chunk = new byte[81920];
    private readonly MemoryStream pending = new MemoryStream();
    private readonly MemoryStream row = new MemoryStream();
    private ExportDownload? download;
    private string request = "";
    private int responses;
    private long rowsWritten;
    private byte[]? header;
    private byte[]? firstRow;
    private ulong rowsHash;
    private ResponseSeen? previous;
    private long offset;
    private bool finished;
    private bool inQuotes;
    private byte[]? anchor;
    private bool seekingAnchor;
    private int rowInResponse;
    private int dataRowsInResponse;
    private int newRowsInResponse;

    /// <param name="query">A date range with its end pinned (see <see cref="AuditQuery.ToRange"/>).</param>
    public DataCenterCsvExport(AuditHttpClient client, AuditQuery query, IOperationLog log)
    {
        this.client = client;
        this.query = query;
        this.log = log;
    }

    /// <summary>Unknown: the file is assembled from several responses.</summary>
    public long? Length => null;

    public async Task<int> ReadAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (pending.Length > pending.Position)
            {
                return pending.Read(buffer, 0, buffer.Length);
            }

            pending.SetLength(0);
            if (finished)
            {
                return 0;
            }

            download ??= await OpenNextResponseAsync(cancellationToken).ConfigureAwait(false);
            var read = await download.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);

            if (read == 0)
            {
                EndResponse();
            }
            else
            {
                Take(read);
            }

            pending.Position = 0;
        }
    }

    public void Dispose()
    {
        download?.Dispose();
        pending.Dispose();
        row.Dispose();
    }

    private async Task<ExportDownload> OpenNextResponseAsync(CancellationToken cancellationToken)
    {
        var parameters = query.ToFrameworkParameters();
        parameters.Add(new KeyValuePair<string, string>("outputFormat", "csv"));
        parameters.Add(new KeyValuePair<string, string>("offset", offset.ToString(CultureInfo.InvariantCulture)));
        parameters.Add(new KeyValuePair<string, string>("limit", RequestedRows.ToString(CultureInfo.InvariantCulture)));
        var uri = client.BuildUri(ApiPaths.Events, parameters);
        request = AuditHttpClient.Describe(System.Net.Http.HttpMethod.Get, uri);
        var opened = await ExportDownload.OpenAsync(client, uri, "text/csv", "text/csv", log, cancellationToken).ConfigureAwait(false);
        responses++;
        firstRow = null;
        rowsHash = FnvOffsetBasis;
        rowInResponse = 0;
        dataRowsInResponse = 0;
        newRowsInResponse = 0;
        inQuotes = false;
        seekingAnchor = anchor is not null;
        row.SetLength(0);
        return opened;
    }

    /// <summary>Splits the bytes into rows (a line break inside quotes belongs to the field) and handles each whole row.</summary>
    private void Take(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var b = chunk[i];
            row.WriteByte(b);
            if (b == (byte)'"')
            {
                inQuotes = !inQuotes;
            }
            else if (b == (byte)'\n' && !inQuotes)
            {
                EndRow();
            }
        }
    }

    private void EndRow()
    {
        var bytes = row.ToArray();
        row.SetLength(0);
        if (IsBlank(bytes))
        {
            return;
        }

        if (!bytes.EndsWithLineBreak())
        {
            bytes = bytes.Concat(LineBreak);
        }

        if (rowInResponse++ == 0)
        {
            // The header row: written once, from the first response; every later response must have the same columns.
            if (header is null)
            {
                pending.Write(bytes, 0, bytes.Length);
                header = bytes;
            }
            else if (!bytes.SequenceEqualTo(header))
            {
                throw HttpFailures.InvalidResponse(request,
                    "its header row differs from the first response's, so its columns cannot be joined to the rows written already.");
            }

            return;
        }

        if (dataRowsInResponse++ == 0)
        {
            firstRow = bytes;
        }

        rowsHash = Fnv1a(rowsHash, bytes);

        if (seekingAnchor)
        {
            // Rows before the anchor are rows the log pushed along: written already.
            seekingAnchor = !bytes.SequenceEqualTo(anchor!);
            return;
        }

        pending.Write(bytes, 0, bytes.Length);
        newRowsInResponse++;
        rowsWritten++;
        anchor = bytes;
    }

    private void EndResponse()
    {
        if (inQuotes)
        {
            throw HttpFailures.InvalidResponse(request, "it ends inside a quoted field: the response was cut off.");
        }

        if (row.Length > 0)
        {
            EndRow(); // the last row had no line break
        }

        download!.Dispose();
        download = null;
        if (previous?.FirstRow is { } firstRowBefore && firstRow is not null && offset - previous.Offset > MostRowsPushedAlong && firstRow.SequenceEqualTo(firstRowBefore))
        {
            throw HttpFailures.PagingStalled("export", responses,
                $"the server answered the rows from offset {offset} with the rows it had sent from the offset before, so it does not page by offset.",
                $"{rowsWritten} rows were written.", request);
        }

        if (previous is not null && newRowsInResponse > 0 && dataRowsInResponse == previous.DataRows && rowsHash == previous.RowsHash)
        {
            // The same rows as the response before, yet "new" ones after the anchor: the anchor has copies among them,
            // and asking on would take the same rows for new ones again and again.
            throw HttpFailures.PagingStalled("export", responses,
                $"the server answered the rows from offset {offset} with the same rows as the response before, which hold the last row written more than once.",
                $"{rowsWritten} rows were written.", request);
        }

        previous = new ResponseSeen(offset, firstRow, rowsHash, dataRowsInResponse);
        if (seekingAnchor && dataRowsInResponse > 0)
        {
            throw HttpFailures.InvalidResponse(request,
                "the audit log changed so much while it was exported that the last row written could not be found again. Export again, or narrow the range.");
        }

        if (newRowsInResponse == 0)
        {
            finished = true;
            return;
        }

        // The next response starts at the last row of this one, the new anchor.
        offset += dataRowsInResponse - 1;
        log.Verbose(string.Format(CultureInfo.InvariantCulture, "Exported rows up to {0}; asking for the rows from there.", offset + 1));
    }

    private static readonly byte[] LineBreak = { (byte)'\r', (byte)'\n' };

    /// <summary>What the guards compare a response with: where the one before it was asked from, its first row, a hash of its rows and their number.</summary>
    private sealed class ResponseSeen
    {
        public ResponseSeen(long offset, byte[]? firstRow, ulong rowsHash, int dataRows)
        {
            Offset = offset;
            FirstRow = firstRow;
            RowsHash = rowsHash;
            DataRows = dataRows;
        }

        public long Offset { get; }

        public byte[]? FirstRow { get; }

        public ulong RowsHash { get; }

        public int DataRows { get; }
    }

    private const ulong FnvOffsetBasis = 14695981039346656037;

    /// <summary>FNV-1a over a row's bytes: tells whether a response holds the same rows as the one before without keeping them.</summary>
    private static ulong Fnv1a(ulong hash, byte[] bytes)
    {
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * 1099511628211);
        }

        return hash;
    }

    private static bool IsBlank(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            if (b != (byte)'\r' && b != (byte)'\n')
            {
                return false;
            }
        }

        return true;
    }
}
