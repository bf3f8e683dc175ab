using System.Collections.Concurrent;
using System.Net;
using ConfluenceAudit.Authentication;
using ConfluenceAudit.Connections;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>
/// A service account's client credentials against a fake of Atlassian's three hosts: the site (tenant_info), the token
/// endpoint and the gateway. The gateway accepts only tokens the fake issued and has not revoked.
/// </summary>
public sealed class ClientCredentialTests
{
    private const string ClientSecret = "client-SECRET-9f8e7d";
    private const string CloudId = "c1d2e3f4-0000-4000-8000-000000000001";

    [Fact]
    public async Task A_Site_Address_Finds_The_Cloud_Id_And_Goes_Through_The_Gateway()
    {
        var atlassian = new FakeAtlassian();
        using var connection = Connect(atlassian, new Uri("https://acme.atlassian.net"), scopes: new[] { "read:audit-log:confluence", "write:audit-log:confluence" });
        var session = AuditSession.Of(connection);

        await session.VerifyAsync(NullOperationLog.Instance, CancellationToken.None);

        var requests = atlassian.Handler.Requests;
        Assert.Equal("https://acme.atlassian.net/_edge/tenant_info", requests[0].Uri.AbsoluteUri);
        Assert.Null(requests[0].Header("Authorization"));
        Assert.Equal("https://auth.atlassian.com/oauth/token", requests[1].Uri.AbsoluteUri);
        var form = FormFields(requests[1].Body!);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("service-client", form["client_id"]);
        Assert.Equal(ClientSecret, form["client_secret"]);
        Assert.Equal("read:audit-log:confluence write:audit-log:confluence", form["scope"]);
        Assert.StartsWith($"https://api.atlassian.com/ex/confluence/{CloudId}/wiki/rest/api/audit?", requests[2].Uri.AbsoluteUri);
        Assert.StartsWith("Bearer tok-", requests[2].Header("Authorization"));
        Assert.Equal("https://acme.atlassian.net/wiki", connection.Site.AbsoluteUri);
        Assert.Equal($"https://api.atlassian.com/ex/confluence/{CloudId}/wiki", connection.BaseUri.AbsoluteUri);
        Assert.Equal("ClientCredentials", connection.AuthenticationType);
        Assert.Equal("service-client", connection.UserName);
        Assert.InRange(connection.TokenExpiresAt!.Value, DateTimeOffset.Now.AddMinutes(59), DateTimeOffset.Now.AddMinutes(61));
    }

    [Theory]
    [InlineData("https://confluence-proxy.example.org/wiki", "https://confluence-proxy.example.org/_edge/tenant_info", "https://api.atlassian.com/ex/confluence/")]
    [InlineData("http://127.0.0.1:8090/wiki", "http://127.0.0.1:8090/_edge/tenant_info", "http://127.0.0.1:8090/ex/confluence/")]
    public async Task A_Host_Named_Cloud_Finds_Its_Cloud_Id_There_And_Uses_Atlassians_Gateway_Unless_It_Is_Local(string site, string tenantInfo, string gateway)
    {
        // A proxy in front of a Cloud site forwards the site, not Atlassian's gateway; only a stand-in on this machine
        // (an emulator) serves the gateway too.
        var atlassian = new FakeAtlassian();
        var options = Options(new Uri(site), atlassian.Handler);
        options.Deployment = ConfluenceDeployment.Cloud;
        options.RetryPolicy = TestClients.NoRetries();
        options.AllowUnencryptedAuthentication = true;
        using var connection = ConnectionFactory.Create(options);

        await AuditSession.Of(connection).VerifyAsync(NullOperationLog.Instance, CancellationToken.None);

        var requests = atlassian.Handler.Requests;
        Assert.Equal(tenantInfo, requests[0].Uri.AbsoluteUri);
        Assert.StartsWith($"{gateway}{CloudId}/wiki/rest/api/audit?", requests[2].Uri.AbsoluteUri);
        Assert.Equal(site, connection.Site.AbsoluteUri);
    }

