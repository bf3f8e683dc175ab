using System.Globalization;
using ConfluenceAudit.Connections;
using ConfluenceAudit.Serialization;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>Behaviour that depends on environment variables or the local time zone; run alone (see <see cref="ProcessWideGroup"/>).</summary>
[Collection(ProcessWideGroup.Name)]
public sealed class ProcessWideTests
{
    [Fact]
    public void No_Connection_And_No_Environment_Is_ConfluenceNotConnected()
    {
        using var environment = new EnvironmentScope();
        using var host = new PowerShellHost();

        var result = host.Run("Get-ConfluenceAuditRecord");

        Assert.StartsWith("ConfluenceNotConnected", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, result.Terminating!.CategoryInfo.Category);
        Assert.Contains("Connect-ConfluenceAudit", result.Terminating.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Base_Url_Without_Credentials_Is_Still_Not_Connected()
    {
        using var environment = new EnvironmentScope(baseUrl: "https://acme.atlassian.net", email: TestSecrets.Email);
        using var host = new PowerShellHost();

        var result = host.Run("Get-ConfluenceAuditRecord");

        Assert.StartsWith("ConfluenceNotConnected", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://wiki.example.com/confluence")]
    [InlineData("not a url")]
    [InlineData("https://acme.atlassian.net/wiki?x=1")]
    public void An_Unusable_Environment_Is_Refused_Without_A_Request_Or_The_Secret(string baseUrl)
    {
        using var environment = new EnvironmentScope(baseUrl: baseUrl, email: TestSecrets.Email, apiToken: TestSecrets.ApiToken);
        using var host = new PowerShellHost();

        var result = host.Run("Get-ConfluenceAuditRecord");

        Assert.StartsWith("ConfluenceEnvironmentInvalid", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.All(result.AllText(), TestSecrets.AssertNoSecret);
    }

    [Fact]
    public async Task Environment_Credentials_Prefer_Email_And_Api_Token_Then_Token()
    {
        using (new EnvironmentScope(email: TestSecrets.Email, apiToken: TestSecrets.ApiToken, token: TestSecrets.BearerToken))
        {
            var basic = EnvironmentConnection.Credential();
            Assert.Equal("Basic", basic!.Scheme);
            Assert.Equal(TestSecrets.Email, basic.UserName);
        }

        using (new EnvironmentScope(token: TestSecrets.BearerToken))
        {
            var bearer = EnvironmentConnection.Credential();
            Assert.Equal("Bearer", bearer!.Scheme);
            Assert.Equal(TestSecrets.BearerToken, (await bearer.GetHeaderAsync(CancellationToken.None)).Parameter);
        }

        using (new EnvironmentScope(email: TestSecrets.Email))
        {
            Assert.Null(EnvironmentConnection.Credential());
        }
    }

    [Fact]
    public void Local_And_Unspecified_DateTimes_Are_Local_Time_And_Utc_Is_Utc()
    {
        using var zone = new TimeZoneScope("Asia/Tokyo");
        var wall = new DateTime(2026, 3, 1, 9, 0, 0);

        Assert.Equal(1772323200000L, EpochTime.ToEpochMilliseconds(DateTime.SpecifyKind(wall, DateTimeKind.Local)));
        Assert.Equal(1772323200000L, EpochTime.ToEpochMilliseconds(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified)));
        Assert.Equal(1772355600000L, EpochTime.ToEpochMilliseconds(DateTime.SpecifyKind(wall, DateTimeKind.Utc)));
    }

    [Fact]
    public void Local_DateTime_West_Of_Greenwich()
    {
        using var zone = new TimeZoneScope("America/New_York");

        Assert.Equal(1772323200000L, EpochTime.ToEpochMilliseconds(new DateTime(2026, 2, 28, 19, 0, 0, DateTimeKind.Unspecified)));
    }

    [Theory]
    [InlineData("Asia/Tokyo")]
    [InlineData("America/New_York")]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Pacific/Pago_Pago")]
    public void Extreme_Epoch_Values_Clamp_In_Any_Time_Zone(string zoneId)
    {
        using var zone = new TimeZoneScope(zoneId);

        var max = EpochTime.ToDateTimeOffset(long.MaxValue);
        var min = EpochTime.ToDateTimeOffset(long.MinValue);

        Assert.Equal(9999, max.UtcDateTime.Year);
        Assert.Equal(1, min.UtcDateTime.Year);
        Assert.Equal(1772446500125L, EpochTime.ToDateTimeOffset(1772446500125L).ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Cmdlet_Reads_An_Unspecified_Date_As_Local_Time()
    {
        using var zone = new TimeZoneScope("Asia/Tokyo");
        var handler = new FakeAuditServer(0).CreateHandler();
        using var connection = PowerShellHost.Connect(handler);
        using var host = new PowerShellHost();
        host.SetVariable("c", connection);

        var result = host.Run("Get-ConfluenceAuditRecord -Connection $c -StartDate ([datetime]'2026-03-01 09:00') -EndDate ([datetime]::new(2026,3,1,9,0,0,[DateTimeKind]::Utc))");

        Assert.Null(result.Terminating);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("1772323200000", request.Query["startDate"]);
        Assert.Equal("1772355600000", request.Query["endDate"]);
    }

    [Fact]
    public void Record_Dates_Are_Shown_In_Local_Time_For_The_Same_Instant()
    {
        using var zone = new TimeZoneScope("Asia/Tokyo");

        var value = EpochTime.ToDateTimeOffset(1772446500125L);

        Assert.Equal(TimeSpan.FromHours(9), value.Offset);
        Assert.Equal(1772446500125L, value.ToUnixTimeMilliseconds());
        Assert.Equal("2026-03-02 19:15:00", value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
    }
}
