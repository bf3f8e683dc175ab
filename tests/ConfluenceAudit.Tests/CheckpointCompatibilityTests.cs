using System.Text.Json;
using ConfluenceAudit.Incremental;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Tests;

/// <summary>
/// A checkpoint that version 0.1.0 wrote (Fixtures/README.md) still reads, means the same, is written back byte for
/// byte, and lists its delivered records under the keys this version computes for them, so a scheduled job that
/// upgrades the module continues where it stopped without losing or repeating a record.
/// </summary>
public sealed class CheckpointCompatibilityTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
    private static readonly string WrittenBy010 = Path.Combine(Fixtures, "checkpoint-0.1.0-search.json");
    private readonly string folder = Directory.CreateTempSubdirectory("ConfluenceAudit.CheckpointCompatibility.").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_Checkpoint_Written_By_0_1_0_Reads_With_Every_Field()
    {
        var checkpoint = Checkpoint.Load(WrittenBy010);

        Assert.Equal(new Uri("http://127.0.0.1:44097/wiki"), checkpoint.Site);
        Assert.Equal("permission", checkpoint.SearchString);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1796202407298), checkpoint.Position);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1793610406765), checkpoint.Floor);
        Assert.Equal(
            new[] { ("2XAMcHhQqb0dsQGWDf1SykRy", 1796202387233L, 2), ("qOnYhHu7bfihtxbptdvAENjA", 1796202392233L, 1) },
            checkpoint.Delivered.Select(d => (d.Key, d.EpochMs, d.Count)));
        checkpoint.CheckBelongsTo(WrittenBy010, new Uri("http://127.0.0.1:44097/wiki/"), "permission");
    }

    [Fact]
    public void Writing_It_Back_Gives_The_Same_Bytes()
    {
        var copy = Path.Combine(folder, "audit.checkpoint.json");

        Checkpoint.Load(WrittenBy010).Prepare(copy).Commit();

        Assert.Equal(File.ReadAllBytes(WrittenBy010), File.ReadAllBytes(copy));
    }

    [Fact]
    public void Its_Delivered_Keys_Are_The_Keys_This_Version_Computes_For_Those_Records()
    {
        var page = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Fixtures, "delivered-records.json")), AuditJsonContext.Default.WireAuditRecordArray)!;
        var recomputed = page.Results!
            .Select(wire => WireMapper.ToRecord(wire!))
            .GroupBy(RecordKey.Of)
            .Select(g => (g.Key, g.First().CreationDate!.Value.ToUnixTimeMilliseconds(), g.Count()))
            .OrderBy(k => k.Item2)
            .ToList();

        Assert.Equal(Checkpoint.Load(WrittenBy010).Delivered.Select(d => (d.Key, d.EpochMs, d.Count)), recomputed);
    }
}
