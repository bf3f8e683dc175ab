using System.Net.Security;
using System.Net;
using ConfluenceAudit.Connections;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>The handler a real connection talks through (ConnectionFactory.CreateHandler): redirects, cookies,
/// the proxy and the certificate check.</summary>
public class TransportTests
{
    private static readonly Uri Site = new("https://wiki.example.com/confluence");
    private static readonly Uri ProxyAddress = new("http://proxy.example.com:3128/");

    private static ConnectionOptions Options() => new(Site, TestSecrets.Basic(), "Parameters");

    [Fact]
    public void Default_Handler_Follows_No_Redirect_Keeps_No_Cookies_And_Uses_The_System_Proxy_And_Certificate_Check()
    {
        using var handler = ConnectionFactory.CreateHandler(Options());

        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.Equal(DecompressionMethods.GZip | DecompressionMethods.Deflate, handler.AutomaticDecompression);
        Assert.True(handler.UseProxy);
        Assert.Null(handler.Proxy);
        Assert.Null(handler.DefaultProxyCredentials);
        Assert.Null(handler.Credentials);
        Assert.Null(handler.ServerCertificateCustomValidationCallback);
    }

    [Fact]
    public void Proxy_With_Credentials_Becomes_A_WebProxy_Carrying_Them_And_Nothing_Else_Gets_Them()
    {
        var options = Options();
        options.Proxy = ProxyAddress;
        options.ProxyCredential = new NetworkCredential("proxy-user", "proxy-password");

        using var handler = ConnectionFactory.CreateHandler(options);

        Assert.True(handler.UseProxy);
        var proxy = Assert.IsType<WebProxy>(handler.Proxy);
        Assert.Equal(ProxyAddress, proxy.Address);
        var credential = Assert.IsType<NetworkCredential>(proxy.Credentials);
        Assert.Equal("proxy-user", credential.UserName);
        Assert.Equal("proxy-password", credential.Password);
        Assert.False(proxy.UseDefaultCredentials);
        Assert.Equal(ProxyAddress, proxy.GetProxy(new Uri(Site, "rest/api/audit")));
        Assert.False(proxy.IsBypassed(Site));
        // The proxy's credentials are for the proxy only: never the server's, never the default proxy's.
        Assert.Null(handler.Credentials);
        Assert.Null(handler.DefaultProxyCredentials);
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.Null(handler.ServerCertificateCustomValidationCallback);
    }

    [Fact]
    public void Proxy_Without_Credentials_Has_None()
    {
        var options = Options();
        options.Proxy = ProxyAddress;

        using var handler = ConnectionFactory.CreateHandler(options);

        var proxy = Assert.IsType<WebProxy>(handler.Proxy);
        Assert.Equal(ProxyAddress, proxy.Address);
        Assert.Null(proxy.Credentials);
        Assert.False(proxy.UseDefaultCredentials);
    }

    [Fact]
    public void Proxy_Is_Used_For_Loopback_Targets_Too()
    {
        // Tests (and users with a local tunnel) send loopback traffic through an explicit proxy: it must not be bypassed.
        var options = Options();
        options.Proxy = ProxyAddress;

        using var handler = ConnectionFactory.CreateHandler(options);

        var proxy = Assert.IsType<WebProxy>(handler.Proxy);
        Assert.False(proxy.BypassProxyOnLocal);
        Assert.False(proxy.IsBypassed(new Uri("http://127.0.0.1:8090/wiki/rest/api/audit")));
    }

    [Theory]
    [InlineData(SslPolicyErrors.None)]
    [InlineData(SslPolicyErrors.RemoteCertificateChainErrors)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch)]
    [InlineData(SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateChainErrors)]
    public void SkipCertificateCheck_Installs_A_Callback_Accepting_Any_Certificate(SslPolicyErrors errors)
    {
        var options = Options();
        options.SkipCertificateCheck = true;

        using var handler = ConnectionFactory.CreateHandler(options);

        var callback = handler.ServerCertificateCustomValidationCallback;
        Assert.NotNull(callback);
        using var request = new HttpRequestMessage(HttpMethod.Get, Site);
        Assert.True(callback(request, null, null, errors));
        Assert.Null(handler.Proxy);
        Assert.False(handler.AllowAutoRedirect);
    }

    [Fact]
    public void SkipCertificateCheck_And_Proxy_Together()
    {
        var options = Options();
        options.Proxy = ProxyAddress;
        options.SkipCertificateCheck = true;

        using var handler = ConnectionFactory.CreateHandler(options);

        Assert.NotNull(handler.ServerCertificateCustomValidationCallback);
        Assert.Equal(ProxyAddress, Assert.IsType<WebProxy>(handler.Proxy).Address);
    }

    [Fact]
    public void The_Connection_Shows_The_Proxy_And_SkipCertificateCheck_But_Not_The_Proxy_Credentials()
    {
        var options = Options();
        options.Proxy = ProxyAddress;
        options.ProxyCredential = new NetworkCredential("proxy-user", "proxy-password-SECRET-31");
        options.SkipCertificateCheck = true;
        options.Handler = new FakeAuditServer(0).CreateHandler();

        using var connection = ConnectionFactory.Create(options);

        Assert.Equal(ProxyAddress, connection.Proxy);
        Assert.True(connection.SkipCertificateCheck);
        Assert.DoesNotContain("proxy-password-SECRET-31", connection.ToString() ?? string.Empty, StringComparison.Ordinal);
        foreach (var property in connection.GetType().GetProperties())
        {
            var value = property.GetIndexParameters().Length == 0 ? property.GetValue(connection) : null;
            Assert.DoesNotContain("proxy-password-SECRET-31", value?.ToString() ?? string.Empty, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_Connection_Without_The_Options_Shows_Neither()
    {
        var options = Options();
        options.Handler = new FakeAuditServer(0).CreateHandler();

        using var connection = ConnectionFactory.Create(options);

        Assert.Null(connection.Proxy);
        Assert.False(connection.SkipCertificateCheck);
    }
}
