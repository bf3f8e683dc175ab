using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace ConfluenceAudit.Http
{
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
                    throw new CheckpointException(path, $"it has format version {version}; this module reads version {FormatVersion}.");
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
                throw new CheckpointException(path, "it is not a checkpoint this module wrote (" + exception.Message + ").", exception);
            }
            catch (IOException exception)
            {
                throw new CheckpointException(path, "it cannot be read (" + exception.Message + ").", exception);
            }
            catch (UnauthorizedAccessException exception)
            {
                throw new CheckpointException(path, "it cannot be read (" + exception.Message + ").", exception);
            }
        }

        /// <summary>Writes the new content beside the file; <see cref="PreparedCheckpoint.Commit"/> then replaces the file with it.</summary>
        public PreparedCheckpoint Prepare(string path)
        {
            var temporary = path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
            var prepared = new PreparedCheckpoint(temporary, path);
            try
            {
                using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
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

                    json.WriteString("position", EpochTime.ToIsoUtc(Position));
                    json.WriteNumber("positionEpochMs", Position.ToUnixTimeMilliseconds());
                    json.WriteString("floor", EpochTime.ToIsoUtc(Floor));
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

                stream.Flush(true);
                return prepared;
            }
            catch
            {
                prepared.Discard();
                throw;
            }
        }
    }

    /// <summary>
    /// A checkpoint written beside its file and not yet in place. Replacing the file is one rename, so a crash leaves
    /// either the old or the new checkpoint, never half of one; the rename happens only once the data is delivered.
    /// </summary>
    internal sealed class PreparedCheckpoint
    {
        private readonly string temporary;
        private readonly string path;

        public PreparedCheckpoint(string temporary, string path)
        {
            this.temporary = temporary;
            this.path = path;
        }

        public void Commit()
        {
            if (File.Exists(path))
            {
                File.Replace(temporary, path, null, ignoreMetadataErrors: true);
            }
            else
            {
                File.Move(temporary, path);
            }
        }

        public void Discard()
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>A record delivered in the overlap window: its content key, its time, and how many identical records were delivered.</summary>
    internal sealed class DeliveredKey
    {
        public DeliveredKey(string key, long epochMs, int count)
        {
            Key = key;
            EpochMs = epochMs;
            Count = count;
        }

        public string Key { get; }

        public long EpochMs { get; }

        public int Count { get; }
    }

    internal sealed class CheckpointException : Exception
    {
        public CheckpointException(string path, string problem, Exception? innerException = null)
            : base($"The checkpoint file '{path}' cannot be used: {problem} It was left untouched for inspection; " +
                   "move it away and start again with -StartDate to pull from a given date.", innerException)
        {
            Path = path;
        }

        public string Path { get; }
    }
}
