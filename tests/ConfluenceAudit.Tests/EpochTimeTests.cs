using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Tests;

public class EpochTimeTests
{
    [Fact]
    public void Utc_DateTime_Converts_To_Epoch_Milliseconds()
    {
        var value = new DateTime(2026, 3, 2, 10, 15, 0, 125, DateTimeKind.Utc);
        Assert.Equal(1772446500125L, EpochTime.ToEpochMilliseconds(value));
    }

    [Fact]
    public void Epoch_Milliseconds_Round_Trip_To_The_Same_Instant()
    {
        var instant = EpochTime.ToDateTimeOffset(1772446500125L);
        Assert.Equal(1772446500125L, instant.ToUnixTimeMilliseconds());
    }
}
