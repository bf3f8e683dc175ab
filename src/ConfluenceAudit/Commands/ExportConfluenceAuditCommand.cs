using System;
using System.IO;
using System.IO.Compression;
using System.Management.Automation;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Commands
{
    /// <summary>
    /// Saves the audit log as the server exports it (CSV, or ZIP holding the CSV), streamed to disk in constant memory.
    /// The file appears only when complete: the download goes to a hidden file beside it, which replaces the
    /// target only at the end, so a failure or Ctrl+C leaves no partial file and never destroys an existing one.
    /// </summary>
    [Cmdlet(VerbsData.Export, "ConfluenceAudit", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportConfluenceAuditCommand : ConfluenceAuditApiCmdlet
    {
        internal const string PathSet = "Path";
        internal const string LiteralPathSet = "LiteralPath";
        private const int BufferSize = 81920;

        /// <summary>The name of the CSV inside a ZIP made locally.</summary>
        private const string ExportEntryName = "audit-log.csv";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string? LiteralPath { get; set; }

        /// <summary>Csv or Zip; by default Zip when the file name ends in .zip, else Csv.</summary>
        [Parameter]
        public AuditExportFormat? Format { get; set; }

        [Parameter]
        public DateTime? StartDate { get; set; }

        [Parameter]
        public DateTime? EndDate { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SearchString { get; set; }

        /// <summary>Do not replace an existing file.</summary>
        [Parameter]
        [Alias("NoOverwrite")]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Replace an existing file even when it is read-only.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var target = ResolveTarget();
            var format = Format ?? (target.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? AuditExportFormat.Zip : AuditExportFormat.Csv);
            var query = BuildRangeQuery(StartDate, EndDate, SearchString);
            CheckTarget(target);
            var connection = ResolveConnection();
            if (!ShouldProcess(target, $"Export the audit log of {connection.BaseUri} as {format}"))
            {
                return;
            }

            var partial = System.IO.Path.Combine(
                System.IO.Path.GetDirectoryName(target)!, "." + System.IO.Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            var completed = false;
            try
            {
                if (!Download(connection, query, format, partial))
                {
                    return;
                }

                Replace(partial, target);
                completed = true;
            }
            finally
            {
                if (!completed)
                {
                    TryDelete(partial);
                }
            }

            var file = new FileInfo(target);
            WriteVerbose($"Exported {file.Length:N0} bytes to {target}.");
            if (PassThru)
            {
                WriteObject(file);
            }
        }

        private string ResolveTarget()
        {
            var given = ParameterSetName == LiteralPathSet ? LiteralPath! : Path!;
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out var provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                Fail("ExportPathNotFileSystem", ErrorCategory.InvalidArgument,
                    $"'{given}' is on the {provider.Name} provider; the export can only be written to a file system path.", given);
            }

            return resolved;
        }

        private void CheckTarget(string target)
        {
            var directory = System.IO.Path.GetDirectoryName(target);
            if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
            {
                Fail("ExportDirectoryNotFound", ErrorCategory.ObjectNotFound, $"The folder '{directory}' does not exist. Create it first, or export to another path.", target);
            }

            if (Directory.Exists(target))
            {
                Fail("ExportPathIsFolder", ErrorCategory.InvalidArgument, $"'{target}' is a folder. Give a file name, such as {System.IO.Path.Combine(target, "audit.csv")}.", target);
            }

            if (!File.Exists(target))
            {
                return;
            }

            if (NoClobber)
            {
                Fail("ExportFileExists", ErrorCategory.ResourceExists, $"'{target}' already exists and -NoClobber was given. Choose another path, or leave out -NoClobber to replace it.", target);
            }

            if ((File.GetAttributes(target) & FileAttributes.ReadOnly) != 0 && !Force)
            {
                Fail("ExportFileReadOnly", ErrorCategory.PermissionDenied, $"'{target}' is read-only. Use -Force to replace it anyway.", target);
            }
        }

        /// <summary>Streams the export into <paramref name="partial"/>; false when a non-terminating error was written.</summary>
        private bool Download(ConfluenceAuditConnection connection, AuditQuery query, AuditExportFormat format, string partial)
        {
            if (!TryRun(token => AuditApiDiscovery.ResolveAsync(connection.Client, Log, token), connection.BaseUri, out var api))
            {
                return false;
            }

            // Data Center's framework exports CSV only, assembled from several responses: a ZIP is made here.
            var assembled = api == ConfluenceAuditApi.AuditingFramework;
            IExportSource? source;
            if (assembled)
            {
                source = new DataCenterCsvExport(connection.Client, query.ToRange(DateTimeOffset.Now), Log);
            }
            else if (!TryRun(token => ExportDownload.OpenAsync(connection.Client, query, format, Log, token), connection.BaseUri, out var download))
            {
                return false;
            }
            else
            {
                source = download;
            }

            using (source)
            using (var progress = new ProgressReporter(this, 1, $"Exporting the audit log of {connection.BaseUri}"))
            using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                using (var zip = assembled && format == AuditExportFormat.Zip ? new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true) : null)
                using (var output = zip is null ? null : zip.CreateEntry(ExportEntryName, CompressionLevel.Optimal).Open())
                {
                    if (!Copy(connection, source, output ?? file, progress))
                    {
                        return false;
                    }
                }

                file.Flush(true);
            }

            return true;
        }

        private bool Copy(ConfluenceAuditConnection connection, IExportSource source, Stream destination, ProgressReporter progress)
        {
            var buffer = new byte[BufferSize];
            long received = 0;
            while (true)
            {
                if (!TryRun(token => source.ReadAsync(buffer, token), connection.BaseUri, out var count))
                {
                    return false;
                }

                if (count == 0)
                {
                    break;
                }

                destination.Write(buffer, 0, count);
                received += count;
                progress.Report(received, source.Length, "bytes");
            }

            if (source.Length is long expected && expected != received)
            {
                WriteError(ErrorRecords.FromApiException(
                    HttpFailures.InvalidResponse("GET " + AuditApiClient.ExportPath, $"the export ended after {received:N0} of {expected:N0} bytes."), connection.BaseUri));
                return false;
            }

            return true;
        }

        private void Replace(string partial, string target)
        {
            if (!File.Exists(target))
            {
                File.Move(partial, target);
                return;
            }

            if (Force)
            {
                File.SetAttributes(target, File.GetAttributes(target) & ~FileAttributes.ReadOnly);
            }

            File.Replace(partial, target, null, ignoreMetadataErrors: true);
        }

        private void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                WriteWarning($"Could not remove the incomplete download '{path}': {exception.Message}");
            }
        }
    }
}
