using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Files;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Export;

/// <summary>
/// Writes an export to disk in constant memory. The file appears only when complete: the bytes go to a hidden file
/// beside it, which replaces the target only at the end, so a failure or Ctrl+C leaves no partial file and never
/// destroys an existing one.
/// </summary>
internal static class ExportFile
{
    private const int BufferSize = 81920;

    /// <summary>The name of the CSV inside a ZIP made locally.</summary>
    private const string ZipEntryName = "audit-log.csv";

    /// <param name="zip">Wrap the bytes in a ZIP here (Data Center's framework exports CSV only).</param>
    /// <param name="replaceReadOnly">Replace the destination even when it is read-only.</param>
    /// <returns>The number of bytes the server sent.</returns>
    public static async Task<long> WriteAsync(IExportSource source, string destination, bool zip, bool replaceReadOnly, IOperationLog log, CancellationToken cancellationToken)
    {
        using var pending = PendingFile.Beside(destination, hidden: true);
        var buffer = new byte[BufferSize];
        long received = 0;
        using (var archive = zip ? new ZipArchive(pending.Stream, ZipArchiveMode.Create, leaveOpen: true) : null)
        using (var output = archive?.CreateEntry(ZipEntryName, CompressionLevel.Optimal).Open())
        {
            var destinationStream = output ?? pending.Stream;
            int count;
            while ((count = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destinationStream.WriteAsync(buffer, 0, count, cancellationToken).ConfigureAwait(false);
                received += count;
                log.Progress(received, source.Length, "bytes");
            }
        }

        if (source.Length is long expected && expected != received)
        {
            throw HttpFailures.InvalidResponse("GET " + ApiPaths.Export, $"the export ended after {received:N0} of {expected:N0} bytes.");
        }

        pending.Commit(replaceReadOnly);
        return received;
    }
}
