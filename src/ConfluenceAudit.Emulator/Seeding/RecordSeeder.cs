using System.Text.Json;
using ConfluenceAudit.Emulator.AuditResource;
using ConfluenceAudit.Emulator.DataCenter;
using ConfluenceAudit.Emulator.Http;
using ConfluenceAudit.Emulator.Store;

namespace ConfluenceAudit.Emulator.Seeding;

/// <summary>Creates the deterministic starting records and serializes each one once. Dates are drawn
/// first (sequential, cheap), then the records are built in parallel, each from its own random stream,
/// so the result does not depend on thread scheduling.</summary>
internal static class RecordSeeder
{
    private const ulong DateSalt = 0x5EED_DA7E;
    private const ulong ContentSalt = 0xC0_47E4_7;
    private const ulong InsertSalt = 0x1_45E7;
    private const ulong EventSalt = 0xDA7A_CE47;
    private const ulong WholeSecondSalt = 0x5EC0_4D;

    /// <param name="dataCenter">Data Center mode: each record also gets its event view, drawn from a stream of its own
    /// (so the Cloud-shaped records are those Cloud mode seeds from the same dates), and about 3 % of the dates fall on
    /// a whole second (the events' timestamps then have no fraction).</param>
    public static StoreSnapshot Seed(int count, long seed, int spanDays, long anchorEpochMs, DataCenterProfile? dataCenter = null)
    {
        long[] dates = Dates(count, seed, spanDays, anchorEpochMs);
        if (dataCenter is not null)
        {
            WholeSeconds(dates, seed);
        }

        int[] source = Twins(count, seed);

        // A twin copies its predecessor's date too, so the two records are identical in every byte.
        for (int i = 0; i < count; i++)
        {
            if (source[i] != i)
            {
                dates[i] = dates[source[i]];
            }
        }

        // Contiguous blocks, one arena each; a few blocks per core keeps the cores evenly busy.
        var json = new ReadOnlyMemory<byte>[count];
        var events = new DataCenterEvent?[count];
        int blocks = Math.Max(1, Math.Min(count / 1024, Environment.ProcessorCount * 4));
        Parallel.For(0, blocks, b =>
        {
            using var arena = new JsonArena();
            int end = (int)((long)(b + 1) * count / blocks);
            for (int i = (int)((long)b * count / blocks); i < end; i++)
            {
                if (source[i] != i)
                {
                    continue;
                }

                Rng rng = Rng.For(seed, i, ContentSalt);
                AuditRecord record = RecordFactory.Create(ref rng, dates[i]);
                json[i] = arena.Serialize(record, EmulatorJson.Audit.AuditRecord);
                if (dataCenter is not null)
                {
                    Rng eventRng = Rng.For(seed, i, EventSalt);
                    events[i] = dataCenter.FromRecord(record, ref eventRng, arena);
                }
            }
        });

        // A twin's event is its predecessor's too: the same content, told apart only by the id the store gives it.
        var records = new StoredRecord[count];
        for (int i = 0; i < count; i++)
        {
            records[i] = new StoredRecord(dates[i], json[source[i]], events[source[i]]);
        }

        return StoreSnapshot.FromSorted(records);
    }

    /// <summary>New generated records for the control endpoint: all stamped <paramref name="creationDate"/>,
    /// numbered on from <paramref name="firstIndex"/> so successive batches differ.</summary>
    public static StoredRecord[] Generate(int count, long seed, long firstIndex, long creationDate, DataCenterProfile? dataCenter = null)
    {
        var records = new StoredRecord[count];
        using var arena = new JsonArena((int)Math.Min(JsonArena.DefaultChunkSize, count * (dataCenter is null ? 1024L : 3072L)));
        for (int i = 0; i < count; i++)
        {
            Rng rng = Rng.For(seed, firstIndex + i, InsertSalt);
            AuditRecord record = RecordFactory.Create(ref rng, creationDate);
            DataCenterEvent? e = null;
            if (dataCenter is not null)
            {
                Rng eventRng = Rng.For(seed, firstIndex + i, InsertSalt ^ EventSalt);
                e = dataCenter.FromRecord(record, ref eventRng, arena);
            }

            records[i] = new StoredRecord(creationDate, arena.Serialize(record, EmulatorJson.Audit.AuditRecord), e);
        }

        return records;
    }

    /// <summary>Data Center's record created by the legacy POST: the record and its event view.</summary>
    public static StoredRecord Created(AuditRecord record, long seed, long index, DataCenterProfile? dataCenter)
    {
        DataCenterEvent? e = null;
        if (dataCenter is not null)
        {
            Rng eventRng = Rng.For(seed, index, InsertSalt ^ EventSalt ^ ContentSalt);
            e = dataCenter.FromRecord(record, ref eventRng, null);
        }

        return new StoredRecord(record.CreationDate, Serialize(record), e);
    }

    /// <summary>Moves about 3 % of the dates down to their whole second and sorts again (from a stream of its own, so
    /// the other draws stay those of Cloud mode).</summary>
    private static void WholeSeconds(long[] dates, long seed)
    {
        var rng = Rng.For(seed, 2, WholeSecondSalt);
        for (int i = 0; i < dates.Length; i++)
        {
            if (rng.Chance(0.03))
            {
                dates[i] -= ((dates[i] % 1000) + 1000) % 1000;
            }
        }

        Array.Sort(dates);
    }

    public static byte[] Serialize(AuditRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, EmulatorJson.Audit.AuditRecord);

    /// <summary>Sorted ascending dates over [anchor − span, anchor − 3 s]; about 2 % repeat the previous
    /// record's millisecond exactly.</summary>
    private static long[] Dates(int count, long seed, int spanDays, long anchorEpochMs)
    {
        var dates = new long[count];
        if (count == 0)
        {
            return dates;
        }

        long newest = anchorEpochMs - 3_000;
        long oldest = anchorEpochMs - (spanDays * 86_400_000L);
        long width = newest - oldest;
        var rng = Rng.For(seed, 0, DateSalt);
        for (int i = 0; i < count; i++)
        {
            dates[i] = oldest + (long)(rng.NextDouble() * width);
        }

        Array.Sort(dates);
        dates[count - 1] = newest;
        for (int i = 1; i < count; i++)
        {
            if (rng.Chance(0.02))
            {
                dates[i] = dates[i - 1];
            }
        }

        return dates;
    }

    /// <summary>For each index, the index whose content it carries: itself, or (about 1 in 1000, and at
    /// least twice when there are 10 or more records) its predecessor, making an exact duplicate.</summary>
    private static int[] Twins(int count, long seed)
    {
        var source = new int[count];
        var rng = Rng.For(seed, 1, DateSalt);
        int twins = 0;
        for (int i = 0; i < count; i++)
        {
            bool twin = i > 0 && source[i - 1] == i - 1 && rng.Chance(0.001);
            source[i] = twin ? i - 1 : i;
            if (twin)
            {
                twins++;
            }
        }

        if (count >= 10 && twins < 2)
        {
            foreach (int i in new[] { count / 3, (2 * count) / 3 })
            {
                if (source[i - 1] == i - 1 && source[i] == i && (i + 1 >= count || source[i + 1] == i + 1))
                {
                    source[i] = i - 1;
                }
            }
        }

        return source;
    }
}
