using ConfluenceAudit.Connections;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>What users paste as the site address, and which addresses may carry credentials.</summary>
public class BaseUriNormalizerTests
{
    [Theory]
    [InlineData("https://acme.atlassian.net", "https://acme.atlassian.net/wiki")]
    [InlineData("https://acme.atlassian.net/", "https://acme.atlassian.net/wiki")]
    [InlineData("https://acme.atlassian.net/wiki", "https://acme.atlassian.net/wiki")]
    [InlineData("https://acme.atlassian.net/wiki/", "https://acme.atlassian.net/wiki")]
    [InlineData("https://acme.atlassian.net/wiki/spaces/ENG", "https://acme.atlassian.net/wiki")]
    [InlineData("https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Some+Page", "https://acme.atlassian.net/wiki")]
    [InlineData("https://acme.atlassian.net/wiki/rest/api/audit", "https://acme.atlassian.net/wiki")]
    [InlineData("https://acme.atlassian.net/wikipedia", "https://acme.atlassian.net/wiki")]
    [InlineData("https://ACME.Atlassian.NET:443/", "https://acme.atlassian.net/wiki")]
    [InlineData("https://api.atlassian.com/ex/confluence/1a2b3c4d-cloud-id", "https://api.atlassian.com/ex/confluence/1a2b3c4d-cloud-id/wiki")]
    [InlineData("https://api.atlassian.com/ex/confluence/1a2b3c4d-cloud-id/", "https://api.atlassian.com/ex/confluence/1a2b3c4d-cloud-id/wiki")]
    [InlineData("https://api.atlassian.com/ex/confluence/1a2b3c4d-cloud-id/wiki", "https://api.atlassian.com/ex/confluence/1a2b3c4d-cloud-id/wiki")]
    [InlineData("https://api.atlassian.com/ex/confluence/1a2b3c4d-cloud-id/wiki/rest/api", "https://api.atlassian.com/ex/confluence/1a2b3c4d-cloud-id/wiki")]
    [InlineData("https://wiki.example.com/confluence", "https://wiki.example.com/confluence")]
    [InlineData("https://wiki.example.com/confluence/", "https://wiki.example.com/confluence")]
    [InlineData("https://wiki.example.com", "https://wiki.example.com/")]
    [InlineData("https://wiki.example.com:8443/", "https://wiki.example.com:8443/")]
    [InlineData("http://localhost:8090/confluence", "http://localhost:8090/confluence")]
    public void Normalize(string given, string expected)
    {
        Assert.Equal(expected, BaseUriNormalizer.Normalize(new Uri(given)).AbsoluteUri);
    }

