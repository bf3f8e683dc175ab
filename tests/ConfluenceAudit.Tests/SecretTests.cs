using System.Net;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>The token or password never shows in string forms or in any failure, whatever the server sends back.</summary>
public class SecretTests
{
    [Fact]
    public void Credential_ToString_Shows_Scheme_And_User_Only()
    {
        Assert.Equal("Basic " + TestSecrets.Email, TestSecrets.Basic().ToString());
        Assert.Equal("Bearer", TestSecrets.Bearer().ToString());
    }

    [Fact]
    public void Connection_ToString_Shows_Address_And_Scheme_Only()
    {
        using var basic = PowerShellHost.Connect(new FakeAuditServer(0).CreateHandler());
        using var bearer = PowerShellHost.Connect(new FakeAuditServer(0).CreateHandler(), credential: TestSecrets.Bearer());

        Assert.Equal("https://acme.atlassian.net/wiki (Basic " + TestSecrets.Email + ")", basic.ToString());
        Assert.Equal("https://acme.atlassian.net/wiki (Bearer)", bearer.ToString());
        TestSecrets.AssertNoSecret(basic.ToString());
        TestSecrets.AssertNoSecret(bearer.ToString());
    }

    [Fact]
    public async Task The_Secret_Is_Only_In_The_Header_It_Makes()
    {
        var credential = TestSecrets.Bearer();

        Assert.Equal(TestSecrets.BearerToken, (await credential.GetHeaderAsync(CancellationToken.None)).Parameter);
        Assert.Equal("Bearer", (await credential.GetHeaderAsync(CancellationToken.None)).Scheme);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(500)]
    public async Task Failures_Never_Contain_The_Secret(int status)
    {
        foreach (var credential in new[] { TestSecrets.Basic(), TestSecrets.Bearer() })
        {
            var handler = FakeHttpHandler.Always(() => Responses.Json("{\"message\":\"Unauthorized request\"}", (HttpStatusCode)status));
            using var client = TestClients.Create(handler, credential);

            var error = await Assert.ThrowsAsync<ConfluenceApiException>(() =>
                AuditPage.ReadAsync(client, AuditQuery.Range(null, null, "space"), 0, 10, NullOperationLog.Instance, CancellationToken.None));

            TestSecrets.AssertNoSecret(error);
            Assert.DoesNotContain("Authorization", error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Verbose_Lines_Of_A_Listing_Never_Contain_The_Secret()
    {
        var server = new FakeAuditServer(7) { LimitCap = 3 };
        using var client = TestClients.Create(server.CreateHandler(), TestSecrets.Bearer());
        var log = new RecordingLog();

        await TestClients.ReadAllAsync(new AuditRecordPager(client, TestClients.All(), 0, ulong.MaxValue, 5, 1), log);

        Assert.NotEmpty(log.Messages);
        Assert.All(log.Messages, TestSecrets.AssertNoSecret);
    }
}
