using System;
using System.IO;

namespace ConfluenceAudit.Files;

/// <summary>
/// A file written beside its destination and put in place by one rename, so whoever reads the destination sees the
/// old file whole or the new one whole, never half of one: a failure, Ctrl+C or a killed process leaves the old file
/// (or none) and at most a temporary file beside it. Exports and checkpoints are written this way.
/// </summary>
internal sealed class PendingFile : IDisposable
{
    private const int BufferSize = 81920;
    private FileStream? stream;
    private bool committed;

    private PendingFile(string destination, string temporaryPath)
    {
        Destination = destination;
        TemporaryPath = temporaryPath;
        stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
    }

    public string Destination { get; }

    public string TemporaryPath { get; }

    /// <summary>Where to write the new content; flushed to disk by <see cref="Close"/> or <see cref="Commit"/>.</summary>
    public Stream Stream => stream ?? throw new ObjectDisposedException(nameof(PendingFile));

    /// <summary>
    /// A new file beside <paramref name="destination"/>: hidden and named ".name.1234abcd.partial" for a download the
    /// user should not open before it is whole, or "name.1234abcd.tmp" for a small file such as a checkpoint.
    /// </summary>
    public static PendingFile Beside(string destination, bool hidden)
    {
        var id = Guid.NewGuid().ToString("N").Substring(0, 8);
        var folder = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        var name = Path.GetFileName(destination);
        return new PendingFile(destination, Path.Combine(folder, hidden ? "." + name + "." + id + ".partial" : name + "." + id + ".tmp"));
    }

    /// <summary>Flushes the content to disk and closes it; the file is not in place until <see cref="Commit"/>.</summary>
    public void Close()
    {
        if (stream is null)
        {
            return;
        }

        stream.Flush(true);
        stream.Dispose();
        stream = null;
    }

    /// <summary>Puts the new content in place of the destination in one step.</summary>
    /// <param name="clearReadOnly">Replace the destination even when it is read-only.</param>
    public void Commit(bool clearReadOnly = false)
    {
        Close();
        if (!File.Exists(Destination))
        {
            File.Move(TemporaryPath, Destination);
        }
        else
        {
            if (clearReadOnly)
            {
                File.SetAttributes(Destination, File.GetAttributes(Destination) & ~FileAttributes.ReadOnly);
            }

            File.Replace(TemporaryPath, Destination, null, ignoreMetadataErrors: true);
        }

        committed = true;
    }

    /// <summary>Throws the new content away; the destination stays as it was.</summary>
    public void Discard()
    {
        stream?.Dispose();
        stream = null;
        if (!committed && File.Exists(TemporaryPath))
        {
            File.Delete(TemporaryPath);
        }
    }

    /// <summary>Discards the content unless it was committed.</summary>
    public void Dispose() => Discard();
}