    [Theory]
    [InlineData("https://api.atlassian.com/ex/jira/1a2b3c4d")]
    [InlineData("https://api.atlassian.com/")]
    [InlineData("https://api.atlassian.com/ex/confluence")]
    public void Gateway_Addresses_Other_Than_Ex_Confluence_CloudId_Are_Refused(string given)
    {
        var error = Assert.Throws<ArgumentException>(() => BaseUriNormalizer.Normalize(new Uri(given)));
        Assert.Contains("api.atlassian.com/ex/confluence/", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://ada:hunter2@acme.atlassian.net/wiki")]
    [InlineData("https://ada@acme.atlassian.net")]
    [InlineData("https://acme.atlassian.net/wiki?os_authType=basic")]
    [InlineData("https://acme.atlassian.net/wiki#top")]
    [InlineData("ftp://acme.atlassian.net/wiki")]
    [InlineData("file:///etc/passwd")]
    public void Userinfo_Query_Fragment_And_Non_Http_Schemes_Are_Refused(string given)
    {
        var error = Assert.Throws<ArgumentException>(() => BaseUriNormalizer.Normalize(new Uri(given)));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Relative_Uri_Is_Refused()
    {
        Assert.Throws<ArgumentException>(() => BaseUriNormalizer.Normalize(new Uri("wiki/rest", UriKind.Relative)));
    }

    /// <summary>A mistyped scheme must not put the password from the URL into the error message.</summary>
    [Theory]
    [InlineData("htps://ada:" + TestSecrets.ApiToken + "@acme.atlassian.net")]
    [InlineData("ftp://ada:" + TestSecrets.ApiToken + "@acme.atlassian.net/wiki")]
    public void Refusing_A_Url_Never_Repeats_Its_Password(string given)
    {
        var error = Assert.Throws<ArgumentException>(() => BaseUriNormalizer.Normalize(new Uri(given)));
        TestSecrets.AssertNoSecret(error);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8090")]
    [InlineData("http://127.0.0.2:8090/confluence")]
    [InlineData("http://localhost:8090")]
    [InlineData("http://[::1]:8090")]
    public void Plain_Http_Is_Allowed_For_Loopback(string given)
    {
        using var connection = ConnectionFactory.Create(new ConnectionOptions(new Uri(given), TestSecrets.Basic(), "Parameters") { Handler = new FakeAuditServer(0).CreateHandler() });
        Assert.Equal("http", connection.BaseUri.Scheme);
        Assert.Equal(ConfluenceDeployment.DataCenter, connection.Deployment);
    }

    [Theory]
    [InlineData("http://wiki.example.com/confluence")]
    [InlineData("http://acme.atlassian.net")]
    [InlineData("http://localhost.example.com")]
    [InlineData("http://10.0.0.5:8090")]
    public void Plain_Http_Is_Refused_For_Other_Hosts(string given)
    {
        var error = Assert.Throws<UnencryptedAuthenticationException>(() =>
            ConnectionFactory.Create(new ConnectionOptions(new Uri(given), TestSecrets.Basic(), "Parameters") { Handler = new FakeAuditServer(0).CreateHandler() }));
        Assert.Contains("plain http", error.Message, StringComparison.Ordinal);
        Assert.Contains(new Uri(given).Host, error.Message, StringComparison.Ordinal);
        TestSecrets.AssertNoSecret(error);
    }

    [Fact]
    public async Task Plain_Http_With_AllowUnencryptedAuthentication_Connects_And_Sends_There()
    {
        var handler = new FakeAuditServer(0).CreateHandler();
        using var connection = ConnectionFactory.Create(new ConnectionOptions(new Uri("http://wiki.example.com/confluence"), TestSecrets.Basic(), "Parameters")
        {
            Handler = handler,
            AllowUnencryptedAuthentication = true,
        });

        await AuditPage.ReadAsync(AuditSession.Of(connection).Http, TestClients.All(), 0, 1, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal("http://wiki.example.com/confluence/rest/api/audit?start=0&limit=1", Assert.Single(handler.Requests).Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://acme.atlassian.net", ConfluenceDeployment.Cloud)]
    [InlineData("https://api.atlassian.com/ex/confluence/abc", ConfluenceDeployment.Cloud)]
    [InlineData("https://wiki.example.com/confluence", ConfluenceDeployment.DataCenter)]
    public void Deployment_Follows_The_Host(string given, ConfluenceDeployment expected)
    {
        using var connection = ConnectionFactory.Create(new ConnectionOptions(new Uri(given), TestSecrets.Bearer(), "Parameters") { Handler = new FakeAuditServer(0).CreateHandler() });
        Assert.Equal(expected, connection.Deployment);
    }

    [Fact]
    public void Timeout_Seconds_Zero_Means_No_Limit()
    {
        using var connection = ConnectionFactory.Create(new ConnectionOptions(new Uri("https://acme.atlassian.net"), TestSecrets.Basic(), "Parameters")
        {
            Handler = new FakeAuditServer(0).CreateHandler(),
            TimeoutSec = 0,
        });

        Assert.Equal(Timeout.InfiniteTimeSpan, AuditSession.Of(connection).Http.Timeout);
        Assert.Equal(0, connection.TimeoutSec);
        Assert.Equal(0, connection.TimeoutSec);
    }
}
