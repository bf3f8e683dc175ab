using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using ConfluenceAudit.Files;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Incremental;

/// <summary>
/// Where an incremental pull stopped: the site it belongs to, the moment up to which every record was delivered,
/// and the keys of the records delivered in the overlap window before that moment (records have no id), so the
/// next run can re-read the overlap and skip exactly what was delivered. A human-readable JSON file.
/// </summary>
internal sealed class Checkpoint
{
    public const int FormatVersion = 1;

    public Checkpoint(Uri site, string? searchString, DateTimeOffset position, DateTimeOffset floor, IReadOnlyList<DeliveredKey> delivered)
    {
        Floor = floor;
        Site = site;
        SearchString = searchString;
        Position = position;
        Delivered = delivered;
    }

    /// <summary>The connection's full base URL: one host can serve several sites.</summary>
    public Uri Site { get; }

    public string? SearchString { get; }

    /// <summary>Every record dated up to this moment has been delivered.</summary>
    public DateTimeOffset Position { get; }

    public IReadOnlyList<DeliveredKey> Delivered { get; }

    /// <summary>Where the pull began (the first run's -StartDate): no run re-reads its overlap below it.</summary>
    public DateTimeOffset Floor { get; }

    public static bool SameSite(Uri a, Uri b) =>
        string.Equals(a.AbsoluteUri.TrimEnd('/'), b.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a checkpoint; throws <see cref="CheckpointException"/> naming the file when it cannot be trusted.</summary>
    public static Checkpoint Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var version = root.GetProperty("version").GetInt32();
            if (version != FormatVersion)
            {
                throw new CheckpointException(CheckpointException.Invalid, path, $"it has format version {version}; this module reads version {FormatVersion}.");
            }

            var site = new Uri(root.GetProperty("site").GetString()!, UriKind.Absolute);
            var search = root.TryGetProperty("searchString", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var position = DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("positionEpochMs").GetInt64());
            var delivered = new List<DeliveredKey>();
            foreach (var entry in root.GetProperty("delivered").EnumerateArray())
            {
                delivered.Add(new DeliveredKey(entry.GetProperty("key").GetString()!, entry.GetProperty("epochMs").GetInt64(), entry.GetProperty("count").GetInt32()));
            }

            var floor = root.TryGetProperty("floorEpochMs", out var f) && f.ValueKind == JsonValueKind.Number
                ? DateTimeOffset.FromUnixTimeMilliseconds(f.GetInt64())
                : DateTimeOffset.FromUnixTimeMilliseconds(0);
            return new Checkpoint(site, search, position, floor, delivered);
        }
        catch (Exception exception) when (exception is JsonException || exception is KeyNotFoundException || exception is InvalidOperationException ||
                                          exception is FormatException || exception is UriFormatException || exception is ArgumentException)
        {
            throw new CheckpointException(CheckpointException.Invalid, path, "it is not a checkpoint this module wrote (" + exception.Message + ").", exception);
        }
        catch (IOException exception)
        {
            throw new CheckpointException(CheckpointException.Invalid, path, "it cannot be read (" + exception.Message + ").", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new CheckpointException(CheckpointException.Invalid, path, "it cannot be read (" + exception.Message + ").", exception);
        }
    }

    /// <summary>Writes the new content beside the file; <see cref="PendingFile.Commit"/> then puts it in place.</summary>
    public PendingFile Prepare(string path)
    {
        var pending = PendingFile.Beside(path, hidden: false);
        try
        {
            using (var json = new Utf8JsonWriter(pending.Stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteNumber("version", FormatVersion);
                json.WriteString("site", Site.AbsoluteUri);
                if (SearchString is null)
                {
                    json.WriteNull("searchString");
                }
                else
                {
                    json.WriteString("searchString", SearchString);
                }

                json.WriteString("position", AuditText.IsoUtc(Position));
                json.WriteNumber("positionEpochMs", Position.ToUnixTimeMilliseconds());
                json.WriteString("floor", AuditText.IsoUtc(Floor));
                json.WriteNumber("floorEpochMs", Floor.ToUnixTimeMilliseconds());
                json.WriteStartArray("delivered");
                foreach (var entry in Delivered)
                {
                    json.WriteStartObject();
                    json.WriteNumber("epochMs", entry.EpochMs);
                    json.WriteString("key", entry.Key);
                    json.WriteNumber("count", entry.Count);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            pending.Close();
            return pending;
        }
        catch
        {
            pending.Discard();
            throw;
        }
    }

    /// <summary>Refuses a checkpoint written for another site or another search: its position means nothing here.</summary>
    public void CheckBelongsTo(string path, Uri site, string? searchString)
    {
        if (!SameSite(Site, site))
        {
            throw new CheckpointException(CheckpointException.SiteMismatch, path,
                $"it belongs to {Site.AbsoluteUri}, not to {site.AbsoluteUri}. Use one checkpoint file per site.");
        }

        if (!string.Equals(SearchString, searchString, StringComparison.Ordinal))
        {
            throw new CheckpointException(CheckpointException.SearchMismatch, path,
                $"it follows {Describe(SearchString)}, not {Describe(searchString)}. Use one checkpoint file per search.");
        }
    }

    private static string Describe(string? searchString) => searchString is null ? "every record" : "the search '" + searchString + "'";
}
