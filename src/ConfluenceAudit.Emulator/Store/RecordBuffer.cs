using ConfluenceAudit.Emulator.DataCenter;

namespace ConfluenceAudit.Emulator.Store;

/// <summary>Backing arrays shared by successive snapshots. Sorted by creationDate ascending (oldest
/// first); equal dates keep insertion order, so "newest first" is simply the reverse.</summary>
internal sealed class RecordBuffer(int capacity)
{
    public long[] Dates { get; } = new long[capacity];
    public ReadOnlyMemory<byte>[] Json { get; } = new ReadOnlyMemory<byte>[capacity];

    /// <summary>The events' ids (the second half of Data Center's cursor "&lt;epoch ms&gt;,&lt;id&gt;"): given in
    /// insertion order, so (date, id) ascends with the index.</summary>
    public long[] Ids { get; } = new long[capacity];

    public DataCenterEvent?[] Events { get; } = new DataCenterEvent?[capacity];

    /// <summary>How many slots some snapshot already exposes. A writer may only append in place when
    /// the current snapshot is the one that claimed them all: older or reset snapshots never see
    /// slots they did not publish.</summary>
    public int Claimed { get; set; }

    public int Capacity => Dates.Length;
}
