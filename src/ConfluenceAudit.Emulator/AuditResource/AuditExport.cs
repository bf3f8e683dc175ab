using System.IO.Compression;
using System.IO.Pipelines;
using System.Text;
using ConfluenceAudit.Emulator.Http;
using ConfluenceAudit.Emulator.Store;

namespace ConfluenceAudit.Emulator.AuditResource;

/// <summary>Streams GET /audit/export as CSV or as a ZIP holding audit-log.csv, with flat memory.
/// ZipArchive (and a TextWriter over it) only writes synchronously, and Kestrel forbids synchronous
/// writes to the response; so a producer task writes into a bounded <see cref="Pipe"/> (it blocks when
/// 1 MiB is waiting) and the request copies the pipe to the response asynchronously.</summary>
internal static class AuditExport
{
    public const string EntryName = "audit-log.csv";
    private const int RowsBetweenCancellationChecks = 256;

    public static async Task WriteAsync(HttpContext context, RecordSelection selection, bool zip)
    {
        HttpResponse response = context.Response;
        response.StatusCode = 200;
        response.ContentType = zip ? "application/zip" : "text/csv; charset=UTF-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{(zip ? "audit-log.zip" : EntryName)}\"";

        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        Task producer = Task.Run(() => Produce(pipe.Writer, selection, zip, stop.Token), CancellationToken.None);
        try
        {
            await pipe.Reader.CopyToAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            // Stop the producer first, then release it if it is blocked on a full pipe.
            await stop.CancelAsync().ConfigureAwait(false);
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected when the client went away mid-export.
            }
        }
    }

    private static void Produce(PipeWriter writer, RecordSelection selection, bool zip, CancellationToken cancel)
    {
        Exception? failure = null;
        try
        {
            using Stream sink = writer.AsStream(leaveOpen: true);
            if (zip)
            {
                // The response is not seekable, so ZipArchive writes each entry with a data descriptor
                // and streams it: the archive is never held in memory.
                using var archive = new ZipArchive(sink, ZipArchiveMode.Create, leaveOpen: true);
                ZipArchiveEntry entry = archive.CreateEntry(EntryName, CompressionLevel.Fastest);
                using Stream entryStream = entry.Open();
                WriteCsv(entryStream, selection, cancel);
            }
            else
            {
                WriteCsv(sink, selection, cancel);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }

        writer.Complete(failure);
    }

    private static void WriteCsv(Stream stream, RecordSelection selection, CancellationToken cancel)
    {
        // UTF-8 without a byte order mark, like Confluence's own export.
        using var text = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true);
        var csv = new CsvWriter(text);
        AuditCsv.WriteHeader(csv);
        for (int k = 0; k < selection.Count; k++)
        {
            if (k % RowsBetweenCancellationChecks == 0)
            {
                cancel.ThrowIfCancellationRequested();
            }

            AuditCsv.WriteRow(csv, selection.JsonOfNewest(k));
        }
    }
}