    [Fact]
    public async Task A_Site_Without_A_Cloud_Id_Is_Reported_As_Not_Found()
    {
        var atlassian = new FakeAtlassian { TenantInfoStatus = HttpStatusCode.NotFound };
        using var connection = Connect(atlassian, new Uri("https://acme.atlassian.net"));

        var failure = await Assert.ThrowsAsync<ConfluenceApiException>(() => AuditSession.Of(connection).VerifyAsync(NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ConfluenceNotFound", failure.ErrorId);
        Assert.Contains("_edge/tenant_info", failure.Message, StringComparison.Ordinal);
        Assert.Single(atlassian.Handler.Requests);
    }

    [Fact]
    public async Task Requests_In_Flight_Together_Share_One_Token_Request()
    {
        var atlassian = new FakeAtlassian { TokenDelay = TimeSpan.FromMilliseconds(300) };
        using var authorization = Authorization(atlassian);

        var headers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => authorization.GetHeaderAsync(NullOperationLog.Instance, CancellationToken.None))));

        Assert.Equal(1, atlassian.TokensIssued);
        Assert.Single(headers.Select(h => h.Parameter).Distinct());
    }

    [Fact]
    public async Task A_Token_Is_Renewed_In_The_Last_Fifth_Of_Its_Life_And_Not_Before()
    {
        var atlassian = new FakeAtlassian { ExpiresIn = 100 };
        using var authorization = Authorization(atlassian);
        var now = DateTimeOffset.UtcNow;
        authorization.Clock = () => now;

        var first = await authorization.GetHeaderAsync(NullOperationLog.Instance, CancellationToken.None);
        now += TimeSpan.FromSeconds(79);
        var same = await authorization.GetHeaderAsync(NullOperationLog.Instance, CancellationToken.None);
        now += TimeSpan.FromSeconds(2);
        var renewed = await authorization.GetHeaderAsync(NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(first.Parameter, same.Parameter);
        Assert.NotEqual(first.Parameter, renewed.Parameter);
        Assert.Equal(2, atlassian.TokensIssued);
        Assert.Equal(now + TimeSpan.FromSeconds(100), authorization.ExpiresAt);
    }

    [Fact]
    public async Task A_Refused_Token_Is_Renewed_Once_And_The_Request_Sent_Again()
    {
        var atlassian = new FakeAtlassian();
        using var connection = Connect(atlassian, GatewayUri());
        var session = AuditSession.Of(connection);
        await session.VerifyAsync(NullOperationLog.Instance, CancellationToken.None);
        atlassian.RevokeIssuedTokens();
        var log = new RecordingLog();

        await session.VerifyAsync(log, CancellationToken.None);

        Assert.Equal(2, atlassian.TokensIssued);
        Assert.Equal(1, atlassian.GatewayRefusals);
        Assert.Contains(log.Messages, m => m.Contains("access token was refused (401)", StringComparison.Ordinal));
        Assert.All(log.Messages, m => Assert.DoesNotContain("tok-", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Post_Refused_With_401_Is_Sent_Once_More_With_The_Same_Body()
    {
        var atlassian = new FakeAtlassian();
        using var connection = Connect(atlassian, GatewayUri());
        var session = AuditSession.Of(connection);
        await session.VerifyAsync(NullOperationLog.Instance, CancellationToken.None);
        atlassian.RevokeIssuedTokens();

        await session.CreateRecordAsync(new NewAuditRecord("10.0.0.1") { Summary = "Service account test" }, NullOperationLog.Instance, CancellationToken.None);

        var posts = atlassian.Handler.Requests.Where(r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/rest/api/audit", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Body, posts[1].Body);
        Assert.Contains("Service account test", posts[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Token_Refused_Again_After_Renewal_Fails_Once_With_ConfluenceAuthenticationFailed()
    {
        var atlassian = new FakeAtlassian { GatewayRefusesEverything = true };
        using var connection = Connect(atlassian, GatewayUri());

        var failure = await Assert.ThrowsAsync<ConfluenceApiException>(() => AuditSession.Of(connection).VerifyAsync(NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ConfluenceAuthenticationFailed", failure.ErrorId);
        Assert.True(failure.IssuedToken);
        Assert.Equal(2, atlassian.GatewayRefusals);
        Assert.Equal(2, atlassian.TokensIssued);
        AssertNoSecret(failure, atlassian);
    }

    [Fact]
    public async Task A_Refused_Secret_Names_The_Token_Endpoints_Error_And_What_To_Check()
    {
        var atlassian = new FakeAtlassian { RefuseSecret = true };
        using var connection = Connect(atlassian, GatewayUri());

        var failure = await Assert.ThrowsAsync<ConfluenceApiException>(() => AuditSession.Of(connection).VerifyAsync(NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ConfluenceAuthenticationFailed", failure.ErrorId);
        Assert.Equal(FailureKind.Authentication, failure.Kind);
        Assert.Contains("https://auth.atlassian.com/oauth/token refused the client credentials (401) with error 'access_denied' (Unauthorized)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("client id and secret", failure.Message, StringComparison.Ordinal);
        Assert.Contains("role on the site", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, atlassian.TokenRequests);
        AssertNoSecret(failure, atlassian);
    }

    [Fact]
    public async Task A_Token_Endpoint_That_Stays_Unavailable_Is_Retried_Then_Ends_With_ConfluenceAuthenticationFailed()
    {
        var atlassian = new FakeAtlassian { TokenStatus = HttpStatusCode.ServiceUnavailable };
        var waits = new List<TimeSpan>();
        using var connection = Connect(atlassian, GatewayUri(), retry: TestClients.InstantRetries(waits, count: 3));

        var failure = await Assert.ThrowsAsync<ConfluenceApiException>(() => AuditSession.Of(connection).VerifyAsync(NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ConfluenceAuthenticationFailed", failure.ErrorId);
        Assert.Equal(4, atlassian.TokenRequests);
        Assert.Equal(3, waits.Count);
        Assert.Contains("No access token could be had from the token endpoint https://auth.atlassian.com/oauth/token", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, atlassian.GatewayRequests);
        AssertNoSecret(failure, atlassian);
    }

    [Fact]
    public void Data_Center_Takes_Its_Own_Token_Endpoint_And_Plain_Http_Elsewhere_Is_Refused()
    {
        var handler = FakeHttpHandler.Always(() => Responses.Empty(HttpStatusCode.OK));
        using (var dataCenter = ConnectionFactory.Create(Options(new Uri("https://wiki.example.com/confluence"), handler)))
        {
            Assert.Equal(ConfluenceDeployment.DataCenter, dataCenter.Deployment);
            var authorization = (ClientCredentialAuthorization)typeof(AuditHttpClient)
                .GetField("authorization", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(AuditSession.Of(dataCenter).Http)!;
            Assert.Equal("https://wiki.example.com/confluence/rest/oauth2/latest/token", authorization.TokenUri.AbsoluteUri);
        }

        Assert.Throws<UnencryptedAuthenticationException>(() => ConnectionFactory.Create(
            Options(new Uri("https://wiki.example.com/confluence"), handler, tokenUri: new Uri("http://sso.example.com/token"))));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/ex/confluence/abc", "http://127.0.0.1:8080/ex/confluence/abc/wiki", true)]
    [InlineData("https://api.atlassian.com/ex/confluence/abc", "https://api.atlassian.com/ex/confluence/abc/wiki", true)]
    [InlineData("https://acme.atlassian.net", "https://acme.atlassian.net/wiki", false)]
    [InlineData("https://wiki.example.com/confluence", "https://wiki.example.com/confluence", false)]
    public void Gateway_Addresses_Are_Recognised_On_Any_Host(string given, string normalized, bool gateway)
    {
        var uri = BaseUriNormalizer.Normalize(new Uri(given));

        Assert.Equal(normalized, uri.AbsoluteUri);
        Assert.Equal(gateway, BaseUriNormalizer.IsGatewayAddress(uri));
    }

    private static Uri GatewayUri() => new($"https://api.atlassian.com/ex/confluence/{CloudId}");

    private static ConfluenceAuditConnection Connect(FakeAtlassian atlassian, Uri baseUri, string[]? scopes = null, RetryPolicy? retry = null)
    {
        var options = Options(baseUri, atlassian.Handler, scopes: scopes);
        options.RetryPolicy = retry ?? TestClients.NoRetries();
        return ConnectionFactory.Create(options);
    }

    private static ConnectionOptions Options(Uri baseUri, HttpMessageHandler handler, string[]? scopes = null, Uri? tokenUri = null) =>
        new(baseUri, new ClientCredentials("service-client", TestSecrets.Secure(ClientSecret), tokenUri, scopes), "Parameters") { Handler = handler };

    private static ClientCredentialAuthorization Authorization(FakeAtlassian atlassian) =>
        new(new OAuthClient(atlassian.Handler, TimeSpan.FromSeconds(10), "tests"), ClientCredentials.CloudTokenUri, "service-client",
            TestSecrets.Secure(ClientSecret), null, TestClients.NoRetries());

    private static Dictionary<string, string> FormFields(string body) =>
        body.Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(
            pair => Uri.UnescapeDataString(pair[0]), pair => Uri.UnescapeDataString(pair[1].Replace('+', ' ')), StringComparer.Ordinal);

    private static void AssertNoSecret(ConfluenceApiException failure, FakeAtlassian atlassian)
    {
        foreach (var text in new[] { failure.Message, failure.ToString(), failure.ServerMessage, failure.RequestUri })
        {
            Assert.DoesNotContain(ClientSecret, text ?? string.Empty, StringComparison.Ordinal);
            foreach (var token in atlassian.Issued)
            {
                Assert.DoesNotContain(token, text ?? string.Empty, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>auth.atlassian.com, the site's tenant_info and the gateway, in one fake handler.</summary>
    private sealed class FakeAtlassian
    {
        private readonly ConcurrentDictionary<string, bool> valid = new(StringComparer.Ordinal);
        private int tokensIssued;
        private int tokenRequests;
        private int gatewayRequests;
        private int gatewayRefusals;

        public FakeAtlassian()
        {
            Handler = new FakeHttpHandler(RespondAsync);
        }

        public FakeHttpHandler Handler { get; }

        public HttpStatusCode TenantInfoStatus { get; init; } = HttpStatusCode.OK;

        public HttpStatusCode TokenStatus { get; init; } = HttpStatusCode.OK;

        public TimeSpan TokenDelay { get; init; }

        public long ExpiresIn { get; init; } = 3600;

        public bool RefuseSecret { get; init; }

        public bool GatewayRefusesEverything { get; init; }

        public int TokensIssued => Volatile.Read(ref tokensIssued);

        public int TokenRequests => Volatile.Read(ref tokenRequests);

        public int GatewayRequests => Volatile.Read(ref gatewayRequests);

        public int GatewayRefusals => Volatile.Read(ref gatewayRefusals);

        public IEnumerable<string> Issued => valid.Keys;

        public void RevokeIssuedTokens()
        {
            foreach (var token in valid.Keys)
            {
                valid[token] = false;
            }
        }

        private async Task<HttpResponseMessage> RespondAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            if (uri.AbsolutePath == "/_edge/tenant_info")
            {
                return Responses.Json($"{{\"cloudId\":\"{CloudId}\"}}", TenantInfoStatus);
            }

            if (uri.Host == "auth.atlassian.com" || uri.AbsolutePath.EndsWith("/oauth2/latest/token", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref tokenRequests);
                await Task.Delay(TokenDelay, cancellationToken);
                if (TokenStatus != HttpStatusCode.OK)
                {
                    return Responses.Json("{\"error\":\"temporarily_unavailable\"}", TokenStatus);
                }

                if (RefuseSecret)
                {
                    return Responses.Json("{\"error\":\"access_denied\",\"error_description\":\"Unauthorized\"}", HttpStatusCode.Unauthorized);
                }

                var token = "tok-" + Interlocked.Increment(ref tokensIssued) + "-" + Guid.NewGuid().ToString("N");
                valid[token] = true;
                return Responses.Json($"{{\"access_token\":\"{token}\",\"token_type\":\"Bearer\",\"expires_in\":{ExpiresIn}}}");
            }

            Interlocked.Increment(ref gatewayRequests);
            var bearer = request.Headers.Authorization?.Parameter;
            if (GatewayRefusesEverything || bearer is null || !valid.TryGetValue(bearer, out var ok) || !ok)
            {
                Interlocked.Increment(ref gatewayRefusals);
                return Responses.Json("{\"code\":401,\"message\":\"Unauthorized\"}", HttpStatusCode.Unauthorized);
            }

            return request.Method == HttpMethod.Post
                ? Responses.Json(Responses.Record("Service account test"))
                : Responses.Json(Responses.Page(new[] { Responses.Record("one") }, limit: 1));
        }
    }
}
